"""Projects' themes: suggested by the rules in ``data/reference/working_group_themes.csv``
(``compact.lib.themes``), confirmed or changed by OCT.

``Project.themes`` holds the confirmed working groups (what the working-group filter and the
"working groups × lead entities" pivot count); ``ThemeSuggestion`` rows hold what the rules
suggest, with their reasons. An import refreshes the suggestions and never touches a
confirmation (``Project.themes_confirmed_at``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record
from compact.core.bulk import rows_copy
from compact.lib.themes import Rule, Suggestion, rules_read, themes_suggest
from compact.matrix.models import Project, ThemeSuggestion
from compact.matrix.permissions import can_manage_matrix
from workinggroups.models import WorkingGroup


@lru_cache(maxsize=1)
def theme_rules() -> tuple[Rule, ...]:
    return tuple(rules_read())


def themes_for(
    *, title: str, activities: str = "", lead: str = "", partners: Iterable[str] = (), pillars: Iterable[str] = ()
) -> list[tuple[WorkingGroup, Suggestion]]:
    """The suggested working groups (existing, active or not) for a project's text, best first."""
    suggestions = themes_suggest(
        theme_rules(), title=title, activities=activities, lead=lead, partners=partners, pillars=pillars
    )
    return _suggested_groups_found(suggestions, _groups_by_code({s.working_group for s in suggestions}))


def _groups_by_code(codes: Iterable[str]) -> dict[str, WorkingGroup]:
    return WorkingGroup.objects.select_related("merged_into").in_bulk(list(codes), field_name="code")


def _suggested_groups_found(
    suggestions: list[Suggestion], groups: dict[str, WorkingGroup]
) -> list[tuple[WorkingGroup, Suggestion]]:
    """The existing groups the suggestions name, each once, a merged group's as its successor's."""
    found: list[tuple[WorkingGroup, Suggestion]] = []
    for suggestion in suggestions:
        group = groups.get(suggestion.working_group)
        while group is not None and group.merged_into_id:  # a merged group's themes went to its successor
            group = group.merged_into
        if group is not None and group not in [g for g, _s in found]:
            found.append((group, suggestion))
    return found


def project_theme_suggestions(project: Project) -> list[tuple[WorkingGroup, Suggestion]]:
    return themes_for(
        title=project.title,
        activities=project.main_activities,
        lead=project.lead_entity.acronym if project.lead_entity else "",
        partners=[e.acronym for e in project.partner_entities.all()] + list(project.partner_organizations or []),
        pillars=project.pillars,
    )


def project_themes_suggest(*, project: Project) -> list[ThemeSuggestion]:
    """Replace the project's suggestions with what the rules say now. Derived data, like a
    cache of the rules' answer: no audit row (the confirmation is the decision)."""
    ThemeSuggestion.objects.filter(project=project).delete()
    return ThemeSuggestion.objects.bulk_create(
        ThemeSuggestion(
            project=project,
            working_group=group,
            score=suggestion.score,
            reasons=[reason.as_dict() for reason in suggestion.reasons],
            fallback=suggestion.fallback,
        )
        for group, suggestion in project_theme_suggestions(project)
    )


@transaction.atomic
def projects_themes_suggest(*, projects: QuerySet[Project]) -> int:
    """Refresh the suggestions of many projects (after an import); returns how many."""
    return projects_themes_suggest_many(list(projects.select_related("lead_entity")))


