"""The browse page's exports (CSV and XLSX) of the project matrix, also the import's template.

Both formats hold the same columns. Their machine names (``EXPORT_COLUMNS``, "key" first) are
the template's: an export can be corrected and imported back (``compact.matrix.imports``).

- XLSX is for people: ``compact.lib.sheets.sheet_write`` gives it a header of labels in the
  reader's language, frozen and filterable, fitted widths, real dates and numbers, and the
  highest classification among its rows as its marking. The field names stay in a hidden first
  row, which is what the importer reads (it also accepts the labels, in any of the six
  languages, for a sheet whose hidden row was lost).
- CSV is for re-import and other programs: field names as its header, texts as before
  (ISO dates, YYYY or YYYY-MM periods), so scripts reading it keep working.

Both write only the projects the reader's clearance allows (the caller passes a queryset from
``projects_filtered``) and never a text a spreadsheet would run (``spreadsheet_cell``).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_countries import countries

from compact.core.models import Classification
from compact.core.permissions import AnyUser
from compact.funding.selectors import earmarks_visible_to
from compact.lib.places import region_label
from compact.lib.sheets import XLSX_CONTENT_TYPE, Column, SheetInfo, sheet_write
from compact.lib.spreadsheets import spreadsheet_cell
from compact.matrix.models import Project
from compact.matrix.selectors import projects_with_details

LIST_JOIN = "; "
MONTH_FORMAT = "yyyy-mm"  # a start or end given to the month: a date cell showing 2017-03


def country_name(code: str) -> str:
    return countries.name(code) or code


class _Label:
    """A column's label, rendered in the language active when the sheet is written: a text
    with its first letter capitalised, or put in ``template`` ("Status (code)")."""

    def __init__(self, text: Any, template: Any = None) -> None:
        self.text, self.template = text, template

    def __str__(self) -> str:
        label = capfirst(str(self.text))
        return str(self.template) % {"field": label} if self.template is not None else label


def _verbose(name: str, template: Any = None) -> _Label:
    """A model field's translated verbose name as a column's label."""
    return _Label(Project._meta.get_field(name).verbose_name, template)


CODE = gettext_lazy("%(field)s (code)")
CODES = gettext_lazy("%(field)s (codes)")
ACRONYM = gettext_lazy("%(field)s (acronym)")
ACRONYMS = gettext_lazy("%(field)s (acronyms)")

# In the order of the template; "key" first: that is how the importer recognises it.
EXPORT_SHEET_COLUMNS = [
    Column("key", gettext_lazy("Key")),
    Column("id", pgettext_lazy("identifier", "ID")),
    Column("title", _verbose("title")),
    Column("main_activities", _verbose("main_activities")),
    Column("lead_entity", _verbose("lead_entity", ACRONYM)),
    Column("lead_entity_name", _verbose("lead_entity")),
    Column("partner_entities", _verbose("partner_entities", ACRONYMS)),
    Column("partner_entity_names", _verbose("partner_entities")),
    Column("partner_organizations", _verbose("partner_organizations")),
    Column("status", _verbose("status", CODE)),
    Column("status_label", _verbose("status")),
    Column("stage", _verbose("stage", CODE)),
    Column("stage_label", _verbose("stage")),
    Column("start", pgettext_lazy("project period", "Start"), MONTH_FORMAT),
    Column("end", pgettext_lazy("project period", "End"), MONTH_FORMAT),
    Column("duration_text", _verbose("duration_text")),
    Column("pillars", _verbose("pillars", CODES)),
    Column("pillar_labels", _verbose("pillars")),
    Column("themes", _verbose("themes", CODES)),
    Column("theme_labels", _verbose("themes")),
    Column("scope", _verbose("scope", CODE)),
    Column("scope_label", _verbose("scope")),
    Column("scope_text", _verbose("scope_text")),
    Column("countries", _Label(gettext_lazy("Countries"), CODES)),
    Column("country_names", gettext_lazy("Countries")),
    Column("regions", _Label(gettext_lazy("Regions"), CODES)),
    Column("region_labels", gettext_lazy("Regions")),
    Column("classification", _verbose("classification", CODE)),
    Column("classification_label", _verbose("classification")),
    Column("gender_marker", _verbose("gender_marker")),
    Column("hrdd_assessed", _verbose("hrdd_assessed")),
    Column("budget_usd", _verbose("budget_usd")),
    Column("funders", _verbose("funders", CODES)),
    Column("funder_names", _verbose("funders")),
    Column("earmarked_usd", gettext_lazy("Earmarked (USD)")),
    Column("donors", _verbose("donors")),
    Column("updated_at", _verbose("updated_at")),
    Column("url", gettext_lazy("Link")),
]
EXPORT_COLUMNS = [column.field for column in EXPORT_SHEET_COLUMNS]


@cache
def _labels_in(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((str(column.label).casefold(), column.field) for column in EXPORT_SHEET_COLUMNS)


def export_field_for_label(label: str) -> str | None:
    """The field of the export column labelled ``label`` in any of the six languages (any
    case), or None: the importer's way to read a sheet whose hidden row of field names was lost."""
    wanted = " ".join(str(label).split()).casefold()
    for language, _name in settings.LANGUAGES:
        for text, field in _labels_in(language):
            if text == wanted:
                return field
    return None


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _month_year(year: int | None, month: int | None) -> int | datetime.date | None:
    """A start or end as a cell: the year as a number, or the month as a date cell (the 1st)."""
    if not year:
        return None
    return datetime.date(year, month, 1) if month else year


