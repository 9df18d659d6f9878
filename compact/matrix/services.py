"""The project matrix: projects kept by OCT and the entities' focal points, and overlap reviews.

Imports of matrix files are in ``compact.matrix.imports.services``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_event, audit_record, audit_record_many, snapshot
from compact.core.bulk import rows_copy
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.funding.models import Donor
from compact.funding.selectors import earmarks_visible_to
from compact.lib.places import regions as known_regions
from compact.matrix.models import OverlapReview, Project, ProjectCountry, ProjectPillar, ProjectRegion
from compact.matrix.permissions import can_edit_project, can_manage_matrix
from compact.matrix.themes import project_themes_suggest, projects_themes_suggest_many
from compact.registry.models import Entity, Pillar
from compact.registry.permissions import can_manage_entity
from workinggroups.models import WorkingGroup

PROJECT_FIELDS = (
    "title",
    "main_activities",
    "lead_entity",
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
    "scope",
    "scope_text",
    "classification",
    "gender_marker",
    "hrdd_assessed",
    "budget_usd",
    "donors",
)


def _known_country_codes() -> set[str]:
    from django_countries import countries

    return set(dict(countries))


def _country_codes(codes: Iterable[str], known: Collection[str] | None = None) -> list[str]:
    known = _known_country_codes() if known is None else known
    cleaned = sorted({code.strip().upper() for code in codes if code and code.strip()})
    unknown = [code for code in cleaned if code not in known]
    if unknown:
        raise ValidationError({"countries": _("Unknown country codes: %(codes)s") % {"codes": ", ".join(unknown)}})
    return cleaned


def _region_codes(codes: Iterable[str], valid: Collection[str] | None = None) -> list[str]:
    valid = {region.code for region in known_regions()} if valid is None else valid
    cleaned = sorted({code.strip() for code in codes if code and code.strip()})
    unknown = [code for code in cleaned if code not in valid]
    if unknown:
        raise ValidationError({"regions": _("Unknown region codes: %(codes)s") % {"codes": ", ".join(unknown)}})
    return cleaned


def _check_dates(fields: dict[str, Any]) -> None:
    start = (fields.get("start_year"), fields.get("start_month") or 1)
    end = (fields.get("end_year"), fields.get("end_month") or 12)
    if start[0] and end[0] and end < start:
        raise ValidationError({"end_year": _("The project cannot end before it starts.")})


def _may_create(actor: AbstractBaseUser, lead: Entity | None, classification: str) -> bool:
    if not can_read_classification(actor, classification):
        return False
    return can_manage_matrix(actor) or (lead is not None and can_manage_entity(actor, lead))


def _set_places(project: Project, countries: list[str] | None, regions: list[str] | None) -> None:
    if countries is not None:
        project.country_rows.exclude(country__in=countries).delete()
        have = set(project.country_rows.values_list("country", flat=True))
        ProjectCountry.objects.bulk_create(
            ProjectCountry(project=project, country=c) for c in countries if c not in have
        )
    if regions is not None:
        project.region_rows.exclude(region__in=regions).delete()
        have = set(project.region_rows.values_list("region", flat=True))
        ProjectRegion.objects.bulk_create(ProjectRegion(project=project, region=r) for r in regions if r not in have)


def _set_pillars(project: Project) -> None:
    project.pillar_rows.exclude(pillar__in=project.pillars).delete()
    have = set(project.pillar_rows.values_list("pillar", flat=True))
    ProjectPillar.objects.bulk_create(
        ProjectPillar(project=project, pillar=p) for p in project.pillars if p not in have
    )


def project_state(project: Project) -> dict[str, Any]:
    """Everything about a project, JSON-safe: for audit rows and to tell whether an import
    changes anything."""
    return {
        **snapshot(project, PROJECT_FIELDS),
        "partner_entities": sorted(project.partner_entities.values_list("acronym", flat=True)),
        "themes": sorted(project.themes.values_list("number", flat=True)),
        "countries": sorted(project.country_rows.values_list("country", flat=True)),
        "regions": sorted(project.region_rows.values_list("region", flat=True)),
        "funders": sorted(project.funders.values_list("code", flat=True)),
    }


def project_states(projects: Sequence[Project]) -> dict[int, dict[str, Any]]:
    """``project_state`` of each of ``projects``, by id, in four queries whatever their number
    (an import compares thousands of projects with its file)."""
    ids = [project.pk for project in projects]
    partners = _values_by_project(Project.partner_entities.through.objects, ids, "entity__acronym")
    themes = _values_by_project(Project.themes.through.objects, ids, "workinggroup__number")
    countries = _values_by_project(ProjectCountry.objects, ids, "country")
    regions = _values_by_project(ProjectRegion.objects, ids, "region")
    funders = _values_by_project(Project.funders.through.objects, ids, "donor__code")
    return {
        project.pk: {
            **snapshot(project, PROJECT_FIELDS),
            "partner_entities": sorted(partners[project.pk]),
            "themes": sorted(themes[project.pk]),
            "countries": sorted(countries[project.pk]),
            "regions": sorted(regions[project.pk]),
            "funders": sorted(funders[project.pk]),
        }
        for project in projects
    }


def _values_by_project(manager: Any, ids: list[int], value: str) -> defaultdict[int, list[Any]]:
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for project_id, item in manager.filter(project_id__in=ids).values_list("project_id", value):
        grouped[project_id].append(item)
    return grouped


@transaction.atomic
def project_save(
    *,
    project: Project | None,
    actor: AbstractBaseUser | None,
    fields: dict[str, Any],
    partner_entities: Iterable[Entity] | None = None,
    themes: Iterable[Any] | None = None,
    countries: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    funders: Iterable[Donor] | None = None,
    source: dict[str, Any] | None = None,
    imported_by: AbstractBaseUser | None = None,
) -> Project:
    """Create (``project=None``) or update a project with its partners, themes and places
    (``None`` leaves one as it is; only the ``fields`` given change).

    OCT edits any project; a focal point creates and edits those of their entity (lead or
    partner). ``actor=None`` is an import, checked by the importer, who is ``imported_by``."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"project_save() got unknown fields: {sorted(unknown)}")
    if actor is not None:
        lead = fields.get("lead_entity", project.lead_entity if project else None)
        level = fields.get("classification", project.classification if project else Classification.UNCLASSIFIED)
        allowed = can_edit_project(actor, project) if project else _may_create(actor, lead, level)
        if project and allowed and lead != project.lead_entity and not can_manage_matrix(actor):
            # A focal point may hand a project only to an entity they manage: otherwise
            # "create, then change the lead" would get round the rule on creating.
            allowed = lead is not None and can_manage_entity(actor, lead)
        if not allowed or not can_read_classification(actor, level):
            raise PermissionDenied(_("You cannot edit this project."))
    countries = None if countries is None else _country_codes(countries)
    regions = None if regions is None else _region_codes(regions)
    if "pillars" in fields:
        fields = {**fields, "pillars": [p for p in Pillar.values if p in set(fields["pillars"] or ())]}
    _check_dates(
        {**(snapshot(project, ("start_year", "start_month", "end_year", "end_month")) if project else {}), **fields}
    )
    creating = project is None
    project = Project() if creating else Project.objects.select_for_update().get(pk=project.pk)
    before = None if creating else project_state(project)
    for name, value in fields.items():
        setattr(project, name, value)
    for name, value in (source or {}).items():
        setattr(project, name, value)
    author = actor or imported_by
    project.updated_at, project.updated_by = timezone.now(), author
    project.full_clean(exclude=["source_key"] if project.source_key is None else None)
    project.save()
    if partner_entities is not None:
        project.partner_entities.set([e for e in partner_entities if e != project.lead_entity])
    if themes is not None:
        project.themes.set(themes)
    if funders is not None:
        project.funders.set(funders)
    _set_places(project, countries, regions)
    _set_pillars(project)
    project_themes_suggest(project=project)
    after = project_state(project)
    if before != after:
        changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
        audit_record(
            actor=author,
            verb="project.created" if creating else "project.updated",
            obj=project,
            before={k: before[k] for k in changed} if before else None,
            after=changed,
        )
    return project