@transaction.atomic
def projects_themes_suggest_many(projects: Sequence[Project]) -> int:
    """``project_themes_suggest`` for each of ``projects`` (saved, with their partners), in a
    number of queries that does not grow with them: an import refreshes thousands at once."""
    ids = [project.pk for project in projects]
    partners: defaultdict[int, list[str]] = defaultdict(list)
    through = Project.partner_entities.through.objects.filter(project_id__in=ids)
    for project_id, acronym in through.values_list("project_id", "entity__acronym"):
        partners[project_id].append(acronym)
    suggested = {
        project.pk: themes_suggest(
            theme_rules(),
            title=project.title,
            activities=project.main_activities,
            lead=project.lead_entity.acronym if project.lead_entity else "",
            partners=partners[project.pk] + list(project.partner_organizations or []),
            pillars=project.pillars,
        )
        for project in projects
    }
    groups = _groups_by_code({s.working_group for suggestions in suggested.values() for s in suggestions})
    ThemeSuggestion.objects.filter(project_id__in=ids).delete()
    rows_copy(
        ThemeSuggestion,
        ["project_id", "working_group_id", "score", "reasons", "fallback"],
        (
            (project.pk, group.pk, suggestion.score, [r.as_dict() for r in suggestion.reasons], suggestion.fallback)
            for project in projects
            for group, suggestion in _suggested_groups_found(suggested[project.pk], groups)
        ),
    )
    return len(projects)


@transaction.atomic
def project_themes_confirm(
    *, projects: Iterable[Project], actor: AbstractBaseUser, working_groups: Iterable[WorkingGroup] | None = None
) -> int:
    """OCT confirms the themes of ``projects``: each project's own suggestions when
    ``working_groups`` is None ("confirm the selected"), else exactly ``working_groups``
    ("change"). One audit row per project whose themes or confirmation changed."""
    if not can_manage_matrix(actor):
        raise PermissionDenied(_("Only the OCT secretariat confirms themes."))
    chosen = None if working_groups is None else list(working_groups)
    if chosen is not None and not chosen:
        raise ValidationError(_("Choose at least one working group."))
    now, count = timezone.now(), 0
    ids = [p.pk for p in projects]
    for project in Project.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        if chosen is None and project.themes_confirmed_at is not None:
            continue  # confirming the suggestions must not undo a change OCT made
        # "Confirm" accepts what the page shows: the themes someone chose, else the suggestions.
        groups = chosen if chosen is not None else (list(project.themes.all()) or _suggested_groups(project))
        if not groups:
            continue  # nothing suggested yet: nothing to confirm
        before = sorted(project.themes.values_list("number", flat=True))
        project.themes.set(groups)
        project.themes_confirmed_at, project.themes_confirmed_by = now, actor
        project.save(update_fields=["themes_confirmed_at", "themes_confirmed_by"])
        audit_record(
            actor=actor,
            verb="project.themes_confirmed",
            obj=project,
            before={"themes": before},
            after={"themes": sorted(g.number for g in groups)},
        )
        count += 1
    return count


def _suggested_groups(project: Project) -> list[WorkingGroup]:
    return [s.working_group for s in project.theme_suggestions.select_related("working_group")]


# --- Figures for the data-quality page -------------------------------------------------------------


def projects_with_suggested_theme(projects: QuerySet[Project]) -> tuple[int, QuerySet[Project]]:
    """(how many, which) of ``projects`` have at least one suggested theme."""
    rows = projects.filter(pk__in=ThemeSuggestion.objects.values("project"))
    return rows.count(), rows


def projects_with_confirmed_theme(projects: QuerySet[Project]) -> tuple[int, QuerySet[Project]]:
    """(how many, which) of ``projects`` have themes OCT confirmed."""
    rows = projects.filter(themes_confirmed_at__isnull=False)
    return rows.count(), rows


def projects_with_dates(projects: QuerySet[Project]) -> tuple[int, QuerySet[Project]]:
    """(how many, which) of ``projects`` have a start or an end year."""
    rows = projects.filter(start_year__isnull=False) | projects.filter(end_year__isnull=False)
    return rows.count(), rows


def projects_with_stage(projects: QuerySet[Project]) -> tuple[int, QuerySet[Project]]:
    """(how many, which) of ``projects`` have a lifecycle stage."""
    rows = projects.exclude(stage="")
    return rows.count(), rows
