"""Reads of the project matrix, within the reader's clearance: filters, pivots, possible overlaps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404

from compact.core.permissions import readable_levels
from compact.funding.selectors import earmarks_visible_to
from compact.lib.places import countries_of_regions, regions_covering
from compact.matrix.models import (
    OverlapReview,
    Project,
    ProjectCountry,
    ProjectMention,
    ProjectPillar,
    ProjectRegion,
)
from compact.matrix.permissions import can_read_projects
from workinggroups.models import WorkingGroup


def projects_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Projects ``user`` may read: signed in, and only up to their clearance."""
    if not can_read_projects(user):
        return Project.objects.none()
    return Project.objects.filter(classification__in=readable_levels(user))


# Unknown dates sort last whichever the direction (PostgreSQL would put NULLs first going down).
PROJECT_ORDERINGS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "start": (F("start_year").asc(nulls_last=True), F("start_month").asc(nulls_last=True), "id"),
    "-start": (F("start_year").desc(nulls_last=True), F("start_month").desc(nulls_last=True), "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "status": ("status", "title", "id"),
}


def in_country(country: str, *, with_regional: bool = False) -> Q:
    """Projects naming ``country``; ``with_regional`` adds those of every region covering it."""
    condition = Q(pk__in=ProjectCountry.objects.filter(country=country.upper()).values("project"))
    if with_regional:
        covering = regions_covering(country)
        condition |= Q(pk__in=ProjectRegion.objects.filter(region__in=covering).values("project"))
    return condition


def _naming_organization(partner: str) -> QuerySet:
    """Ids of projects naming an organization not party to the Compact: "kind:<kind>" for any
    of a kind, else an acronym."""
    kind = partner.removeprefix("kind:") if partner.startswith("kind:") else None
    condition = Q(organization__kind=kind) if kind else Q(organization__acronym__iexact=partner)
    return ProjectMention.objects.filter(condition).values("project")


# The stage filter's value for projects whose lifecycle stage nobody has recorded.
STAGE_NOT_KNOWN = "none"


def projects_filtered(
    user: AbstractBaseUser | AnonymousUser,
    *,
    country: str = "",
    region: str = "",
    pillar: str = "",
    theme: int | None = None,
    entity: int | None = None,
    partner: str = "",
    status: str = "",
    stage: str = "",
    donor: str = "",
    year: int | None = None,
    search: str = "",
    ordering: str = "title",
    with_regional: bool = False,
) -> QuerySet[Project]:
    """The matrix as ``user`` may read it, filtered. ``entity`` matches lead or partner;
    ``year`` keeps projects running at some time in that year (``running_in``).
    ``with_regional`` adds to a ``country`` the projects of every region covering it (a
    project "in the Sahel" belongs on Mali's page)."""
    projects = projects_visible_to(user)
    if country:
        projects = projects.filter(in_country(country, with_regional=with_regional))
    if region:
        projects = projects.filter(pk__in=ProjectRegion.objects.filter(region=region).values("project"))
    if pillar:
        projects = projects.filter(pk__in=ProjectPillar.objects.filter(pillar=pillar).values("project"))
    if theme:
        projects = projects.filter(themes=theme)
    if entity:
        projects = projects.filter(
            Q(lead_entity=entity)
            | Q(pk__in=Project.partner_entities.through.objects.filter(entity=entity).values("project"))
        )
    if partner:
        projects = projects.filter(pk__in=_naming_organization(partner))
    if status:
        projects = projects.filter(status=status)
    if stage:  # a lifecycle stage, or "none": no stage recorded
        projects = projects.filter(stage="" if stage == STAGE_NOT_KNOWN else stage)
    if donor:
        projects = projects.filter(funded_by(user, donor))
    if year:
        projects = projects.filter(running_in(year))
    if search:
        projects = projects.filter(
            Q(title__icontains=search) | Q(main_activities__icontains=search) | Q(scope_text__icontains=search)
        )
    return projects.order_by(*PROJECT_ORDERINGS.get(ordering, PROJECT_ORDERINGS["title"]))


def funded_by(user: AbstractBaseUser | AnonymousUser, code: str) -> Q:
    """Projects the donor ``code`` funds: linked to it, or earmarked a part of its contribution
    by an earmark ``user`` may read (an earmark beyond their clearance says nothing)."""
    earmarked = earmarks_visible_to(user).filter(contribution__donor__code=code.upper()).values("project")
    return Q(pk__in=Project.funders.through.objects.filter(donor__code=code.upper()).values("project")) | Q(
        pk__in=earmarked.exclude(project=None)
    )


