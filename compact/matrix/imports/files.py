"""Reading a matrix file for the import: checking it (size, archive bombs, rows x columns),
decoding CSV or XLSX, and turning each row of OCT's matrix or of the template into a preview
row with its problems."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from compact.core.models import Classification
from compact.lib.matrix import ParsedRow
from compact.lib.places import countries_of_regions
from compact.lib.spreadsheets import spreadsheet_cell_restore
from compact.lib.workbooks import SheetLimits, workbook_check, workbook_rows
from compact.matrix.exports import export_field_for_label
from compact.matrix.imports.lookups import ImportLookups
from compact.matrix.mentions import Mention
from compact.matrix.models import Project
from compact.registry.models import Entity, Pillar
from workinggroups.models import WorkingGroup

MAX_BYTES = 5 * 1024 * 1024

LIST_SEPARATOR = ";"
CENT = Decimal("0.01")

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
    # Each implementer named, as written and in order, with what it resolved to; then the
    # organizations the scope column names (partners, not places).
    mentions: list[Mention] = field(default_factory=list)
    unresolved_places: list[str] = field(default_factory=list)
    # Countries the title names that the scope column does not: suggested, never applied by
    # the import; once OCT adds one to the project, re-imports keep it.
    suggested_countries: list[str] = field(default_factory=list)

    @property
    def unlinked(self) -> list[str]:
        """Names OCT still has to map (not linked, not settled as "not an entity")."""
        return [mention.name for mention in self.mentions if not mention.is_settled]

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
    # Declared vs found per pillar with its explanations (``PillarReconciliation.as_dict()``).
    reconciliation: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unlinked_names(self) -> list[tuple[str, list[str]]]:
        """Every implementer name no entity or organization resolves, with the keys of its
        rows: listed on the preview for OCT to map (the data-quality page maps it in one step)."""
        return _grouped((name, row.key) for row in self.rows for name in row.unlinked)

    @property
    def unresolved_places(self) -> list[tuple[str, list[str]]]:
        """Pieces of scope text that are no place, organization or known non-place."""
        return _grouped((text, row.key) for row in self.rows for text in row.unresolved_places)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] = counts.get(row.action, 0) + 1
        return counts


def _grouped(pairs: Any) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for text, key in pairs:
        grouped.setdefault(text, []).append(key)
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0].lower()))


def _month_year_text(year: int | None, month: int | None) -> str:
    if not year:
        return ""
    return f"{year}-{month:02d}" if month else str(year)


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
    if _starts_like_template(first):
        return "csv", _csv_table(text)
    return "report", text


def _starts_like_template(line: str) -> bool:
    """Whether a text file's first line is the template's header: "key" first, as a field name
    or as the export's label in any language ("Key", "Clé" …), followed by a comma or semicolon."""
    first = line.split(",", 1)[0].split(";", 1)[0] if ("," in line or ";" in line) else ""
    first = first.strip().strip('"').strip()
    return first.lower() == "key" or export_field_for_label(first) == "key"


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


def _resolve_entities(
    names: list[str], row: PreviewRow, lookups: ImportLookups
) -> tuple[Entity | None, list[Entity], list[str]]:
    """(lead, other Compact entities, other names) from names in the order the source gives
    them. The lead is the first Compact entity named; organizations not party to the Compact
    are kept by their acronym, unresolved names as written (and listed for OCT to map)."""
    resolved: list[Entity] = []
    others: list[str] = []
    for name in names:
        mention = lookups.mention(name)
        row.mentions.append(mention)
        if mention.entity is not None:
            if mention.entity not in resolved:
                resolved.append(mention.entity)
            if mention.entity.acronym.lower() != name.lower():
                row.warnings.append(
                    _("“%(name)s” read as %(acronym)s.") % {"name": name, "acronym": mention.entity.acronym}
                )
        elif mention.organization is not None:
            if mention.organization.acronym not in others:
                others.append(mention.organization.acronym)
        else:
            others.append(name)
            if not mention.not_an_entity:
                row.warnings.append(
                    _("“%(name)s” is not a registered entity: kept as a partner organization.") % {"name": name}
                )
    lead = resolved[0] if resolved else None
    return lead, resolved[1:], others