@dataclass
class ProjectDraft:
    """A new project as an import gives it: ``project_save``'s arguments for one row."""

    fields: dict[str, Any]
    partner_entities: list[Entity] = field(default_factory=list)
    themes: list[Any] | None = None
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)


# Fields ``projects_create`` does not ask the database to check row by row: the import holds
# the rows they point to, and ``source_key`` is checked against the file and the table by the
# import's dry run (the unique index stays the last word).
_TRUSTED_FIELDS = ["lead_entity", "source_import", "updated_by", "themes_confirmed_by", "source_key"]

BATCH_SIZE = 1000


@transaction.atomic
def projects_create(*, drafts: Sequence[ProjectDraft], imported_by: AbstractBaseUser | None) -> list[Project]:
    """Create many imported projects at once: the same rows, links (partners, themes, places,
    pillars, theme suggestions) and one audit row each, with the same content, as
    ``project_save(project=None, actor=None, imported_by=...)`` would write for each draft, in a
    number of queries that does not grow with the drafts (batches of ``BATCH_SIZE``). Any
    draft ``project_save`` would refuse raises the same ValidationError and nothing is saved.

    Only for imports, whose importer was checked by the caller; updates go through ``project_save``."""
    known_countries, known_regions_ = _known_country_codes(), {region.code for region in known_regions()}
    author, now = imported_by, timezone.now()
    projects: list[Project] = []
    for draft in drafts:
        unknown = set(draft.fields) - set(PROJECT_FIELDS)
        if unknown:
            raise TypeError(f"projects_create() got unknown fields: {sorted(unknown)}")
        draft.countries = _country_codes(draft.countries, known_countries)
        draft.regions = _region_codes(draft.regions, known_regions_)
        projects.append(_project_built(draft, author, now))
    Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
    states = _links_create(projects, drafts)
    projects_themes_suggest_many(projects)
    audit_record_many(
        [
            audit_event(actor=author, verb="project.created", obj=project, before=None, after=state)
            for project, state in zip(projects, states, strict=True)
        ]
    )
    return projects


