"""Writing a sheet people open in Excel: every XLSX export of the product goes through
``sheet_write``, so that each one opens the same way.

What a reader gets:

- a header row of human labels in the reader's language, bold, with the panes frozen below it
  (it stays in view while scrolling) and repeated on each printed page;
- columns as wide as their content (measured over every row, capped at ``MAX_WIDTH``
  characters; wide East Asian characters count twice);
- an autofilter over the header and the data, so that sorting and filtering is one click;
- real cells: a ``date`` or ``datetime`` is a date cell with a date number format (aware
  datetimes in the server's time zone, as Excel has none), a number is a number, a text is
  always a text (``spreadsheet_cell``: never a formula, see ``compact.lib.spreadsheets``);
- the sheet named for what it holds, the workbook's title and, when the export is marked, its
  classification marking in the workbook's properties and in the header of every printed page;
- the sheet right-to-left when the reader's language is.

The machine-readable field names (what an importer maps) are kept in a **hidden first row**,
above the labels. A hidden row moves with its column when someone inserts, deletes or moves
columns in Excel, survives "Save as CSV" (which writes hidden rows too), and needs no
translation catalogue to read back; the labels are only for people. See
``compact.matrix.imports.files`` for how the matrix importer reads either row.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import get_column_letter

from compact.lib.spreadsheets import spreadsheet_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Widths in Excel's units (about one "0" of the default font each).
MAX_WIDTH = 60
MIN_WIDTH = 6
# The header's filter button takes about two characters of its cell.
FILTER_BUTTON_WIDTH = 2
# A sheet's name: at most 31 characters, none of these.
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))

# What a printed header's or footer's text may take, leaving room for the codes around it.
HEADER_FOOTER_TEXT_LENGTH = 100

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
INTEGER_FORMAT = "0"
DECIMAL_FORMAT = "#,##0.00"

FIELD_ROW = 1  # the hidden row of field names
HEADER_ROW = 2  # the labels people read
FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Column:
    """One column of an export: ``field`` is its machine name (kept in the hidden row),
    ``label`` what people read in the header (a lazy translation, rendered when written), and
    ``date_format`` the format of its date cells when not a day's ("yyyy-mm" for a month; a
    year alone is better written as a number)."""

    field: str
    label: Any
    date_format: str = ""


@dataclass(frozen=True)
class SheetInfo:
    """What the sheet is: its name on the tab, the workbook's title, and the classification
    marking to print on it (empty: unmarked)."""

    name: str
    title: str
    marking: str = ""


def sheet_write(stream: IO[bytes], *, info: SheetInfo, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` (one value a column, in ``columns``' order) as an XLSX workbook of one
    sheet to ``stream`` (a file, or an HttpResponse). Returns the number of data rows.

    Rows are gathered before writing, since Excel needs the column widths before the cells; an
    export of 20,000 projects holds its values (not openpyxl's cells) in memory, a few tens of MB.
    """
    values = [[_cell_value(value) for value in row] for row in rows]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(info.name))
    _describe(workbook, sheet, info)
    labels = [str(column.label) for column in columns]
    _set_widths(sheet, labels, values)
    # Write-only: the view (frozen panes) and the columns go out with the first row.
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.row_dimensions[FIELD_ROW].hidden = True
    sheet.append([_text_cell(sheet, column.field) for column in columns])
    sheet.append([_header_cell(sheet, label) for label in labels])
    for row in values:
        sheet.append([_data_cell(sheet, value, column) for value, column in zip(row, columns, strict=False)])
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(values)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    workbook.save(stream)
    return len(values)


def sheet_name(text: str) -> str:
    """``text`` as Excel accepts a sheet's name: no []:*?/\\, at most 31 characters, not empty."""
    name = " ".join(str(text).translate(SHEET_NAME_FORBIDDEN).split()).strip("'")
    return name[:SHEET_NAME_LENGTH] or "Sheet"


def display_width(value: Any) -> int:
    """About how many characters of Excel's default font ``value`` takes on its longest line."""
    if isinstance(value, datetime.datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return len(DATE_FORMAT)
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    lines = str(value).splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line) for line in lines)


# --- Inside ---------------------------------------------------------------------------------


def _describe(workbook: Workbook, sheet: Any, info: SheetInfo) -> None:
    workbook.properties.title = info.title
    workbook.properties.creator = "Compact Tracker"
    if info.marking:
        workbook.properties.category = info.marking
        workbook.properties.keywords = info.marking
        sheet.HeaderFooter.oddHeader.center.text = _header_footer_text(info.marking)
        sheet.HeaderFooter.oddHeader.center.font = ",Bold"
    sheet.HeaderFooter.oddFooter.left.text = _header_footer_text(info.title)
    sheet.HeaderFooter.oddFooter.right.text = "&P / &N"
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()


def _header_footer_text(text: str) -> str:
    """``text`` as a printed header or footer shows it: "&" starts Excel's codes there (&P is the
    page number), so it is doubled; Excel refuses a header or footer past 255 characters."""
    text = " ".join(text.split())
    if len(text) > HEADER_FOOTER_TEXT_LENGTH:
        text = text[: HEADER_FOOTER_TEXT_LENGTH - 1] + "…"
    return text.replace("&", "&&")


def _set_widths(sheet: Any, labels: list[str], values: list[list[Any]]) -> None:
    widths = [display_width(label) + FILTER_BUTTON_WIDTH for label in labels]
    for row in values:
        for index, value in enumerate(row[: len(widths)]):
            if value is not None:
                widths[index] = max(widths[index], display_width(spreadsheet_cell(value)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 1))


def _cell_value(value: Any) -> Any:
    """A value as the cell holds it: Excel has no time zones (a datetime is the server's local
    time), no booleans we want (they come as texts from the caller), and no "" numbers."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if value == "" or value is None:
        return None
    return value


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=spreadsheet_cell(text))
    # openpyxl makes a text starting with "=" a formula; spreadsheet_cell has already put an
    # apostrophe before any such text, and this keeps every text a text.
    cell.data_type = "s"
    return cell


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGNMENT = Alignment(vertical="top")


def _header_cell(sheet: Any, label: str) -> WriteOnlyCell:
    cell = _text_cell(sheet, label)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    return cell


def _data_cell(sheet: Any, value: Any, column: Column) -> WriteOnlyCell | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _text_cell(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    number_format = _default_format(value)
    if column.date_format and isinstance(value, datetime.date):
        number_format = column.date_format
    if number_format:
        cell.number_format = number_format
    return cell


def _default_format(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, Decimal | float):
        return DECIMAL_FORMAT
    return ""