def project_funding(user: AbstractBaseUser | AnonymousUser, project: Project) -> dict[str, Any]:
    """What the project page says of its funding: the linked donors and the donors of the
    earmarks ``user`` may read, those earmarks and their total (only what ``user`` may read),
    and the budget less that total (None without a budget)."""
    earmarks = list(earmarks_visible_to(user).filter(project=project))
    donors = {donor.pk: donor for donor in project.funders.all()}
    for earmark in earmarks:
        donors.setdefault(earmark.contribution.donor_id, earmark.contribution.donor)
    earmarked = sum((earmark.amount_usd for earmark in earmarks), Decimal(0))
    # Negative when more is earmarked than the budget: the surplus is shown, not hidden.
    gap = None if project.budget_usd is None else project.budget_usd - earmarked
    return {
        "donors": sorted(donors.values(), key=lambda donor: donor.name),
        "earmarks": earmarks,
        "earmarked": earmarked,
        "gap": gap,
        "surplus": -gap if gap is not None and gap < 0 else None,
    }


def running_in(year: int) -> Q:
    """Projects running at some time in ``year``. An open end counts as running for projects
    still ongoing or in development; a completed project ended: with no end given, it ran in
    its start year only, and with no date at all it is in no year (we cannot say which)."""
    started = Q(start_year__isnull=True) | Q(start_year__lte=year)
    ended_after = Q(end_year__gte=year)
    open_and_running = Q(end_year__isnull=True) & ~Q(status=Project.Status.COMPLETED)
    completed_in_start_year = Q(end_year__isnull=True, status=Project.Status.COMPLETED, start_year=year)
    return (started & (ended_after | open_and_running)) | completed_in_start_year


def projects_with_details(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with what a list row shows (lead, partners, themes, places), in a fixed number
    of queries whatever the number of projects."""
    return projects.select_related("lead_entity").prefetch_related(
        "partner_entities", "themes", "country_rows", "region_rows"
    )


# The columns a list row shows as they are stored; the lead's acronym and the related lists
# are added by ``project_rows``.
PROJECT_ROW_COLUMNS = (
    "id",
    "title",
    "main_activities",
    "partner_organizations",
    "status",
    "stage",
    "start_year",
    "start_month",
    "end_year",
    "end_month",
    "duration_text",
    "recurring",
    "pillars",
    "themes_confirmed_at",
    "scope",
    "scope_text",
    "classification",
    "gender_marker",
    "hrdd_assessed",
    "budget_usd",
    "donors",
    "source_key",
    "updated_at",
)


@dataclass(frozen=True)
class _RowRelation:
    """A many-to-many list of a list row: the rows of ``model`` naming the project, each read
    as ``fields`` (one field: its value; several: a dict of them), in ``ordering``."""

    model: type
    fields: dict[str, str]
    ordering: tuple[str, ...] = ()

    def expression(self) -> F | JSONObject:
        """What the database aggregates for one related row."""
        if len(self.fields) == 1:
            return F(next(iter(self.fields.values())))
        return JSONObject(**self.fields)

    def item(self, values: tuple[Any, ...]) -> Any:
        """One related row read as a tuple of ``fields``, as the database would aggregate it."""
        return values[0] if len(self.fields) == 1 else dict(zip(self.fields, values, strict=True))


# Partner acronyms, countries and regions are sorted by the caller, in Python, as the list
# always showed them (the database's collation may order them otherwise).
ROW_RELATIONS = {
    "partner_acronyms": _RowRelation(Project.partner_entities.through, {"acronym": "entity__acronym"}),
    "theme_refs": _RowRelation(
        Project.themes.through,
        {"id": "workinggroup_id", "number": "workinggroup__number", "short_name": "workinggroup__short_name"},
        ("workinggroup__number", "workinggroup__established_on", "workinggroup_id"),
    ),
    "country_codes": _RowRelation(ProjectCountry, {"country": "country"}),
    "region_codes": _RowRelation(ProjectRegion, {"region": "region"}),
}


def project_rows(projects: QuerySet[Project]) -> QuerySet[Project]:
    """``projects`` as plain rows (``.values()``) with what a list row shows: the columns, the
    lead's acronym (``lead_acronym``) and the related lists of ``ROW_RELATIONS`` —
    ``partner_acronyms``, ``theme_refs`` ({id, number, short_name}, by number),
    ``country_codes``, ``region_codes``.

    On PostgreSQL the lists are arrays aggregated in the page's own query (a correlated
    subquery each, run for the rows of the page only: ``count()`` leaves unused annotations
    out); elsewhere (the embedded SQLite) ``project_rows_complete`` adds them with one query per
    relation. Either way the number of queries does not grow with the rows, and no model
    instance is built."""
    rows = projects.values(*PROJECT_ROW_COLUMNS, lead_acronym=F("lead_entity__acronym"))
    if connection.vendor != "postgresql":
        return rows
    from django.contrib.postgres.expressions import ArraySubquery

    return rows.annotate(
        **{
            key: ArraySubquery(
                relation.model.objects.filter(project=OuterRef("pk"))
                .order_by(*relation.ordering)
                .values(item=relation.expression())
            )
            for key, relation in ROW_RELATIONS.items()
        }
    )


def project_rows_complete(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``project_rows``, each with its related lists: nothing to do where the
    database aggregated them, else one query per relation for all the rows together."""
    if not rows or all(key in rows[0] for key in ROW_RELATIONS):
        return rows
    by_id = {row["id"]: row for row in rows}
    for key, relation in ROW_RELATIONS.items():
        for row in rows:
            row[key] = []
        related = relation.model.objects.filter(project__in=list(by_id)).order_by("project", *relation.ordering)
        for project, *values in related.values_list("project", *relation.fields.values()):
            by_id[project][key].append(relation.item(tuple(values)))
    return rows


