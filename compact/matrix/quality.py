"""How far the matrix tells the truth: the data-quality figures OCT sees on its page and
``manage.py matrix_quality`` prints. Each figure is a share of rows with the rows behind it.

``QUALITY_FIGURES`` is a list of functions, each giving one ``QualityFigure``: a new figure (the
share of projects with a theme, with dates, with a lifecycle stage …) is one more function in
the list, and shows on the page and in the command with no other change."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from compact.lib.places import countries_of_regions, places_resolve
from compact.matrix.mentions import scope_piece_read
from compact.matrix.models import Project, ProjectMention
from compact.matrix.selectors import in_country
from compact.matrix.themes import (
    projects_with_confirmed_theme,
    projects_with_dates,
    projects_with_stage,
    projects_with_suggested_theme,
)


@dataclass
class QualityFigure:
    key: str  # also the page's ?show= value that lists the rows behind it
    label: str
    done: int
    total: int
    target: float | None = None  # a share (0-1) the figure should reach
    # The rows behind the figure that fall short: (what, how many, which projects' ids).
    gaps: list[tuple[str, int, list[int]]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def percent(self) -> float:
        return self.share * 100

    @property
    def target_percent(self) -> float | None:
        return None if self.target is None else self.target * 100

    @property
    def meets_target(self) -> bool:
        return self.target is None or self.share >= self.target


def mentions_linked() -> QualityFigure:
    """Implementers named in the matrix that are linked to a Compact entity (or one of its
    units) or to an organization not party to the Compact; the gaps are the names still to map."""
    mentions = ProjectMention.objects.all()
    linked = Q(entity__isnull=False) | Q(organization__isnull=False)
    unlinked = defaultdict(list)
    # Names OCT settled as "not an entity" stay outside the share but leave the list to map.
    to_map = mentions.exclude(linked).filter(not_an_entity=False)
    for name, project in to_map.order_by("name", "project").values_list("name", "project"):
        unlinked[name].append(project)
    return QualityFigure(
        key="mentions",
        label=str(_("Entity mentions linked to the registry")),
        done=mentions.filter(linked).count(),
        total=mentions.count(),
        target=0.98,
        gaps=[
            (name, len(ids), ids) for name, ids in sorted(unlinked.items(), key=lambda item: (-len(item[1]), item[0]))
        ],
    )


def scope_unresolved(text: str) -> list[str]:
    """The pieces of a scope column that are neither a place, nor an organization (a partner),
    nor text consciously classed as no place."""
    return [piece for piece in places_resolve(text).unrecognised if not scope_piece_read(piece).is_settled]


def places_resolved() -> QualityFigure:
    """Scope columns (one per project that has one) read whole: every piece a place, a partner
    organization or consciously no place."""
    unresolved = defaultdict(list)
    total = 0
    for pk, text in Project.objects.exclude(scope_text="").order_by("pk").values_list("pk", "scope_text"):
        total += 1
        for piece in scope_unresolved(text):
            unresolved[piece].append(pk)
    bad = {pk for ids in unresolved.values() for pk in ids}
    return QualityFigure(
        key="places",
        label=str(_("Place strings resolved or classed as not a place")),
        done=total - len(bad),
        total=total,
        target=0.99,
        gaps=[(piece, len(ids), ids) for piece, ids in sorted(unresolved.items())],
    )


def regional_on_country_pages() -> QualityFigure:
    """Projects with a region that appear on the page of every country the region covers (the
    country page's own selector is asked, one query per country)."""
    regional = Project.objects.annotate(n=Count("region_rows")).filter(n__gt=0).prefetch_related("region_rows")
    expected: dict[str, set[int]] = defaultdict(set)
    for project in regional:
        for country in countries_of_regions([row.region for row in project.region_rows.all()]):
            expected[country].add(project.pk)
    missing: dict[int, list[str]] = defaultdict(list)
    for country, ids in sorted(expected.items()):
        shown = set(Project.objects.filter(in_country(country, with_regional=True)).values_list("pk", flat=True))
        for pk in ids - shown:
            missing[pk].append(country)
    total = len({pk for ids in expected.values() for pk in ids})
    return QualityFigure(
        key="regional",
        label=str(_("Regional projects on each covered country's page")),
        done=total - len(missing),
        total=total,
        target=1.0,
        gaps=[(" ".join(codes), len(codes), [pk]) for pk, codes in sorted(missing.items())],
    )


def title_countries_placed() -> QualityFigure:
    """Projects whose title names no country missing from their places. The gaps are the
    suggestions: OCT adds a country on the project's page; re-imports then keep it."""
    suggestions = defaultdict(list)
    projects = Project.objects.prefetch_related("country_rows", "region_rows").order_by("pk")
    total = 0
    for project in projects:
        total += 1
        covered = {row.country for row in project.country_rows.all()}
        covered |= countries_of_regions([row.region for row in project.region_rows.all()])
        missing = [code for code in places_resolve(project.title).countries if code not in covered]
        if missing:
            suggestions[" ".join(missing)].append(project.pk)
    return QualityFigure(
        key="title-countries",
        label=str(_("Projects whose title names no country missing from their places")),
        done=total - sum(len(ids) for ids in suggestions.values()),
        total=total,
        gaps=[(codes, len(ids), ids) for codes, ids in sorted(suggestions.items())],
    )


def _share_of_projects(
    *,
    key: str,
    label: str,
    gap: str,
    having: Callable[[QuerySet[Project]], tuple[int, QuerySet[Project]]],
    target: float | None = None,
) -> QualityFigure:
    """The share of all projects ``having`` something; the gap lists the others."""
    projects = Project.objects.all()
    done, rows = having(projects)
    missing = list(projects.exclude(pk__in=rows.values("pk")).order_by("pk").values_list("pk", flat=True))
    return QualityFigure(
        key=key,
        label=label,
        done=done,
        total=projects.count(),
        target=target,
        gaps=[(gap, len(missing), missing)] if missing else [],
    )


def themes_suggested() -> QualityFigure:
    return _share_of_projects(
        key="themes-suggested",
        label=str(_("Projects with a suggested theme")),
        gap=str(_("no theme suggested")),
        having=projects_with_suggested_theme,
        target=1.0,
    )


def themes_confirmed() -> QualityFigure:
    return _share_of_projects(
        key="themes-confirmed",
        label=str(_("Projects whose themes OCT confirmed")),
        gap=str(_("themes to confirm")),
        having=projects_with_confirmed_theme,
    )


def projects_dated() -> QualityFigure:
    return _share_of_projects(
        key="dates",
        label=str(_("Projects with dates")),
        gap=str(_("no start or end")),
        having=projects_with_dates,
    )


def projects_staged() -> QualityFigure:
    return _share_of_projects(
        key="stage",
        label=str(_("Projects with a lifecycle stage")),
        gap=str(_("no lifecycle stage")),
        having=projects_with_stage,
    )


QUALITY_FIGURES: list[Callable[[], QualityFigure]] = [
    mentions_linked,
    places_resolved,
    regional_on_country_pages,
    title_countries_placed,
    themes_suggested,
    themes_confirmed,
    projects_dated,
    projects_staged,
]


def quality_figures() -> list[QualityFigure]:
    """Every data-quality figure, in the page's order."""
    return [figure() for figure in QUALITY_FIGURES]
