"""Reads of the programme of work, scoped to what the asking user may see.

OCT and the Committee (members, the USG, every chair and vice-chair) read every programme and
its versions; anyone else gets an empty list and a 404, the same as for one that does not
exist. ``programme_status`` says where the working copy stands against its last version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from reporting.committee.models import Decision
from reporting.lib.diff import text_diff
from reporting.monitoring.framework import DIMENSIONS
from reporting.programme.content import programme_snapshot, programme_version_diff
from reporting.programme.models import ExpectedResult, Indicator, Priority, ProgrammeOfWork, ProgrammeVersion
from reporting.programme.permissions import can_read_programme
from reporting.programme.services import ADOPTING_STATES, programme_latest_version
from workinggroups.models import WorkPlanOutput

AnyUser = AbstractBaseUser | AnonymousUser


def programmes_visible_to(user: AnyUser) -> QuerySet[ProgrammeOfWork]:
    """Every programme for OCT and the Committee, newest biennium first; none for anyone else."""
    programmes = ProgrammeOfWork.objects.select_related("updated_by").order_by("-biennium_start")
    return programmes if can_read_programme(user) else programmes.none()


def get_programme_for_user_or_404(user: AnyUser, pk: int) -> ProgrammeOfWork:
    programme = programmes_visible_to(user).filter(pk=pk).first()
    if programme is None:
        raise Http404("No such programme.")
    return programme


def versions_visible_to(user: AnyUser) -> QuerySet[ProgrammeVersion]:
    versions = ProgrammeVersion.objects.select_related("programme", "decision__meeting", "recorded_by")
    return versions if can_read_programme(user) else versions.none()


def get_version_for_user_or_404(user: AnyUser, programme_pk: int, number: int) -> ProgrammeVersion:
    version = versions_visible_to(user).filter(programme_id=programme_pk, number=number).first()
    if version is None:
        raise Http404("No such version.")
    return version


def priorities_visible_to(user: AnyUser) -> QuerySet[Priority]:
    return Priority.objects.select_related("programme").filter(programme__in=programmes_visible_to(user))


def get_priority_for_user_or_404(user: AnyUser, pk: int) -> Priority:
    priority = priorities_visible_to(user).filter(pk=pk).first()
    if priority is None:
        raise Http404("No such priority.")
    return priority


def results_visible_to(user: AnyUser) -> QuerySet[ExpectedResult]:
    outputs = Prefetch("outputs", queryset=WorkPlanOutput.objects.select_related("work_plan__working_group"))
    return (
        ExpectedResult.objects.select_related("priority__programme")
        .prefetch_related(outputs)
        .filter(priority__programme__in=programmes_visible_to(user))
    )


def get_result_for_user_or_404(user: AnyUser, pk: int) -> ExpectedResult:
    result = results_visible_to(user).filter(pk=pk).first()
    if result is None:
        raise Http404("No such expected result.")
    return result


def outputs_for_programme(programme: ProgrammeOfWork) -> QuerySet[WorkPlanOutput]:
    """The groups' work-plan outputs a result of ``programme`` may link: its biennium's."""
    return (
        WorkPlanOutput.objects.filter(work_plan__biennium_start=programme.biennium_start)
        .select_related("work_plan__working_group")
        .order_by("work_plan__working_group__number", "position", "pk")
    )


def decisions_for_adoption() -> QuerySet[Decision]:
    """Decisions of held meetings that adopted no version yet, latest meeting first."""
    return (
        Decision.objects.filter(meeting__state__in=ADOPTING_STATES, programme_version__isnull=True)
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting_id", "number")
    )


@dataclass(frozen=True)
class ProgrammeStatus:
    """Where the working copy stands: never adopted, as adopted, or changed since."""

    content: dict[str, Any]
    latest: ProgrammeVersion | None
    diff: dict[str, Any] | None

    @property
    def adopted(self) -> bool:
        return self.latest is not None

    @property
    def changed(self) -> bool:
        return self.latest is None or bool(self.diff and self.diff["changed"])


def programme_status(programme: ProgrammeOfWork) -> ProgrammeStatus:
    content = programme_snapshot(programme)
    latest = programme_latest_version(programme)
    diff = diff_for_display(programme_version_diff(latest.content, content)) if latest else None
    return ProgrammeStatus(content=content, latest=latest, diff=diff)


def compare_contents(programme: ProgrammeOfWork, old: ProgrammeVersion, new: ProgrammeVersion | None) -> dict[str, Any]:
    """The difference from version ``old`` to version ``new`` (the working copy if none)."""
    new_content = new.content if new is not None else programme_snapshot(programme)
    return diff_for_display(programme_version_diff(old.content, new_content))


FIELD_LABELS = {
    "biennium_start": _("First year of the biennium"),
    "title": _("Title"),
    "strategy_review_resolution": _("GA resolution"),
    "introduction": _("Introduction"),
    "code": _("Number"),
    "description": _("Description"),
    "pillars": _("Pillars"),
    "resources_needed_usd": _("Resources needed each year (USD)"),
    "working_groups": _("Working groups"),
    "priority": _("Priority"),
    "text": _("Expected result"),
    "name": _("Indicator"),
    "definition": _("Definition"),
    "unit": _("Unit"),
    "baseline": _("Baseline"),
    "baseline_year": _("Baseline year"),
    "target": _("Target"),
    "direction": _("Direction"),
    "aggregation": _("Combining the groups' values"),
    "disaggregation": _("Disaggregated by"),
    "frequency": _("Reported"),
    "priorities": _("Priorities"),
}


def _choice_labels() -> dict[str, dict[str, Any]]:
    """Stored codes → the words people read, for the fields that hold codes."""

    return {
        "direction": dict(Indicator.Direction.choices),
        "aggregation": dict(Indicator.Aggregation.choices),
        "frequency": dict(Indicator.Frequency.choices),
        "disaggregation": {key: dimension.label for key, dimension in DIMENSIONS.items()},
    }


def _shown(value: Any, labels: dict[str, Any] | None = None) -> str:
    labels = labels or {}
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value) or "—"
    return "—" if value in (None, "") else str(labels.get(value, value))


def _labelled(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each change with a label and its values as text (codes as their words); long texts also
    word by word."""
    shown, choices = [], _choice_labels()
    for change in changes:
        labels = choices.get(change["field"])
        old, new = _shown(change["old"], labels), _shown(change["new"], labels)
        words = text_diff(old, new) if change["field"] in LONG_TEXTS else ()
        shown.append(
            {
                **change,
                "label": FIELD_LABELS.get(change["field"], change["field"]),
                "old_text": old,
                "new_text": new,
                "pieces": words,
            }
        )
    return shown


LONG_TEXTS = frozenset({"introduction", "description", "text", "definition", "title"})


def diff_for_display(diff: dict[str, Any]) -> dict[str, Any]:
    """The service's diff with labels and readable values for the pages."""
    shown = {**diff, "programme": _labelled(diff["programme"])}
    for part in ("priorities", "results", "outputs", "indicators"):
        shown[part] = {
            **diff[part],
            "changed": [{**entry, "changes": _labelled(entry.get("changes", []))} for entry in diff[part]["changed"]],
        }
    return shown