def get_project_for_user_or_404(user: AbstractBaseUser | AnonymousUser, pk: int) -> Project:
    project = projects_visible_to(user).filter(pk=pk).first()
    if project is None:
        raise Http404("No such project.")
    return project


def projects_per_country(projects: QuerySet[Project]) -> list[tuple[str, int]]:
    """(ISO code, number of projects) for the given projects, most first."""
    rows = (
        ProjectCountry.objects.filter(project__in=projects.values("pk"))
        .values("country")
        .annotate(n=Count("project", distinct=True))
        .order_by("-n", "country")
    )
    return [(row["country"], row["n"]) for row in rows]


def projects_per_pillar(projects: QuerySet[Project]) -> dict[str, int]:
    """{pillar: number of the given projects serving it} (one query)."""
    rows = ProjectPillar.objects.filter(project__in=projects.order_by()).values("pillar").annotate(n=Count("project"))
    return {row["pillar"]: row["n"] for row in rows}


def pivot_country_pillar(projects: QuerySet[Project]) -> dict[str, dict[str, int]]:
    """{country: {pillar: number of projects}} for the given projects (one query)."""
    rows = (
        ProjectCountry.objects.filter(project__in=projects.values("pk"))
        .filter(project__pillar_rows__isnull=False)
        .values("country", "project__pillar_rows__pillar")
        .annotate(n=Count("project", distinct=True))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["country"], {})[row["project__pillar_rows__pillar"]] = row["n"]
    return table


def pivot_theme_entity(projects: QuerySet[Project]) -> dict[tuple[int, str], dict[str, int]]:
    """{(group number, group name): {lead entity acronym: number of projects}} (one query).
    The list's ordering is dropped: its columns would join the GROUP BY and split each count
    into ones."""
    rows = (
        projects.order_by()
        .filter(themes__isnull=False, lead_entity__isnull=False)
        .values("themes__number", "themes__short_name", "lead_entity__acronym")
        .annotate(n=Count("pk", distinct=True))
    )
    table: dict[tuple[int, str], dict[str, int]] = {}
    for row in rows:
        key = (row["themes__number"], row["themes__short_name"])
        table.setdefault(key, {})[row["lead_entity__acronym"]] = row["n"]
    return table


@dataclass(frozen=True)
class CountryCounts:
    """How many of a set of projects each country has, as the map draws them (see
    ``projects_per_country_with_regions``), and how many projects are on no country."""

    counts: dict[str, int]  # ISO code → number of projects (countries with none left out)
    total: int  # projects in the set
    global_projects: int  # on no country: their scope is global
    unplaced: int  # on no country, and not global: no country or region recognised