def _project_built(draft: ProjectDraft, author: AbstractBaseUser | None, now: Any) -> Project:
    """The unsaved project, checked as ``project_save`` checks it (dates, fields, months)."""
    fields = draft.fields
    if "pillars" in fields:
        fields = {**fields, "pillars": [p for p in Pillar.values if p in set(fields["pillars"] or ())]}
    _check_dates(fields)
    project = Project(**fields, **draft.source)
    project.updated_at, project.updated_by = now, author
    project.full_clean(exclude=_TRUSTED_FIELDS, validate_unique=False, validate_constraints=False)
    _check_months(project)
    return project


def _check_months(project: Project) -> None:
    """``full_clean``'s check of the month constraints, without a query a project."""
    constraints = {constraint.name: constraint for constraint in Project._meta.constraints}
    for name, constraint in (
        ("start_month", "project_start_month_valid"),
        ("end_month", "project_end_month_valid"),
    ):
        month = getattr(project, name)
        if month is not None and not 1 <= month <= 12:
            raise ValidationError(constraints[constraint].get_violation_error_message())


def _links_create(projects: list[Project], drafts: Sequence[ProjectDraft]) -> list[dict[str, Any]]:
    """Partners, themes, places and pillars of the new projects, in one insert each; returns
    each project's ``project_state`` as ``project_save`` would read it back."""
    partners, themes, countries, regions, pillars, states = [], [], [], [], [], []
    for project, draft in zip(projects, drafts, strict=True):
        others = list({e.pk: e for e in draft.partner_entities if e != project.lead_entity}.values())
        groups = list({g.pk: g for g in draft.themes or ()}.values())
        # Plain tuples, not model instances: tens of thousands of rows for a large file.
        pk = project.pk
        partners += [(pk, e.pk) for e in others]
        themes += [(pk, g.pk) for g in groups]
        countries += [(pk, c) for c in draft.countries]
        regions += [(pk, r) for r in draft.regions]
        pillars += [(pk, p) for p in project.pillars]
        states.append(
            {
                **snapshot(project, PROJECT_FIELDS),
                "partner_entities": sorted(e.acronym for e in others),
                "themes": sorted(g.number for g in groups),
                "countries": draft.countries,
                "regions": draft.regions,
                "funders": [],  # an import links no donor
            }
        )
    rows_copy(Project.partner_entities.through, ["project_id", "entity_id"], partners)
    rows_copy(Project.themes.through, ["project_id", "workinggroup_id"], themes)
    rows_copy(ProjectCountry, ["project_id", "country"], countries)
    rows_copy(ProjectRegion, ["project_id", "region"], regions)
    rows_copy(ProjectPillar, ["project_id", "pillar"], pillars)
    return states


