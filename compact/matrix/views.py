"""Pages of the project matrix (Annex III, V.19): browse and export, a page per country, the
pivots, a project's page and form, OCT's overlap finder and imports.

Every read goes through a selector scoped to the user (readers see what their clearance
allows), every write through one service of ``compact.matrix.services`` or ``matrix_import``.
Pages a user may not use answer 404, like missing ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from compact.core.models import Classification
from compact.core.selectors import audit_events_for
from compact.lib.charts.shaded_table import ShadedTable, shaded_table
from compact.lib.forms import form_add_service_errors
from compact.lib.places import region_label
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.matrix.charts import countries_chart, pillars_chart
from compact.matrix.exports import country_name, csv_response, export_rows, xlsx_response
from compact.matrix.forms import (
    HrddpAssessmentForm,
    OverlapFilterForm,
    OverlapReviewForm,
    ProjectFilterForm,
    ProjectForm,
    SecurityForcesForm,
    StageMoveForm,
    entities_editable_by,
)
from compact.matrix.lifecycle import (
    hrddp_gate_error,
    lifecycle_moves_for,
    project_hrddp_record,
    project_security_forces_set,
    project_stage_move,
)
from compact.matrix.models import Project
from compact.matrix.permissions import can_edit_project, can_manage_matrix
from compact.matrix.reconciliation import latest_reconciliation
from compact.matrix.selectors import (
    OverlapCandidate,
    get_project_for_user_or_404,
    overlap_themes,
    pivot_country_pillar,
    pivot_theme_entity,
    project_funding,
    project_overlaps,
    project_rows,
    project_rows_complete,
    projects_filtered,
    projects_per_country,
    projects_per_pillar,
    projects_with_details,
)
from compact.matrix.services import overlap_review_record, project_delete, project_save
from compact.matrix.theme_reasons import shown_computed, shown_stored
from compact.matrix.themes import project_theme_suggestions, themes_for
from compact.matrix.workflow import CTED_STAGES, STAGES
from compact.registry.models import Pillar
from compact.visits.selectors import visits_in_country  # the one import upward (pyproject.toml)

PAGE_SIZE = 50
# The latest visits the country page lists; the visits' page has them all.
VISITS_ON_COUNTRY_PAGE = 20
STAGED_FOR = datetime.timedelta(days=1)


# --- Helpers --------------------------------------------------------------------------------


def years_text(project: Project | dict[str, Any]) -> str:
    """The years as people write them: 2017–2021, 2017– (open-ended), 2017 (within one
    year), or "" when no year is known. ``project`` may be a plain row (``project_rows``)."""
    read = project.get if isinstance(project, dict) else lambda name: getattr(project, name)
    start = _month_year(read("start_year"), read("start_month"))
    end = _month_year(read("end_year"), read("end_month"))
    if start and start == end:
        return start
    return f"{start}–{end}" if start or end else ""


def _month_year(year: int | None, month: int | None) -> str:
    if not year:
        return ""
    return f"{year}-{month:02d}" if month else str(year)


def _decorate(projects: Iterable[Project]) -> list[Project]:
    """The projects with their places named and their years written, for the templates."""
    rows = list(projects)
    for project in rows:
        codes = [row.country for row in project.country_rows.all()]
        project.country_list = sorted(((code, country_name(code)) for code in codes), key=lambda c: c[1])
        project.region_list = sorted((row.region, region_label(row.region)) for row in project.region_rows.all())
        project.years_text = years_text(project)
    return rows


STATUS_LABELS = dict(Project.Status.choices)
SCOPE_LABELS = dict(Project.Scope.choices)
CLASSIFICATION_LABELS = dict(Classification.choices)
# A code that only a reversed URL contains: replaced by each row's id or country.
_URL_SENTINEL = "9876543210"


@dataclass
class ProjectListRow:
    """A project as a list row shows it (``_rows.html``, ``_badges.html``), made from a plain
    row of ``project_rows``: no model instance, no ``reverse()`` per row or per country."""

    pk: int
    url: str
    title: str
    status: str
    classification: str
    scope: str
    lead_acronym: str | None
    partner_acronyms: list[str]
    partner_organizations: list[str]
    pillars: list[str]
    years_text: str
    country_links: list[tuple[str, str]]  # (URL of the country's page, name), by name
    region_list: list[tuple[str, str]]  # (code, label), by code
    countries: set[str] = field(default_factory=set)
    via_region: bool = False  # on a country's page through a region covering it

    def get_status_display(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def get_classification_display(self) -> str:
        return str(CLASSIFICATION_LABELS.get(self.classification, self.classification))

    def get_scope_display(self) -> str:
        return str(SCOPE_LABELS.get(self.scope, self.scope))


def _url_maker(name: str) -> Any:
    """A function of one argument giving ``reverse(name, args=[it])`` from a single reverse."""
    head, _sentinel, tail = reverse(name, args=[_URL_SENTINEL]).rpartition(_URL_SENTINEL)
    return lambda value: f"{head}{value}{tail}"


def _country_url_maker(query: str) -> Any:
    """A function of an ISO code giving the country's page with ``query`` (the filters that
    carry to it)."""
    country_url = _url_maker("project-country")
    return lambda code: country_url(code) + (f"?{query}" if query else "")


def project_list_rows(rows: list[dict[str, Any]], *, country_query: str = "") -> list[ProjectListRow]:
    """The rows of a page of ``project_rows``, ready for ``_rows.html``; their links to the
    country pages carry ``country_query`` (the filters other than the place)."""
    project_url, country_url = _url_maker("project-detail"), _country_url_maker(country_query)
    listed = []
    for row in project_rows_complete(rows):
        named = sorted(((code, country_name(code)) for code in row["country_codes"]), key=lambda c: c[1])
        listed.append(
            ProjectListRow(
                pk=row["id"],
                url=project_url(row["id"]),
                title=row["title"],
                status=row["status"],
                classification=row["classification"],
                scope=row["scope"],
                lead_acronym=row["lead_acronym"],
                partner_acronyms=sorted(row["partner_acronyms"]),
                partner_organizations=row["partner_organizations"],
                pillars=row["pillars"],
                years_text=years_text(row),
                country_links=[(country_url(code), name) for code, name in named],
                region_list=sorted((code, region_label(code)) for code in row["region_codes"]),
                countries=set(row["country_codes"]),
            )
        )
    return listed


def _query_without(request: HttpRequest, *names: str) -> str:
    """The current query string without ``names`` (to add a page, a sort, a cell's filter)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# The query keys the browse page, the pivots and the exports share (the sort only matters to
# the list and the exports): carried from one to the other, so that each shows the same set.
FILTER_KEYS = (*ProjectFilterForm.FILTER_FIELDS, "sort")


def _filter_query(request: HttpRequest) -> str:
    """The matrix filters of the current query string (each once, empty ones left out)."""
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        value = request.GET.get(key, "")
        if value.strip():
            kept[key] = value
    return kept.urlencode()


# A country's page is one place: the list's place filters do not carry to it (it shows every
# project in the country, the regional ones too), all its other filters do.
PLACE_KEYS = ("country", "region")


def _query_with(query: str, **values: str) -> str:
    """``query`` with ``values`` set (replacing what it had for them)."""
    changed = QueryDict(query, mutable=True)
    for key, value in values.items():
        changed[key] = value
    return changed.urlencode()


def _query_without_keys(query: str, *names: str) -> str:
    kept = QueryDict(query, mutable=True)
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _filter_query_without_place(request: HttpRequest) -> str:
    """The filters that carry to a country's page (``PLACE_KEYS`` left out)."""
    return _query_without_keys(_filter_query(request), *PLACE_KEYS)


def _active_filters(
    request: HttpRequest, form: ProjectFilterForm, *, skip: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """The filters that apply, as people read them, each with the query string without it
    (a link that removes just that one); ``skip`` names filters the page does not apply."""
    return [
        {"name": name, "label": label, "value": value, "without": _query_without(request, name, "page", *skip)}
        for name, label, value in form.active_filters()
        if name not in skip
    ]


def filter_context_of(request: HttpRequest, form: ProjectFilterForm) -> dict[str, Any]:
    """What every page of the matrix's tabs (``_nav.html``) needs to carry the filters:
    ``filter_query`` (the filters as a query string, for any link to a sibling page: list,
    pivots, exports, map), ``country_query`` (the same without the place, for the links to a
    country's page) and the filters that apply, as people read them."""
    return {
        "filter_query": _filter_query(request),
        "country_query": _filter_query_without_place(request),
        "active_filters": _active_filters(request, form),
    }


def _can_create(user: AbstractBaseUser) -> bool:
    return can_manage_matrix(user) or entities_editable_by(user).exists()


# --- Browse and export ----------------------------------------------------------------------


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The matrix, filtered, sorted and 50 to a page."""
    form = ProjectFilterForm(request.GET)
    projects = projects_filtered(request.user, **form.filters())
    page = Paginator(project_rows(projects), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = project_list_rows(list(page.object_list), country_query=_filter_query_without_place(request))
    context = {
        "form": form,
        "page": page,
        "can_create": _can_create(request.user),
        "can_manage": can_manage_matrix(request.user),
        "reconciliation": latest_reconciliation(),
        **filter_context_of(request, form),
    }
    return render(request, "compact/matrix/project_list.html", context)


def _export_title(form: ProjectFilterForm) -> str:
    """What an exported workbook holds, in words: the day and the filters applied."""
    day = date_format(timezone.localdate(), "DATE_FORMAT")
    filters = "; ".join(f"{label}: {value}" for _name, label, value in form.active_filters())
    if filters:
        return _("Projects, %(day)s (%(filters)s)") % {"day": day, "filters": filters}
    return _("Projects, %(day)s") % {"day": day}


@login_required
@require_GET
def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The browse page's current filtered view as CSV or XLSX, every page at once. A filter
    with a value that is not valid is ignored, as on the page."""
    form = ProjectFilterForm(request.GET)
    projects = projects_filtered(request.user, **form.filters())
    url_prefix = request.build_absolute_uri(reverse("project-list"))
    name = f"projects-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(export_rows(projects, url_prefix, request.user), name)
    return xlsx_response(projects, url_prefix, name=name, title=_export_title(form), user=request.user)


# --- One project ----------------------------------------------------------------------------


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user_or_404(request.user, pk)
    project = _decorate(projects_with_details(Project.objects.filter(pk=project.pk)))[0]
    return render(request, "compact/matrix/project_detail.html", _detail_context(request, project))


def _detail_context(request: HttpRequest, project: Project, **forms_: Any) -> dict[str, Any]:
    today = timezone.localdate()
    moves = lifecycle_moves_for(request.user, project)
    supports = {True: "yes", False: "no"}.get(project.supports_security_forces)
    return {
        "project": project,
        "funding": project_funding(request.user, project),
        "can_edit": can_edit_project(request.user, project),
        "can_manage": can_manage_matrix(request.user),
        "suggestions": shown_stored(list(project.theme_suggestions.select_related("working_group"))),
        "events": audit_events_for(project, request.user)[:20],
        "stages": [(stage, stage.label, project.stage == stage) for stage in STAGES],
        "stage_steps": project.stage_steps.select_related("entity", "actor"),
        "cted_stages": CTED_STAGES,
        "moves": moves,
        "stage_form": forms_.get("stage_form")
        or StageMoveForm(moves=moves, initial={"reached_on": today, "entity": project.lead_entity_id}),
        "hrddp_assessments": project.hrddp_assessments.select_related("entity", "recorded_by"),
        "hrddp_gate": hrddp_gate_error(project, today) if project.stage == Project.Stage.INITIATION else None,
        "forces_form": forms_.get("forces_form") or SecurityForcesForm(initial={"supports": supports}),
        "hrddp_form": forms_.get("hrddp_form") or HrddpAssessmentForm(initial={"assessed_on": today}),
    }


def _detail_again(request: HttpRequest, project: Project, **forms_: Any) -> HttpResponse:
    project = _decorate(projects_with_details(Project.objects.filter(pk=project.pk)))[0]
    context = _detail_context(request, project, **forms_)
    return render(request, "compact/matrix/project_detail.html", context, status=400)


def _editable_or_404(request: HttpRequest, pk: int) -> Project:
    project = get_project_for_user_or_404(request.user, pk)
    if not can_edit_project(request.user, project):
        raise Http404
    return project


@login_required
@require_POST
def project_stage_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the project's lifecycle, from the form on its page."""
    project = _editable_or_404(request, pk)
    form = StageMoveForm(request.POST, moves=lifecycle_moves_for(request.user, project))
    if form.is_valid():
        try:
            project_stage_move(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (TransitionNotAllowedError, StaleStateError):
            form.add_error(None, _("This step is not possible now: the project's stage changed. Reload the page."))
        else:
            messages.success(request, _("The project's lifecycle was updated."))
            return redirect(f"{reverse('project-detail', args=[project.pk])}#lifecycle-heading")
    return _detail_again(request, project, stage_form=form)


@login_required
@require_POST
def project_security_forces_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable_or_404(request, pk)
    form = SecurityForcesForm(request.POST)
    if form.is_valid():
        project_security_forces_set(project=project, actor=request.user, supports=form.cleaned_data["supports"])
        messages.success(request, _("Saved."))
        return redirect(f"{reverse('project-detail', args=[project.pk])}#hrddp-heading")
    return _detail_again(request, project, forces_form=form)


@login_required
@require_POST
def project_hrddp_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a human rights due diligence assessment of the project."""
    project = _editable_or_404(request, pk)
    form = HrddpAssessmentForm(request.POST)
    if form.is_valid():
        try:
            project_hrddp_record(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The assessment was recorded."))
            return redirect(f"{reverse('project-detail', args=[project.pk])}#hrddp-heading")
    return _detail_again(request, project, hrddp_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    """OCT creates any project; a focal point one led by their own entity."""
    if not _can_create(request.user):
        raise Http404
    return _project_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(request, _editable_or_404(request, pk))


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, user=request.user, project=project)
    if data is not None and form.is_valid():
        try:
            saved = project_save(project=project, actor=request.user, **form.service_arguments())
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot edit this project."))
        else:
            message = _("The project was created.") if project is None else _("The project was saved.")
            messages.success(request, message)
            return redirect("project-detail", pk=saved.pk)
    status = 400 if data is not None else 200
    context = {"form": form, "project": project, "suggestions": _form_suggestions(form, project)}
    return render(request, "compact/matrix/project_form.html", context, status=status)


def _form_suggestions(form: ProjectForm, project: Project | None) -> list[Any]:
    """The themes the rules suggest, for the focal point to tick: from what was typed when the
    form comes back with errors, else from the saved project; none on a blank new form."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", {})
        lead = data.get("lead_entity")
        return shown_computed(
            themes_for(
                title=form.data.get("title", "")[:1000],
                activities=form.data.get("main_activities", "")[:20000],
                lead=lead.acronym if lead else "",
                partners=[e.acronym for e in data.get("partner_entities", [])],
                pillars=data.get("pillars", []),
            )
        )
    return shown_computed(project_theme_suggestions(project)) if project is not None else []


@login_required
@require_POST
def project_remove(request: HttpRequest, pk: int) -> HttpResponse:
    project = _editable_or_404(request, pk)
    title = project.title
    try:
        project_delete(project=project, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("project-detail", pk=project.pk)
    messages.success(request, _("The project “%(title)s” was deleted.") % {"title": title[:120]})
    return redirect("project-list")


# --- A country, the pivots ------------------------------------------------------------------


@login_required
@require_GET
def project_country(request: HttpRequest, code: str) -> HttpResponse:
    """Every project in one country (the regional ones covering it too), with how many serve
    each pillar. The list's filters other than the place carry here and apply."""
    code = code.upper()
    if code not in dict(countries):
        raise Http404
    form = ProjectFilterForm(request.GET)
    filters = {**form.filters(), "country": code, "region": ""}
    projects = projects_filtered(request.user, **filters, with_regional=True)
    by_pillar = projects_per_pillar(projects)
    carried = _filter_query_without_place(request)
    page = Paginator(project_rows(projects), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = project_list_rows(list(page.object_list), country_query=carried)
    for project in page.object_list:
        # On this page through a region it covers, not because the country is named.
        project.via_region = code not in project.countries
    name = country_name(code)
    here = reverse("project-country", args=[code])
    context = {
        "code": code,
        "name": name,
        "page": page,
        "pillars": [(value, label, by_pillar.get(value, 0)) for value, label in Pillar.choices],
        "pillar_chart": pillars_chart(
            by_pillar, place=name, pillar_url=lambda pillar: f"{here}?{_query_with(carried, pillar=pillar)}"
        ),
        "can_manage": can_manage_matrix(request.user),
        # CTED's visits to the country next to its projects (within the reader's clearance).
        "visits": visits_in_country(request.user, code)[:VISITS_ON_COUNTRY_PAGE],
        "filter_query": _query_with(carried, country=code),
        "active_filters": _active_filters(request, form, skip=PLACE_KEYS),
    }
    return render(request, "compact/matrix/country.html", context)


def _country_pillar_rows(projects: QuerySet[Project]) -> tuple[list[dict[str, Any]], ShadedTable]:
    """The country × pillar cross-tab's rows, most projects first, and its cells shaded."""
    table = pivot_country_pillar(projects)
    per_country = projects_per_country(projects)
    counts = [[table.get(code, {}).get(pillar, 0) for pillar in Pillar.values] for code, _total in per_country]
    shaded = shaded_table(counts)
    rows = [
        {
            "code": code,
            "name": country_name(code),
            "cells": list(zip(Pillar.values, cells, strict=True)),
            "total": total,
        }
        for (code, total), cells in zip(per_country, shaded.rows, strict=True)
    ]
    return rows, shaded


def _theme_entity_table(projects: QuerySet[Project]) -> tuple[list[str], list[dict[str, Any]], ShadedTable]:
    """The working group × lead entity cross-tab: its columns, its rows and its shading."""
    table = pivot_theme_entity(projects)
    entities = sorted({acronym for counts in table.values() for acronym in counts})
    keys = sorted(table)
    shaded = shaded_table([[table[key].get(acronym, 0) for acronym in entities] for key in keys])
    rows = [
        {"number": number, "name": name, "cells": cells, "total": sum(table[(number, name)].values())}
        for (number, name), cells in zip(keys, shaded.rows, strict=True)
    ]
    return entities, rows, shaded


@login_required
@require_GET
def project_pivots(request: HttpRequest) -> HttpResponse:
    """Country × pillar and theme × lead entity counts, heat-shaded, and a chart of projects
    per country, for the set the filters select."""
    form = ProjectFilterForm(request.GET)
    projects = projects_filtered(request.user, **form.filters())
    country_rows, country_shading = _country_pillar_rows(projects)
    entities, theme_rows, theme_shading = _theme_entity_table(projects)
    filter_context = filter_context_of(request, form)
    base = _query_without_keys(filter_context["filter_query"], "country", "pillar", "sort")
    country_url = _country_url_maker(filter_context["country_query"])
    per_country = [(row["code"], row["total"]) for row in country_rows]
    context = {
        "form": form,
        "total": projects.count(),
        "pillars": Pillar.choices,
        "country_rows": country_rows,
        "country_shading": country_shading,
        "chart": countries_chart(per_country, country_url),
        "entities": entities,
        "theme_rows": theme_rows,
        "theme_shading": theme_shading,
        "list_link": reverse("project-list") + "?" + (f"{base}&" if base else ""),
        **filter_context,
    }
    return render(request, "compact/matrix/pivots.html", context)


# --- Overlaps (OCT) -------------------------------------------------------------------------

OVERLAP_QUERY_KEYS = ("country", "hide_reviewed", "page")


def _shared_text(candidate: OverlapCandidate) -> list[str]:
    """What besides a country the two projects share: working groups, or pillars."""
    if candidate.shared == "theme":
        first = {group.pk: group for group in overlap_themes(candidate.first)}
        second = {group.pk for group in overlap_themes(candidate.second)}
        return [f"{first[pk].number}. {first[pk].short_name or first[pk].name}" for pk in sorted(first) if pk in second]
    labels = dict(Pillar.choices)
    return [str(labels[p]) for p in Pillar.values if p in candidate.first.pillars and p in candidate.second.pillars]


def _overlap_item(candidate: OverlapCandidate, back: str) -> dict[str, Any]:
    for project in (candidate.first, candidate.second):
        project.years_text = years_text(project)
    review = candidate.review
    form = OverlapReviewForm(
        initial={
            "first": candidate.first.pk,
            "second": candidate.second.pk,
            "note": review.note if review else "",
            "back": back,
        },
        auto_id=f"id_{candidate.first.pk}_{candidate.second.pk}_%s",
    )
    return {
        "candidate": candidate,
        "countries": [(code, country_name(code)) for code in candidate.countries],
        "shared": _shared_text(candidate),
        "form": form,
    }


def _overlaps_url(query: str) -> str:
    """The overlap page with a query string a form sent back, keeping only known keys."""
    given = QueryDict(query)
    kept = QueryDict(mutable=True)
    for key in OVERLAP_QUERY_KEYS:
        if given.get(key):
            kept[key] = given[key]
    encoded = kept.urlencode()
    return reverse("project-overlaps") + (f"?{encoded}" if encoded else "")


@login_required
@require_GET
def project_overlap_list(request: HttpRequest) -> HttpResponse:
    """Pairs of projects of different entities, in a same country, serving a same theme, at
    the same time: candidates for joint programming, for OCT to review."""
    if not can_manage_matrix(request.user):
        raise Http404
    form = OverlapFilterForm(request.GET)
    country, hide_reviewed = form.values()
    candidates = project_overlaps(request.user, country=country)
    reviewed = sum(1 for candidate in candidates if candidate.review)
    if hide_reviewed:
        candidates = [candidate for candidate in candidates if candidate.review is None]
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    back = request.GET.urlencode()
    page.object_list = [_overlap_item(candidate, back) for candidate in page.object_list]
    context = {
        "form": form,
        "page": page,
        "reviewed": reviewed,
        "hide_reviewed": hide_reviewed,
    }
    return render(request, "compact/matrix/overlaps.html", context)


@login_required
@require_POST
def project_overlap_review(request: HttpRequest) -> HttpResponse:
    """OCT marks a pair as reviewed, with a note (again: the note is replaced)."""
    if not can_manage_matrix(request.user):
        raise Http404
    form = OverlapReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The review could not be recorded; try again."))
        return redirect("project-overlaps")
    first = get_project_for_user_or_404(request.user, form.cleaned_data["first"])
    second = get_project_for_user_or_404(request.user, form.cleaned_data["second"])
    try:
        review = overlap_review_record(first=first, second=second, actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_overlaps_url(form.cleaned_data["back"]))
    messages.success(request, _("The pair was marked as reviewed."))
    return redirect(_overlaps_url(form.cleaned_data["back"]) + f"#pair-{review.first_id}-{review.second_id}")