def _apply_places(text: str, row: PreviewRow, lookups: ImportLookups) -> str:
    places = lookups.places(text)
    row.countries, row.regions = list(places.countries), list(places.regions)
    for text_piece in places.unrecognised:
        _apply_scope_piece(text_piece, row, lookups)
    return places.scope


def _suggest_title_countries(title: str, row: PreviewRow, lookups: ImportLookups) -> None:
    covered = set(row.countries) | countries_of_regions(row.regions)
    row.suggested_countries = [code for code in lookups.places(title).countries if code not in covered]
    if row.suggested_countries:
        row.warnings.append(
            _("The title names %(countries)s, not in the scope column: suggested, not applied.")
            % {"countries": ", ".join(row.suggested_countries)}
        )


def _apply_scope_piece(text: str, row: PreviewRow, lookups: ImportLookups) -> None:
    """An organization in the scope column ("APG", "OSCE") is a partner, not a place; text
    classed as no place is noted; anything else is reported for OCT."""
    piece = lookups.scope_piece(text)
    entity, organization = piece.mention.entity, piece.mention.organization
    if entity is not None:
        if entity != row.fields.get("lead_entity") and entity not in row.partners:
            row.partners.append(entity)
    elif organization is not None:
        if organization.acronym not in row.fields["partner_organizations"]:
            row.fields["partner_organizations"].append(organization.acronym)
    elif piece.not_a_place_reason is None:
        row.unresolved_places.append(text)
        row.warnings.append(_("Unrecognised place “%(place)s”.") % {"place": text})


def _report_row(parsed: ParsedRow, lookups: ImportLookups) -> PreviewRow:
    row = PreviewRow(key=parsed.key, line=parsed.line, title=parsed.title, warnings=list(parsed.warnings))
    lead, partners, others = _resolve_entities(parsed.entities, row, lookups)
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
        "recurring": parsed.recurring,
        "pillars": [parsed.pillar],
        "scope_text": parsed.scope_text,
    }
    row.fields["scope"] = _apply_places(parsed.scope_text, row, lookups)
    _suggest_title_countries(parsed.title, row, lookups)
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


def _choice(
    value: Any, choices: type, column: str, row: PreviewRow, lookups: ImportLookups, *, required: bool = False
) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            row.errors.append(_("%(column)s is required.") % {"column": column})
        return ""
    values, by_label = lookups.choice_codes(choices)
    code = text.lower() if text.lower() in values else by_label.get(text.lower())
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


def _themes(values: list[str], row: PreviewRow, lookups: ImportLookups) -> list[WorkingGroup]:
    groups = []
    for value in values:
        group = lookups.working_group(value)
        if group is None:
            row.errors.append(_("themes: no working group “%(value)s”.") % {"value": value})
        else:
            groups.append(group)
    return groups


def _template_places(record: dict[str, Any], row: PreviewRow, lookups: ImportLookups) -> str:
    codes, names = lookups.country_codes, lookups.country_names
    for value in _list(record.get("countries")):
        code = value.upper() if value.upper() in codes else names.get(value.lower())
        if code is None:
            resolved = lookups.places(value)
            if resolved.countries:
                row.countries.extend(resolved.countries)
                continue
            row.errors.append(_("countries: unknown country “%(value)s”.") % {"value": value})
        else:
            row.countries.append(code)

    valid = lookups.region_codes
    for value in _list(record.get("regions")):
        if value in valid:
            row.regions.append(value)
        else:
            row.errors.append(_("regions: unknown region “%(value)s”.") % {"value": value})
    row.countries, row.regions = sorted(set(row.countries)), sorted(set(row.regions))
    scope = _choice(record.get("scope"), Project.Scope, "scope", row, lookups)
    if not scope and (row.countries or row.regions):
        scope = Project.Scope.NATIONAL if len(row.countries) == 1 and not row.regions else Project.Scope.REGIONAL
    return scope


