"""Importing matrix files: the report's own matrix (as printed in A/72/840) or our CSV/XLSX
template. Always in two steps: a preview (dry run) that shows every row with its parsed fields
and warnings, then a commit that re-reads the same file and writes it in one transaction.

Rows are matched by a source key (``a72-840:I:18`` for the report, the ``key`` column in the
template), so importing the same file again changes nothing and a corrected file updates the
rows it corrects. Unknown entity names are reported and kept as partner organisations; places
the resolver does not know are reported; nothing is mapped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, json_safe
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.matrix import ParsedRow, matrix_parse
from compact.lib.places import places_resolve
from compact.lib.places import regions as known_regions
from compact.lib.spreadsheets import spreadsheet_cell_restore
from compact.lib.workbooks import SheetLimits, workbook_check, workbook_rows
from compact.matrix.models import MatrixImport, Project
from compact.matrix.permissions import can_manage_matrix
from compact.matrix.services import project_save, project_state
from compact.registry.models import Entity, Pillar
from compact.registry.selectors import entity_resolve
from workinggroups.models import WorkingGroup

MAX_BYTES = 5 * 1024 * 1024
LIST_SEPARATOR = ";"
# How much of a template file (CSV or workbook) is read; past it the file is refused. A later
# issue imports 10,000 projects at once: five times that leaves room (5 MB holds about 20,000
# rows as CSV). The template has 20 columns and the browse page's export 35 (an export imports
# back): 100 leaves room.
MAX_ROWS = 50_000
MAX_COLUMNS = 100
SHEET_LIMITS = SheetLimits(max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx file is a ZIP archive

MATRIX_TEMPLATE_COLUMNS = [
    ("key", "Your stable identifier for the row (re-importing updates the row with the same key). Required."),
    ("title", "Title of the project or activity. Required."),
    ("main_activities", "Main activities, free text."),
    ("lead_entity", "Acronym or name of the lead entity (a registered entity)."),
    ("partner_entities", "Other parties, separated by ';' (acronyms or names)."),
    ("partner_organizations", "Organizations that are not parties (EU; LAS …), separated by ';'."),
    ("status", "in-development, ongoing or completed (or the label). Required."),
    ("stage", "idea, analysis, planning, financing, initiation, implementation or evaluation."),
    ("start", "Start as YYYY or YYYY-MM."),
    ("end", "End as YYYY or YYYY-MM (empty: open-ended)."),
    ("pillars", "Strategy pillars I, II, III, IV, separated by ';'."),
    ("themes", "Working groups served: numbers or reference codes, separated by ';'."),
    ("scope", "global, regional or national (empty: derived from the places)."),
    ("countries", "ISO 3166 alpha-2 codes or English names, separated by ';'."),
    ("regions", "Region codes (see the list of regions), separated by ';'."),
    ("classification", "unclassified, confidential or strictly-confidential (default unclassified)."),
    ("gender_marker", "yes or no (empty: not assessed)."),
    ("hrdd_assessed", "yes or no (empty: not assessed)."),
    ("budget_usd", "Budget in US dollars, digits only."),
    ("donors", "Donors, free text."),
]
TEMPLATE_HEADER = [name for name, _description in MATRIX_TEMPLATE_COLUMNS]


@dataclass
class PreviewRow:
    key: str
    line: int
    title: str
    fields: dict[str, Any] = field(default_factory=dict)
    partners: list[Entity] = field(default_factory=list)
    themes: list[WorkingGroup] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "create", "update", "unchanged" or "error"

    @property
    def summary(self) -> dict[str, str]:
        """The parsed fields as people read them (for the preview page)."""
        lead = self.fields.get("lead_entity")
        start = _month_year_text(self.fields.get("start_year"), self.fields.get("start_month"))
        end = _month_year_text(self.fields.get("end_year"), self.fields.get("end_month"))
        return {
            _("Lead"): lead.acronym if lead else "—",
            _("Partners"): ", ".join([e.acronym for e in self.partners] + self.fields.get("partner_organizations", []))
            or "—",
            _("Status"): str(dict(Project.Status.choices).get(self.fields.get("status", ""), "—")),
            _("Years"): f"{start or '?'}–{end or ''}" if start or end else "—",
            _("Pillars"): ", ".join(self.fields.get("pillars", [])) or "—",
            _("Scope"): str(dict(Project.Scope.choices).get(self.fields.get("scope", ""), "—")),
            _("Countries"): " ".join(self.countries) or "—",
            _("Regions"): " ".join(self.regions) or "—",
        }


@dataclass
class MatrixPreview:
    file_name: str
    sha256: str
    file_format: str
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    declared: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] = counts.get(row.action, 0) + 1
        return counts


def _month_year_text(year: int | None, month: int | None) -> str:
    if not year:
        return ""
    return f"{year}-{month:02d}" if month else str(year)


# --- Reading the file ---------------------------------------------------------------------------


def _file_error(message: str | ValidationError) -> ValidationError:
    return ValidationError({"file": message})


def matrix_file_check(*, data: bytes) -> None:
    """Refuse a workbook that is a zip or XML bomb, or has values beyond ``MAX_ROWS`` or
    ``MAX_COLUMNS``, before anything parses it: ValidationError on ``file``. The page and the
    API call it first, to answer with the form's error or a 400; ``matrix_file_decode`` runs it
    again, for every other caller. Other files pass: they are read as text, within MAX_BYTES."""
    if data.startswith(ZIP_MAGIC):
        try:
            workbook_check(data, limits=SHEET_LIMITS)
        except ValidationError as error:
            raise _file_error(error) from error


def matrix_file_decode(data: bytes) -> tuple[str, Any]:
    """("xlsx", rows) or ("csv", rows) or ("report", text), or ValidationError with a clear
    message for an empty, huge, binary or wrongly encoded file, or a workbook or CSV file
    refused unread (see ``matrix_file_check`` and ``_csv_table``)."""
    if not data:
        raise _file_error(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _file_error(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_BYTES)}
        )
    if data.startswith(ZIP_MAGIC):
        return "xlsx", _xlsx_rows(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_error(_("The file is UTF-16 text (Excel's “Unicode text”). Save it as CSV UTF-8 and try again."))
    if b"\x00" in data[:4096] or data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"MZ", b"\x89PNG", b"\xff\xd8")):
        raise _file_error(_("This is not a text, CSV or Excel (.xlsx) file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_error(
            _("The file is not UTF-8 text (first bad byte at position %(at)s). Save it as UTF-8 and try again.")
            % {"at": error.start}
        ) from error
    if not text.strip():
        raise _file_error(_("The file is empty."))
    first = text.lstrip().splitlines()[0]
    if first.lower().startswith("key,") or first.lower().startswith("key;"):
        return "csv", _csv_table(text)
    return "report", text


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        return workbook_rows(data, limits=SHEET_LIMITS)
    except ValidationError as error:
        raise _file_error(error) from error


def _csv_table(text: str) -> list[list[str]]:
    """The CSV's rows, read no further than MAX_ROWS (a 5 MB file of empty lines would
    otherwise be five million lists) and refused with a value beyond MAX_COLUMNS, as a workbook."""
    reader = csv.reader(io.StringIO(text))
    table: list[list[str]] = []
    try:
        for row in reader:
            if len(table) == MAX_ROWS:
                raise _file_error(
                    _("The file has more than %(limit)s rows; at most %(limit)s are read. Split it into smaller files.")
                    % {"limit": number_format(MAX_ROWS, force_grouping=True)}
                )
            table.append(_csv_row(row, reader.line_num))
    except csv.Error as error:
        raise _file_error(
            _("The CSV file could not be read at line %(line)s; check its quotes.") % {"line": reader.line_num}
        ) from error
    return table


def _csv_row(row: list[str], line: int) -> list[str]:
    while row and not row[-1].strip():
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise _file_error(
            _("Line %(line)s has a value in column %(column)s; at most %(limit)s columns are read.")
            % {"line": line, "column": len(row), "limit": MAX_COLUMNS}
        )
    return row


# --- Reading rows ---------------------------------------------------------------------------------


def _resolve_entities(names: list[str], row: PreviewRow) -> tuple[Entity | None, list[Entity], list[str]]:
    resolved: list[Entity] = []
    others: list[str] = []
    for name in names:
        entity = entity_resolve(name)
        if entity is None:
            others.append(name)
            row.warnings.append(
                _("“%(name)s” is not a registered entity: kept as a partner organization.") % {"name": name}
            )
        elif entity not in resolved:
            if entity.acronym.lower() != name.lower():
                row.warnings.append(_("“%(name)s” read as %(acronym)s.") % {"name": name, "acronym": entity.acronym})
            resolved.append(entity)
    lead = resolved[0] if resolved else None
    return lead, resolved[1:], others


def _apply_places(text: str, row: PreviewRow) -> str:
    places = places_resolve(text)
    row.countries, row.regions = list(places.countries), list(places.regions)
    for piece in places.unrecognised:
        row.warnings.append(_("Unrecognised place “%(place)s”.") % {"place": piece})
    return places.scope


def _report_row(parsed: ParsedRow) -> PreviewRow:
    row = PreviewRow(key=parsed.key, line=parsed.line, title=parsed.title, warnings=list(parsed.warnings))
    lead, partners, others = _resolve_entities(parsed.entities, row)
    duration = parsed.duration
    row.partners = partners
    row.fields = {
        "title": parsed.title,
        "main_activities": parsed.activities,
        "lead_entity": lead,
        "partner_organizations": others,
        "status": parsed.status,
        "start_year": duration.start.year if duration and duration.start else None,
        "start_month": duration.start.month if duration and duration.start else None,
        "end_year": duration.end.year if duration and duration.end else None,
        "end_month": duration.end.month if duration and duration.end else None,
        "duration_text": duration.text if duration else "",
        "pillars": [parsed.pillar],
        "scope_text": parsed.scope_text,
    }
    row.fields["scope"] = _apply_places(parsed.scope_text, row)
    if not parsed.status:
        row.errors.append(_("Unknown status “%(status)s”.") % {"status": parsed.status_text})
    if not parsed.title:
        row.errors.append(_("No title."))
    return row


def _list(value: Any) -> list[str]:
    return [piece.strip() for piece in str(value or "").split(LIST_SEPARATOR) if piece.strip()]


def _month_year(value: Any, column: str, row: PreviewRow) -> tuple[int | None, int | None]:
    text = str(value or "").strip()
    if not text:
        return None, None
    if hasattr(value, "year"):  # Excel gave a date
        return value.year, value.month
    parts = text.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        row.errors.append(_("%(column)s: “%(value)s” is not YYYY or YYYY-MM.") % {"column": column, "value": text})
        return None, None
    if not 1990 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        row.errors.append(_("%(column)s: “%(value)s” is out of range.") % {"column": column, "value": text})
        return None, None
    return year, month


def _choice(value: Any, choices: type, column: str, row: PreviewRow, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            row.errors.append(_("%(column)s is required.") % {"column": column})
        return ""
    by_label = {str(label).lower(): code for code, label in choices.choices}
    code = text.lower() if text.lower() in choices.values else by_label.get(text.lower())
    if code is None:
        row.errors.append(_("%(column)s: unknown value “%(value)s”.") % {"column": column, "value": text})
        return ""
    return code


def _yes_no(value: Any, column: str, row: PreviewRow) -> bool | None:
    text = str(value or "").strip().lower()
    if not text:
        return None
    if text in ("yes", "y", "true", "1", "oui", "sí", "si"):
        return True
    if text in ("no", "n", "false", "0", "non"):
        return False
    row.errors.append(_("%(column)s: write yes or no.") % {"column": column})
    return None


def _themes(values: list[str], row: PreviewRow) -> list[WorkingGroup]:
    groups = []
    for value in values:
        group = WorkingGroup.objects.filter(code=value).first()
        if group is None and value.isdigit():
            group = WorkingGroup.objects.filter(number=int(value), retired_on__isnull=True).first()
        if group is None:
            row.errors.append(_("themes: no working group “%(value)s”.") % {"value": value})
        else:
            groups.append(group)
    return groups


def _template_places(record: dict[str, Any], row: PreviewRow) -> str:
    from django_countries import countries as country_names

    codes, names = dict(country_names), {str(name).lower(): code for code, name in dict(country_names).items()}
    for value in _list(record.get("countries")):
        code = value.upper() if value.upper() in codes else names.get(value.lower())
        if code is None:
            resolved = places_resolve(value)
            if resolved.countries:
                row.countries.extend(resolved.countries)
                continue
            row.errors.append(_("countries: unknown country “%(value)s”.") % {"value": value})
        else:
            row.countries.append(code)

    valid = {region.code for region in known_regions()}
    for value in _list(record.get("regions")):
        if value in valid:
            row.regions.append(value)
        else:
            row.errors.append(_("regions: unknown region “%(value)s”.") % {"value": value})
    row.countries, row.regions = sorted(set(row.countries)), sorted(set(row.regions))
    scope = _choice(record.get("scope"), Project.Scope, "scope", row)
    if not scope and (row.countries or row.regions):
        scope = Project.Scope.NATIONAL if len(row.countries) == 1 and not row.regions else Project.Scope.REGIONAL
    return scope


def _template_row(record: dict[str, Any], line: int) -> PreviewRow:
    key = str(record.get("key") or "").strip()
    title = " ".join(str(record.get("title") or "").split())
    row = PreviewRow(key=key, line=line, title=title)
    if not key:
        row.errors.append(_("key is required."))
    if not title:
        row.errors.append(_("title is required."))
    names = [n for n in [str(record.get("lead_entity") or "").strip(), *_list(record.get("partner_entities"))] if n]
    lead, partners, others = _resolve_entities(names, row)
    row.partners = partners
    start_year, start_month = _month_year(record.get("start"), "start", row)
    end_year, end_month = _month_year(record.get("end"), "end", row)
    pillars = _list(record.get("pillars"))
    for pillar in pillars:
        if pillar not in Pillar.values:
            row.errors.append(_("pillars: unknown pillar “%(value)s”.") % {"value": pillar})
    budget = None
    if str(record.get("budget_usd") or "").strip():
        try:
            budget = Decimal(str(record.get("budget_usd")).replace(",", "").strip())
        except InvalidOperation:
            row.errors.append(_("budget_usd: write digits only."))
    row.fields = {
        "title": title,
        "main_activities": str(record.get("main_activities") or "").strip(),
        "lead_entity": lead,
        "partner_organizations": [*others, *_list(record.get("partner_organizations"))],
        "status": _choice(record.get("status"), Project.Status, "status", row, required=True),
        "stage": _choice(record.get("stage"), Project.Stage, "stage", row),
        "start_year": start_year,
        "start_month": start_month,
        "end_year": end_year,
        "end_month": end_month,
        "pillars": [p for p in pillars if p in Pillar.values],
        "classification": _choice(record.get("classification"), Classification, "classification", row)
        or Classification.UNCLASSIFIED,
        "gender_marker": _yes_no(record.get("gender_marker"), "gender_marker", row),
        "hrdd_assessed": _yes_no(record.get("hrdd_assessed"), "hrdd_assessed", row),
        "budget_usd": budget,
        "donors": str(record.get("donors") or "").strip(),
    }
    row.themes = _themes(_list(record.get("themes")), row)
    row.fields["scope"] = _template_places(record, row)
    return row


def _template_rows(table: list[list[Any]], preview: MatrixPreview) -> list[PreviewRow]:
    if not table:
        preview.errors.append(_("The file has no rows."))
        return []
    header = [str(cell or "").strip().lower() for cell in table[0]]
    missing = [column for column in ("key", "title", "status") if column not in header]
    unknown = [column for column in header if column and column not in TEMPLATE_HEADER]
    if missing:
        preview.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return []
    if unknown:
        preview.warnings.append(_("Columns ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(str(v or "").strip() for v in values):
            continue
        # An export put an apostrophe before texts a spreadsheet would run: take it off again.
        record = {name: spreadsheet_cell_restore(value) for name, value in zip(header, values, strict=False)}
        rows.append(_template_row(record, number))
    if not rows:
        preview.errors.append(_("The file has a header but no rows."))
    return rows


# --- Preview and commit ---------------------------------------------------------------------------


def _proposed_state(row: PreviewRow, file_format: str) -> dict[str, Any]:
    """What the row would set, in ``project_state``'s shape, to tell "unchanged" from "update".
    Only what the file gives: fields OCT added later (donors, themes for the report) stay."""

    state = {name: json_safe(value) for name, value in row.fields.items()}
    state["partner_entities"] = sorted(e.acronym for e in row.partners if e != row.fields.get("lead_entity"))
    state["countries"], state["regions"] = sorted(row.countries), sorted(row.regions)
    if file_format != "report":
        state["themes"] = sorted(g.number for g in row.themes)
    return state


def _decide(rows: list[PreviewRow], preview: MatrixPreview, actor: AbstractBaseUser | None) -> None:
    keys: dict[str, int] = {}
    existing = {p.source_key: p for p in Project.objects.filter(source_key__in=[r.key for r in rows if r.key])}
    for row in rows:
        if row.key and row.key in keys:
            row.errors.append(
                _("The key “%(key)s” is also on line %(line)s.") % {"key": row.key, "line": keys[row.key]}
            )
        keys.setdefault(row.key, row.line)
        project = existing.get(row.key)
        if actor is not None:
            _check_clearance(row, project, actor)
        if row.errors:
            row.action = "error"
            continue
        if project is None:
            row.action = "create"
        else:
            proposed = _proposed_state(row, preview.file_format)
            current = project_state(project)
            row.action = "unchanged" if all(current.get(k) == v for k, v in proposed.items()) else "update"
    if any(row.action == "error" for row in rows):
        preview.errors.append(
            _("%(count)s rows have errors; correct them and upload the file again.")
            % {"count": sum(row.action == "error" for row in rows)}
        )


def _check_clearance(row: PreviewRow, project: Project | None, actor: AbstractBaseUser) -> None:
    """An importer reads and writes only what their clearance reaches: a key of a project
    above it is refused (without saying what is there), and so is a row classified above it."""
    if project is not None and not can_read_classification(actor, project.classification):
        row.errors.append(_("The key “%(key)s” is already used by another project.") % {"key": row.key})
    level = row.fields.get("classification", Classification.UNCLASSIFIED)
    if not can_read_classification(actor, level):
        row.errors.append(_("This row is classified above your clearance."))


def matrix_import_preview(*, data: bytes, file_name: str, actor: AbstractBaseUser | None = None) -> MatrixPreview:
    """The dry run: every row as it would be imported, with its warnings; nothing is written.
    ``actor`` is the importer (None for the ``import_matrix`` command, which sees everything)."""
    preview = MatrixPreview(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), file_format="")
    try:
        file_format, payload = matrix_file_decode(data)
    except ValidationError as error:
        preview.errors.extend(error.messages)
        return preview
    preview.file_format = file_format
    if file_format == "report":
        parsed = matrix_parse(payload)
        preview.warnings.extend(parsed.warnings)
        preview.declared, preview.found = parsed.declared, parsed.found()
        rows = [_report_row(row) for row in parsed.rows]
        if not rows:
            preview.errors.append(_("No matrix rows were found in this file."))
    else:
        rows = _template_rows(payload, preview)
    preview.rows = rows
    _decide(rows, preview, actor)
    return preview


@transaction.atomic
def matrix_import_commit(*, data: bytes, file_name: str, sha256: str, actor: AbstractBaseUser | None) -> MatrixImport:
    """Import the previewed file in one transaction. The file is read and checked again; if it
    is not the one previewed, or has errors, nothing is written. ``actor=None`` is the
    ``import_matrix`` command, run by an operator."""
    if actor is not None and not can_manage_matrix(actor):
        raise PermissionDenied(_("Only the OCT secretariat imports the matrix."))
    preview = matrix_import_preview(data=data, file_name=file_name, actor=actor)
    if preview.sha256 != sha256:
        raise ValidationError(_("The file is not the one previewed; upload it again."))
    if not preview.ok:
        raise ValidationError(preview.errors)
    batch = MatrixImport.objects.create(
        file_name=file_name[:255], sha256=preview.sha256, file_format=preview.file_format, imported_by=actor
    )
    existing = {p.source_key: p for p in Project.objects.filter(source_key__in=[r.key for r in preview.rows])}
    for row in preview.rows:
        if row.action == "unchanged":
            continue
        project_save(
            project=existing.get(row.key),
            actor=None,
            imported_by=actor,
            fields=row.fields,
            partner_entities=row.partners,
            themes=row.themes if preview.file_format != "report" else None,
            countries=row.countries,
            regions=row.regions,
            source={"source_key": row.key, "source_import": batch},
        )
    counts = preview.counts
    batch.created, batch.updated, batch.unchanged = counts["create"], counts["update"], counts["unchanged"]
    batch.warnings = preview.warnings + [f"{row.key}: {w}" for row in preview.rows for w in row.warnings]
    batch.save(update_fields=["created", "updated", "unchanged", "warnings"])
    audit_record(
        actor=actor,
        verb="matrix.imported",
        obj=batch,
        after={"file": file_name, "sha256": preview.sha256, **counts},
    )
    return batch


def matrix_template_csv() -> str:
    """An empty CSV template with its header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        [
            "unodc-2026-001",
            "Example: support to prison administrations",
            "Training of prison staff.",
            "UNODC",
            "UNOCT;CTED",
            "EU",
            "ongoing",
            "implementation",
            "2026-01",
            "2027-12",
            "I;III",
            "",
            "",
            "JO;TN",
            "",
            "unclassified",
            "yes",
            "yes",
            "",
            "European Union",
        ]
    )
    return buffer.getvalue()
