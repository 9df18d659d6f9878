"""The resource-mobilisation view: what the Compact needs in a year against what donors pledged
and earmarked for it.

Needs are the programme of work's priorities (``resources_needed_usd``, per year of its
biennium) and the projects of the matrix in the Financing step of their lifecycle (their
budget). Each line sets its need against the earmarks of that year's contributions: to the
working groups a priority names, or to the project. A group's earmark counts on each priority
naming the group; the totals count each earmark once.

Only what the reader may read takes part: a project, contribution or earmark beyond their
clearance is left out of its line and of every total, so no amount reaches them through a sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from compact.core.models import Classification
from compact.core.permissions import AnyUser
from compact.funding.models import Earmark
from compact.funding.selectors import contributions_visible_to, earmarks_visible_to, sees_every_level, total
from compact.matrix.models import Project
from compact.matrix.selectors import projects_visible_to
from reporting.programme.models import ProgrammeOfWork
from reporting.programme.selectors import programmes_visible_to
from reporting.resources.permissions import can_read_resources

ZERO = Decimal(0)


@dataclass
class ResourceLine:
    kind: str  # "priority" or "project"
    label: str
    object_id: int
    needed: Decimal | None
    earmarked: Decimal
    classification: str = Classification.UNCLASSIFIED

    @property
    def classification_label(self) -> str:
        """The classification in words, in the reader's language."""
        return str(Classification(self.classification).label)

    @property
    def gap(self) -> Decimal | None:
        """What is still to find (negative: more earmarked than needed); None without a need."""
        return None if self.needed is None else self.needed - self.earmarked


@dataclass
class ResourceView:
    year: int
    programme: ProgrammeOfWork | None
    priorities: list[ResourceLine] = field(default_factory=list)
    projects: list[ResourceLine] = field(default_factory=list)
    pledged: Decimal = ZERO
    received: Decimal = ZERO
    earmarked: Decimal = ZERO
    # Whether the reader is cleared for every level, so sees every earmark of the year.
    complete: bool = False

    @property
    def lines(self) -> list[ResourceLine]:
        return [*self.priorities, *self.projects]

    @property
    def needed(self) -> Decimal:
        return sum((line.needed for line in self.lines if line.needed is not None), ZERO)

    @property
    def gap(self) -> Decimal:
        """The needs of the year less everything pledged for it."""
        return self.needed - self.pledged

    @property
    def unearmarked(self) -> Decimal | None:
        """What is left of the pledges to earmark: only for a reader who sees every earmark
        (None otherwise: net of earmarks they cannot read, the figure would be wrong)."""
        return self.pledged - self.earmarked if self.complete else None


def programme_for_year(user: AnyUser, year: int) -> ProgrammeOfWork | None:
    """The programme whose biennium covers ``year``, if ``user`` may read it."""
    return programmes_visible_to(user).filter(biennium_start__in=[year - 1, year]).order_by("-biennium_start").first()


def _by_target(earmarks: list[Earmark], attribute: str) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = {}
    for earmark in earmarks:
        key = getattr(earmark, attribute)
        if key is not None:
            sums[key] = sums.get(key, ZERO) + earmark.amount_usd
    return sums


def resource_view(user: AnyUser, year: int) -> ResourceView:
    """The view for ``year`` as ``user`` may read it (empty for anyone but OCT and the USG)."""
    view = ResourceView(year=year, programme=None)
    if not can_read_resources(user):
        return view
    view.complete = sees_every_level(user)
    contributions = contributions_visible_to(user, year=year)
    earmarks = list(earmarks_visible_to(user).filter(contribution__year=year))
    view.pledged, view.received = total(contributions), total(contributions, "received_usd")
    view.earmarked = sum((earmark.amount_usd for earmark in earmarks), ZERO)
    by_group, by_project = _by_target(earmarks, "working_group_id"), _by_target(earmarks, "project_id")
    view.programme = programme_for_year(user, year)
    if view.programme is not None:
        for priority in view.programme.priorities.prefetch_related("working_groups").order_by("position", "pk"):
            groups = {group.pk for group in priority.working_groups.all()}
            view.priorities.append(
                ResourceLine(
                    kind="priority",
                    label=f"{priority.code}. {priority.title}",
                    object_id=priority.pk,
                    needed=priority.resources_needed_usd,
                    earmarked=sum((by_group.get(pk, ZERO) for pk in groups), ZERO),
                )
            )
    financing = projects_visible_to(user).filter(stage=Project.Stage.FINANCING).order_by("title", "pk")
    for project in financing:
        view.projects.append(
            ResourceLine(
                kind="project",
                label=project.title,
                object_id=project.pk,
                needed=project.budget_usd,
                earmarked=by_project.get(project.pk, ZERO),
                classification=project.classification,
            )
        )
    return view