def _template_row(record: dict[str, Any], line: int, lookups: ImportLookups) -> PreviewRow:
    key = str(record.get("key") or "").strip()
    title = " ".join(str(record.get("title") or "").split())
    row = PreviewRow(key=key, line=line, title=title)
    if not key:
        row.errors.append(_("key is required."))
    if not title:
        row.errors.append(_("title is required."))
    names = [n for n in [str(record.get("lead_entity") or "").strip(), *_list(record.get("partner_entities"))] if n]
    lead, partners, others = _resolve_entities(names, row, lookups)
    row.partners = partners
    start_year, start_month = _month_year(record.get("start"), "start", row)
    end_year, end_month = _month_year(record.get("end"), "end", row)
    pillars = _list(record.get("pillars"))
    pillar_codes = lookups.choice_codes(Pillar)[0]
    for pillar in pillars:
        if pillar not in pillar_codes:
            row.errors.append(_("pillars: unknown pillar “%(value)s”.") % {"value": pillar})
    budget = None
    if str(record.get("budget_usd") or "").strip():
        try:
            # To the cent, as stored: Excel gives 250000 for the 250000.00 an export wrote.
            budget = Decimal(str(record.get("budget_usd")).replace(",", "").strip()).quantize(CENT)
        except InvalidOperation:
            row.errors.append(_("budget_usd: write digits only."))
    row.fields = {
        "title": title,
        "main_activities": str(record.get("main_activities") or "").strip(),
        "lead_entity": lead,
        "partner_organizations": [*others, *_list(record.get("partner_organizations"))],
        "status": _choice(record.get("status"), Project.Status, "status", row, lookups, required=True),
        "stage": _choice(record.get("stage"), Project.Stage, "stage", row, lookups),
        "start_year": start_year,
        "start_month": start_month,
        "end_year": end_year,
        "end_month": end_month,
        "pillars": [p for p in pillars if p in pillar_codes],
        "classification": _choice(record.get("classification"), Classification, "classification", row, lookups)
        or Classification.UNCLASSIFIED,
        "gender_marker": _yes_no(record.get("gender_marker"), "gender_marker", row),
        "hrdd_assessed": _yes_no(record.get("hrdd_assessed"), "hrdd_assessed", row),
        "budget_usd": budget,
        "donors": str(record.get("donors") or "").strip(),
    }
    row.themes = _themes(_list(record.get("themes")), row, lookups)
    row.fields["scope"] = _template_places(record, row, lookups)
    return row


def template_header(table: list[list[Any]]) -> tuple[list[str], int] | None:
    """(the field name of each column, the index of the first data row) of a template or an
    export, or None when the first row is neither field names nor labels.

    - The template, CSV exports and older XLSX exports have the field names in the first row,
      "key" first, written in lower case as the template writes it.
    - An XLSX export has the same field names in a hidden first row and the labels in the
      second: the second row is skipped when its "key" and "title" cells are those labels.
    - A sheet whose first row holds the labels (the hidden row deleted, the visible part copied
      to another workbook, or a header typed by hand) is read through the labels of the six
      languages; a cell that is a field name stays one.
    """
    cells = [str(cell or "").strip() for cell in table[0]]
    if "key" in cells:
        names = [cell.lower() for cell in cells]
        return names, 2 if len(table) > 1 and _is_label_row(table[1], names) else 1
    fields = [cell if cell in TEMPLATE_HEADER else export_field_for_label(cell) or cell.lower() for cell in cells]
    if "status" not in fields and "status_label" in fields:
        # "Status" typed by hand is the status's label column; the import reads labels too.
        fields[fields.index("status_label")] = "status"
    return (fields, 1) if "key" in fields else None


def _is_label_row(row: list[Any], names: list[str]) -> bool:
    cells = dict(zip(names, row, strict=False))
    return all(export_field_for_label(str(cells.get(name) or "")) == name for name in ("key", "title"))


def _template_rows(table: list[list[Any]], preview: MatrixPreview, lookups: ImportLookups) -> list[PreviewRow]:
    if not table:
        preview.errors.append(_("The file has no rows."))
        return []
    found = template_header(table)
    header, first = found if found else ([str(cell or "").strip().lower() for cell in table[0]], 1)
    missing = [column for column in ("key", "title", "status") if column not in header]
    unknown = [column for column in header if column and column not in TEMPLATE_HEADER]
    if missing:
        preview.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return []
    if unknown:
        preview.warnings.append(_("Columns ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    rows = []
    for number, values in enumerate(table[first:], start=first + 1):
        if not any(str(v or "").strip() for v in values):
            continue
        # An export put an apostrophe before texts a spreadsheet would run: take it off again.
        record = {name: spreadsheet_cell_restore(value) for name, value in zip(header, values, strict=False)}
        rows.append(_template_row(record, number, lookups))
    if not rows:
        preview.errors.append(_("The file has a header but no rows."))
    return rows