def projects_per_country_with_regions(projects: QuerySet[Project]) -> CountryCounts:
    """Projects per country, a regional project counted in **every country its regions
    cover** (a project "in the Sahel" counts for Mali, Niger, …): the rule of the country
    page, whose total the map's link leads to. A project naming a country and a region
    covering it counts once there. Three queries, whatever the number of projects."""
    ids = projects.order_by().values("pk")
    places: dict[int, set[str]] = {}
    for project, country in ProjectCountry.objects.filter(project__in=ids).values_list("project", "country"):
        places.setdefault(project, set()).add(country)
    regions_of: dict[int, list[str]] = {}
    for project, region in ProjectRegion.objects.filter(project__in=ids).values_list("project", "region"):
        regions_of.setdefault(project, []).append(region)
    for project, codes in regions_of.items():
        places.setdefault(project, set()).update(countries_of_regions(codes))
    counts: dict[str, int] = {}
    for codes in places.values():
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    scopes = dict(projects.order_by().values_list("pk", "scope"))
    nowhere = [scope for pk, scope in scopes.items() if not places.get(pk)]
    global_projects = sum(1 for scope in nowhere if scope == Project.Scope.GLOBAL)
    return CountryCounts(
        counts=counts, total=len(scopes), global_projects=global_projects, unplaced=len(nowhere) - global_projects
    )


@dataclass(frozen=True)
class OverlapCandidate:
    first: Project
    second: Project
    countries: tuple[str, ...]
    shared: str  # what they share besides the country: "theme" or "pillar"
    review: OverlapReview | None


def _last_year(project: Project) -> int:
    if project.end_year:
        return project.end_year
    # A completed project with no end ended when it started, as ``running_in`` reads it.
    completed = project.status == Project.Status.COMPLETED
    return (project.start_year or 9999) if completed else 9999


def _years_overlap(a: Project, b: Project) -> bool:
    low = max(a.start_year or 0, b.start_year or 0)
    high = min(_last_year(a), _last_year(b))
    return low <= high


def overlap_themes(project: Project) -> list[WorkingGroup]:
    """The themes the overlap finder compares: the project's own (confirmed, or chosen on its
    form); for a project with none yet, the suggested ones. Prefetch both."""
    return list(project.themes.all()) or [s.working_group for s in project.theme_suggestions.all()]


def _theme_ids(project: Project) -> set[int]:
    return {group.pk for group in overlap_themes(project)}


def project_overlaps(user: AbstractBaseUser | AnonymousUser, *, country: str = "") -> list[OverlapCandidate]:
    """Candidates for joint programming (Annex III, IV.11 (c) and (g)): two projects led by
    different entities, in a same country, serving a same theme (a shared working group,
    confirmed or else suggested; for projects with neither, a shared pillar), with
    overlapping years."""
    visible = projects_visible_to(user)
    pairs = (
        ProjectCountry.objects.filter(project__in=visible.values("pk"))
        .values_list("country", "project")
        .order_by("country", "project")
    )
    by_country: dict[str, list[int]] = {}
    for code, project in pairs:
        if not country or code == country.upper():
            by_country.setdefault(code, []).append(project)
    candidates: dict[tuple[int, int], set[str]] = {}
    for code, ids in by_country.items():
        for index, first in enumerate(ids):
            for second in ids[index + 1 :]:
                candidates.setdefault((first, second), set()).add(code)
    if not candidates:
        return []
    ids = {pk for pair in candidates for pk in pair}
    projects = {
        p.pk: p
        for p in visible.filter(pk__in=ids)
        .select_related("lead_entity")
        .prefetch_related("themes", "theme_suggestions__working_group")
    }
    reviews = {
        (r.first_id, r.second_id): r
        for r in OverlapReview.objects.filter(first__in=ids, second__in=ids).select_related("reviewed_by")
    }
    found = []
    for (a_id, b_id), codes in sorted(candidates.items()):
        a, b = projects.get(a_id), projects.get(b_id)
        if a is None or b is None or a.lead_entity_id == b.lead_entity_id or not _years_overlap(a, b):
            continue
        a_themes, b_themes = _theme_ids(a), _theme_ids(b)
        if a_themes & b_themes:
            shared = "theme"
        elif not a_themes and not b_themes and set(a.pillars) & set(b.pillars):
            shared = "pillar"
        else:
            continue
        found.append(OverlapCandidate(a, b, tuple(sorted(codes)), shared, reviews.get((a_id, b_id))))
    return found