def _export_row(project: Project, url_prefix: str, earmarked: dict[int, Decimal]) -> list[Any]:
    """One project as the export writes it: codes, and their labels in the next column."""
    funders = list(project.funders.all())
    lead, partners, groups = project.lead_entity, list(project.partner_entities.all()), list(project.themes.all())
    codes = sorted(row.country for row in project.country_rows.all())
    region_codes = sorted(row.region for row in project.region_rows.all())
    return [
        project.source_key or "",
        project.pk,
        project.title,
        project.main_activities,
        lead.acronym if lead else "",
        lead.name if lead else "",
        LIST_JOIN.join(e.acronym for e in partners),
        LIST_JOIN.join(e.name for e in partners),
        LIST_JOIN.join(project.partner_organizations or []),
        project.status,
        project.get_status_display(),
        project.stage,
        project.get_stage_display(),
        _month_year(project.start_year, project.start_month),
        _month_year(project.end_year, project.end_month),
        project.duration_text,
        LIST_JOIN.join(project.pillars or []),
        LIST_JOIN.join(project.get_pillars_display()),
        LIST_JOIN.join(str(g.number) for g in groups),
        LIST_JOIN.join(g.name for g in groups),
        project.scope,
        project.get_scope_display(),
        project.scope_text,
        LIST_JOIN.join(codes),
        LIST_JOIN.join(country_name(code) for code in codes),
        LIST_JOIN.join(region_codes),
        LIST_JOIN.join(region_label(code) for code in region_codes),
        project.classification,
        project.get_classification_display(),
        _yes_no(project.gender_marker),
        _yes_no(project.hrdd_assessed),
        project.budget_usd,
        LIST_JOIN.join(donor.code for donor in funders),
        LIST_JOIN.join(donor.name for donor in funders),
        earmarked.get(project.pk),
        project.donors,
        project.updated_at,
        f"{url_prefix}{project.pk}/",
    ]


def _earmarked_by_project(projects: QuerySet[Project], user: AnyUser | None) -> dict[int, Decimal]:
    """{project id: total of its earmarks ``user`` may read} (none without a reader)."""
    if user is None:
        return {}
    earmarks = earmarks_visible_to(user).filter(project__in=projects.order_by().values("pk"))
    rows = earmarks.order_by().values("project").annotate(total=Sum("amount_usd"))
    return {row["project"]: row["total"] for row in rows}


def export_rows(projects: QuerySet[Project], url_prefix: str, user: AnyUser | None = None) -> Iterator[list[Any]]:
    """Each project's row, typed (numbers, dates), 500 projects a query. The earmarked amount
    adds up only the earmarks ``user`` may read."""
    earmarked = _earmarked_by_project(projects, user)
    for project in projects_with_details(projects).prefetch_related("funders").iterator(chunk_size=500):
        yield _export_row(project, url_prefix, earmarked)


# --- CSV --------------------------------------------------------------------------------------


def _csv_text(value: Any, column: Column) -> Any:
    """A typed value as the CSV has always written it: YYYY or YYYY-MM, ISO datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m}" if column.date_format == MONTH_FORMAT else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return spreadsheet_cell(value)


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterator[Sequence[Any]], name: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # the byte-order mark makes Excel read the file as UTF-8
        yield writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            # The same cells as the XLSX export: no text a spreadsheet would run as a formula.
            yield writer.writerow([_csv_text(v, c) for v, c in zip(row, EXPORT_SHEET_COLUMNS, strict=True)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- XLSX -------------------------------------------------------------------------------------


def xlsx_response(
    projects: QuerySet[Project], url_prefix: str, *, name: str, title: str, user: AnyUser | None = None
) -> HttpResponse:
    """The projects as a workbook people open in Excel, marked with the highest classification
    among them and the earmarks it adds up (unclassified exports are not marked)."""
    levels = set(projects.order_by().values_list("classification", flat=True).distinct())
    if user is not None:
        earmarks = earmarks_visible_to(user).filter(project__in=projects.order_by().values("pk"))
        levels |= set(earmarks.order_by().values_list("classification", flat=True).distinct())
    marking = Classification.highest(levels)
    info = SheetInfo(
        name=_("Projects"),
        title=title,
        marking=str(Classification(marking).label) if marking != Classification.UNCLASSIFIED else "",
    )
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    sheet_write(response, info=info, columns=EXPORT_SHEET_COLUMNS, rows=export_rows(projects, url_prefix, user))
    return response