def _has_earmarks(project: Project) -> bool:
    return project.earmarks.exists()


def _earmarked_refusal(project: Project, actor: AbstractBaseUser) -> ValidationError:
    """Why an earmarked project stays: the earmark named only to someone who may read one of
    them; anyone else is not told an earmark exists."""
    if earmarks_visible_to(actor).filter(project=project).exists():
        return ValidationError(_("Part of a contribution is earmarked to this project: OCT removes the earmark first."))
    return ValidationError(_("This project cannot be deleted now; ask OCT."))


@transaction.atomic
def project_delete(*, project: Project, actor: AbstractBaseUser) -> None:
    """Delete a project, unless part of a contribution is earmarked to it: the Trust Fund's
    record of what was set aside for it stays whole (an earmark made meanwhile too: the
    database protects it)."""
    if not can_edit_project(actor, project):
        raise PermissionDenied(_("You cannot edit this project."))
    if _has_earmarks(project):
        raise _earmarked_refusal(project, actor)
    audit_record(actor=actor, verb="project.deleted", obj=project, before=project_state(project))
    try:
        project.delete()
    except ProtectedError as error:  # nothing was deleted: the audit row goes back with the transaction
        raise _earmarked_refusal(project, actor) from error


@transaction.atomic
def overlap_review_record(*, first: Project, second: Project, actor: AbstractBaseUser, note: str = "") -> OverlapReview:
    """OCT marks a pair of overlapping projects as reviewed (again: the note is updated)."""
    if not can_manage_matrix(actor):
        raise PermissionDenied(_("Only the OCT secretariat reviews overlaps."))
    if first.pk == second.pk:
        raise ValidationError(_("A project does not overlap with itself."))
    first, second = sorted((first, second), key=lambda p: p.pk)
    review, created = OverlapReview.objects.update_or_create(
        first=first, second=second, defaults={"note": note.strip(), "reviewed_by": actor, "reviewed_at": timezone.now()}
    )
    audit_record(
        actor=actor,
        verb="project.overlap_reviewed",
        obj=first,
        after={"first": first.pk, "second": second.pk, "note": review.note, "new": created},
    )
    return review


@transaction.atomic
def projects_themes_carry(
    *, source: WorkingGroup, targets: Sequence[WorkingGroup], actor: AbstractBaseUser | None
) -> list[Project]:
    """Give every project themed with ``source`` the ``targets`` too (a reorganisation passing a
    group's work on); ``source`` stays, as the theme the project had. Returns the projects
    changed, each with its audit row (marked with the project's classification)."""
    wanted = {group.pk for group in targets}
    changed = []
    for project in Project.objects.filter(themes=source).prefetch_related("themes").order_by("pk"):
        had = {group.pk for group in project.themes.all()}
        missing = [group for group in targets if group.pk not in had]
        if not missing:
            continue
        project.themes.add(*missing)
        changed.append(project)
        audit_record(
            actor=actor,
            verb="project.themes_carried",
            obj=project,
            before={"themes": sorted(had)},
            after={"themes": sorted(had | wanted), "from": source.pk},
        )
    return changed
