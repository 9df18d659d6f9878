"""``compact.lib.sheets.sheet_write``: the sheet every XLSX export writes, read back with openpyxl."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from compact.lib.sheets import MAX_WIDTH, Column, SheetInfo, display_width, sheet_name, sheet_write

COLUMNS = [
    Column("title", gettext_lazy("Title")),
    Column("budget_usd", "Budget (USD)"),
    Column("count", "Count"),
    Column("start", "Start", "yyyy-mm"),
    Column("updated_at", "Last update"),
    Column("notes", "Notes"),
]
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ROWS = [
    [
        '=HYPERLINK("http://evil")',
        Decimal("1500.50"),
        7,
        datetime.date(2017, 3, 1),
        datetime.datetime(2026, 12, 6, 14, 30, 15, 999, tzinfo=datetime.UTC),
        "x" * 500,
    ],
    ["Second", None, 0, 2018, datetime.datetime(2026, 1, 2, 3, 4, tzinfo=NEW_YORK), ""],
]


PLAIN = SheetInfo(name="Projects", title="Projects, 6 December 2026")


def written(rows=ROWS, info=PLAIN):
    buffer = io.BytesIO()
    count = sheet_write(buffer, info=info, columns=COLUMNS, rows=rows)
    return count, load_workbook(io.BytesIO(buffer.getvalue()))


def test_the_field_names_are_in_a_hidden_first_row_and_the_labels_bold_below():
    count, workbook = written()
    sheet = workbook.worksheets[0]
    assert count == 2
    assert [cell.value for cell in sheet[1]] == ["title", "budget_usd", "count", "start", "updated_at", "notes"]
    assert sheet.row_dimensions[1].hidden is True
    assert [cell.value for cell in sheet[2]] == ["Title", "Budget (USD)", "Count", "Start", "Last update", "Notes"]
    assert all(cell.font.bold for cell in sheet[2])
    assert not sheet.row_dimensions[2].hidden


def test_the_panes_freeze_below_the_header_and_the_filter_covers_every_row():
    _count, workbook = written()
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:F4"
    assert sheet.print_title_rows == "$2:$2"


def test_the_filter_covers_the_header_alone_when_there_is_no_row():
    count, workbook = written(rows=[])
    assert count == 0 and workbook.worksheets[0].auto_filter.ref == "A2:F2"


def test_the_columns_are_fitted_to_their_content_and_capped():
    _count, workbook = written()
    widths = {letter: dimension.width for letter, dimension in workbook.worksheets[0].column_dimensions.items()}
    assert widths["A"] == len('\'=HYPERLINK("http://evil")') + 1  # as shown, with its apostrophe
    assert widths["F"] == MAX_WIDTH  # 500 characters: capped
    assert widths["C"] >= len("Count") + 2  # the header and its filter button fit
    assert display_width("日本") == 4 and display_width("one\nlonger line") == len("longer line")


def test_dates_are_date_cells_numbers_numbers_and_texts_texts():
    _count, workbook = written()
    sheet = workbook.worksheets[0]
    title, budget, count, start, updated, _notes = sheet[3]
    assert title.data_type == "s" and title.value == '\'=HYPERLINK("http://evil")'
    assert budget.value == 1500.5 and budget.data_type == "n" and budget.number_format == "#,##0.00"
    assert count.value == 7 and count.data_type == "n"
    assert start.is_date and start.value == datetime.datetime(2017, 3, 1) and start.number_format == "yyyy-mm"
    assert updated.is_date and updated.number_format == "yyyy-mm-dd hh:mm"
    # Excel has no time zones: the server's local time, to the second.
    local = timezone.localtime(ROWS[0][4])
    assert updated.value == local.replace(tzinfo=None, microsecond=0) and updated.value.second == 15
    second = sheet[4]
    assert second[1].value is None and second[2].value == 0 and second[3].value == 2018
    assert second[4].value == timezone.localtime(ROWS[1][4]).replace(tzinfo=None)
    assert second[5].value is None


def test_the_sheet_says_what_it_is_and_carries_the_marking():
    info = SheetInfo(name="Projects: 2026/12 [all]", title="Projects & more, 6 December 2026", marking="Confidential")
    _count, workbook = written(info=info)
    sheet = workbook.worksheets[0]
    assert sheet.title == "Projects 2026 12 all"
    assert workbook.properties.title == info.title
    assert workbook.properties.category == "Confidential" and workbook.properties.keywords == "Confidential"
    assert sheet.oddHeader.center.text == "Confidential"
    assert sheet.oddFooter.left.text == "Projects && more, 6 December 2026"  # "&" is a code there


def test_an_unmarked_sheet_has_no_marking():
    _count, workbook = written()
    assert not workbook.properties.category and not workbook.worksheets[0].oddHeader.center.text


def test_sheet_names_are_what_excel_accepts():
    assert sheet_name("Projects: 2026/12 [all]") == "Projects 2026 12 all"
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("[]") == "Sheet"


def test_the_labels_are_in_the_readers_language_and_the_sheet_right_to_left_in_arabic():
    with translation.override("fr"):
        _count, workbook = written()
    sheet = workbook.worksheets[0]
    assert sheet["A2"].value == "Titre" and sheet["A1"].value == "title"
    assert not sheet.sheet_view.rightToLeft
    with translation.override("ar"):
        _count, workbook = written()
    assert workbook.worksheets[0].sheet_view.rightToLeft
