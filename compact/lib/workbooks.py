"""Reading the first sheet of an uploaded Excel workbook within limits: XML bombs.

``archive_check`` (``compact.lib.archives``) bounds what the ZIP unpacks to. That is not enough
for openpyxl: its read-only mode streams a sheet's rows, but it builds each row whole in memory,
builds every other XML part whole (the styles, the workbook, the relationships), keeps every
shared string and the husk of every row it has read, and pads each row to the sheet's *declared*
width. A 300 KB workbook whose one row holds a million empty cells costs it 4 seconds and 370 MB;
one whose sheet declares the range A1:XFD1048576 makes every row 16,384 cells wide.

So before openpyxl opens the file, ``workbook_check`` reads every XML part once, as a stream
(expat, guarded by defusedxml: no tree, constant memory) and refuses, naming what is
wrong:

- a document type or entity declaration (the "billion laughs"; Excel never writes one);
- a tag, or a text between two tags, longer than ``MAX_SEGMENT_BYTES`` (a tag of a million
  attributes costs expat itself 290 MB); a text longer than ``MAX_TEXT_CHARS``;
- more than ``MAX_ELEMENTS`` elements in all (the time it takes), nesting deeper than
  ``MAX_DEPTH``, and more than ``MAX_HELD_ELEMENTS`` in what openpyxl builds whole, or
  ``MAX_ITEM_ELEMENTS`` in one row or one shared string (the memory it takes);
- more rows than the caller reads, more than ``MAX_SHARED_STRINGS`` shared strings, and any
  value beyond the caller's rows and columns (``SheetLimits``).

openpyxl then reads the first sheet, ignoring its declared dimension and never past those
limits. openpyxl itself parses with defusedxml when it is installed (it is: see
requirements.txt), which ``workbook_rows`` insists on.

A part the scan cannot parse (a picture, a damaged part) is skipped: if openpyxl ever reads it,
it meets the same error at the same place, after no more work than the scan did.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.xml.constants import SHEET_MAIN_NS

from compact.lib.archives import archive_check

logger = logging.getLogger(__name__)

# All elements of all parts: what the scan and openpyxl take time for (the scan about 1 µs an
# element, openpyxl about 3). Our 10,000-row template workbook has 500,000; an export of 20,000
# projects (35 columns) 1.4 million.
MAX_ELEMENTS = 2_000_000
# What openpyxl builds whole: a part other than a sheet's rows and the shared strings (styles,
# the workbook, relationships, a sheet's merged cells, validations and links). Excel's styles
# part has hundreds of elements, a few thousand in a heavily formatted workbook.
MAX_HELD_ELEMENTS = 100_000
# One row or one shared string, also built whole. A full Excel row (16,384 cells, each with its
# value) has 32,769.
MAX_ITEM_ELEMENTS = 40_000
# openpyxl keeps every shared string. A workbook has at most one per text cell: 200,000 for
# 10,000 rows of 20 columns.
MAX_SHARED_STRINGS = 250_000
# OOXML nests about ten deep.
MAX_DEPTH = 64
# The longest run of bytes between two "<": a tag with its attributes, or a text. Excel holds at
# most 32,767 characters in a cell, about 200 KB even written with entities.
MAX_SEGMENT_BYTES = 1024 * 1024
# The text between two tags (comments can split it into short runs that expat joins).
MAX_TEXT_CHARS = 1_000_000
# The scan's reads; must stay below MAX_SEGMENT_BYTES (see _segment_check).
SCAN_CHUNK_BYTES = 64 * 1024

# Element names as expat gives them: "namespace localname".
ROW = f"{SHEET_MAIN_NS} row"
CELL = f"{SHEET_MAIN_NS} c"
SHARED_STRING = f"{SHEET_MAIN_NS} si"
SHEET_DATA = f"{SHEET_MAIN_NS} sheetData"
# A cell's children that give it a value: the value, a formula, an inline string.
CELL_VALUES = frozenset({f"{SHEET_MAIN_NS} v", f"{SHEET_MAIN_NS} f", f"{SHEET_MAIN_NS} is"})
# The parts openpyxl streams, by their root element: a sheet row by row, the shared strings one by one.
STREAMED_ROOTS = {f"{SHEET_MAIN_NS} worksheet": ROW, f"{SHEET_MAIN_NS} sst": SHARED_STRING}


@dataclass(frozen=True)
class SheetLimits:
    """How much of the first sheet is read: a value beyond them refuses the file."""

    max_rows: int
    max_columns: int


class _Budget:
    """What the scan has counted so far, across all parts."""

    def __init__(self) -> None:
        self.elements = 0


def workbook_check(data: bytes, *, limits: SheetLimits) -> None:
    """Refuse a workbook that is a zip or XML bomb, or goes beyond ``limits``, before anything
    parses it: ValidationError naming what is wrong. ``data`` is the .xlsx file's bytes."""
    archive_check(data)
    budget = _Budget()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            if not entry.is_dir():
                _part_scan(archive, entry, budget, limits)


def workbook_rows(data: bytes, *, limits: SheetLimits) -> list[list[Any]]:
    """The values of the first sheet's rows, after ``workbook_check``: one list a row, empty
    cells as "" and none after the last value; ValidationError if the file is refused."""
    workbook_check(data, limits=limits)
    _defusedxml_require()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged part makes openpyxl raise anything (KeyError, TypeError…)
        raise _unreadable(error) from error
    try:
        return _first_sheet_rows(workbook, limits)
    finally:
        workbook.close()


def _first_sheet_rows(workbook: Any, limits: SheetLimits) -> list[list[Any]]:
    if not workbook.worksheets:
        raise ValidationError(_("The workbook has no sheet."), code="no_sheet")
    sheet = workbook.worksheets[0]
    # The declared dimension is the file's word, not a fact: forget it (openpyxl would pad every
    # row to it), and never read past the limits the scan enforced.
    sheet.reset_dimensions()
    try:
        rows = sheet.iter_rows(max_row=limits.max_rows, max_col=limits.max_columns, values_only=True)
        return [_row_values(row) for row in rows]
    except Exception as error:  # as above: IndexError for a missing shared string, ParseError…
        raise _unreadable(error) from error


def _row_values(row: tuple[Any, ...]) -> list[Any]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return ["" if value is None else value for value in row[:end]]


def _unreadable(error: Exception) -> ValidationError:
    logger.info("Refused an unreadable workbook: %r", error)
    return ValidationError(_("The Excel file could not be read; save it again as .xlsx."), code="unreadable")


def _defusedxml_require() -> None:
    if not openpyxl.DEFUSEDXML:
        # openpyxl falls back to the standard library's parser when defusedxml is missing or
        # OPENPYXL_DEFUSEDXML=False: an uploaded workbook is then not read at all.
        raise ImproperlyConfigured("openpyxl must parse with defusedxml: install it, and unset OPENPYXL_DEFUSEDXML.")


# --- The scan -------------------------------------------------------------------------------------


def _part_scan(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: _Budget, limits: SheetLimits) -> None:
    parser = _defused_expat(_PartScan(entry.filename, budget, limits))
    run = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(SCAN_CHUNK_BYTES):
                run = _segment_check(chunk, run, entry.filename)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except DefusedXmlException as error:
        raise ValidationError(
            _(
                "The workbook's part “%(part)s” declares XML entities or a document type, which Excel never "
                "writes (they can make a small file expand without end); it was refused."
            )
            % {"part": _part_name(entry.filename)},
            code="xml_entities",
        ) from error
    except ExpatError:
        return  # not XML, or damaged: see the module's docstring
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise ValidationError(_("The file could not be read; it may be damaged."), code="unreadable") from error


def _defused_expat(scan: _PartScan) -> Any:
    """An expat parser guarded by defusedxml (its SAX driver refuses a document type, entities
    and external references) that calls the scan directly: SAX's own handlers in between cost as
    much again as expat itself."""
    driver = DefusedExpatParser(namespaceHandling=1, forbid_dtd=True)
    driver.reset()  # creates the expat parser and installs defusedxml's guards on it
    parser = driver._parser
    parser.namespace_prefixes = False  # element names are "namespace localname", whatever the prefix
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.characters
    return parser


def _segment_check(chunk: bytes, run: int, part: str) -> int:
    """Bytes since the last "<" after ``chunk``, given ``run`` before it; refuses a run longer
    than MAX_SEGMENT_BYTES. A run lying inside one chunk is shorter than a chunk, hence than the
    limit: only the run carried across chunks needs counting (two searches a chunk, in C)."""
    first = chunk.find(b"<")
    reached = run + (len(chunk) if first < 0 else first)
    if reached > MAX_SEGMENT_BYTES:
        raise _too_complex(
            part,
            _("a tag or a text longer than %(limit)s") % {"limit": filesizeformat(MAX_SEGMENT_BYTES)},
        )
    return reached if first < 0 else len(chunk) - chunk.rfind(b"<") - 1


def _part_name(name: str) -> str:
    return name[:100]


def _too_complex(part: str, what: str) -> ValidationError:
    return ValidationError(
        _("The workbook's part “%(part)s” has %(what)s, far more than Excel writes; it was refused.")
        % {"part": _part_name(part), "what": what},
        code="xml_too_complex",
    )


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


class _PartScan:
    """Counts one part's elements as expat reads them, and refuses past the limits. Element
    names are "namespace localname" (expat's, with a space)."""

    def __init__(self, part: str, budget: _Budget, limits: SheetLimits) -> None:
        self.part, self.budget, self.limits = part, budget, limits
        self.path: list[str] = []
        self.item: str | None = None  # the element streamed one by one in this part
        self.item_depth = 0  # depth of the item being read, 0 outside one
        self.item_elements = self.items = self.held = self.text = 0
        self.row = self.column = 0
        self.cell: tuple[int, int] = (0, 0)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.text = 0
        self.budget.elements += 1
        if self.budget.elements > MAX_ELEMENTS:
            raise ValidationError(
                _("The workbook holds more than %(limit)s XML elements; split it into smaller files.")
                % {"limit": _count(MAX_ELEMENTS)},
                code="xml_too_large",
            )
        path = self.path
        depth = len(path) + 1
        if depth > MAX_DEPTH:
            raise _too_complex(self.part, _("elements nested more than %(limit)s deep") % {"limit": MAX_DEPTH})
        if self.item_depth:
            self._inside_item(name, depth, attrs)
        elif depth == 1:
            self.item = STREAMED_ROOTS.get(name)
            self._held()
        elif name == self.item and (depth == 2 if name == SHARED_STRING else depth == 3 and path[-1] == SHEET_DATA):
            # A sheet's rows are in its sheetData; the shared strings are the root's children.
            self._item_start(name, depth, attrs)
        else:
            self._held()
        path.append(name)

    def end(self, name: str) -> None:
        self.text = 0
        if len(self.path) == self.item_depth:
            self.item_depth = 0
        self.path.pop()

    def characters(self, content: str) -> None:
        self.text += len(content)
        if self.text > MAX_TEXT_CHARS:
            raise _too_complex(
                self.part, _("a text longer than %(limit)s characters") % {"limit": _count(MAX_TEXT_CHARS)}
            )

    def _held(self) -> None:
        self.held += 1
        if self.held > MAX_HELD_ELEMENTS:
            raise _too_complex(self.part, _("more than %(limit)s XML elements") % {"limit": _count(MAX_HELD_ELEMENTS)})

    def _item_start(self, name: str, depth: int, attrs: dict[str, str]) -> None:
        self.item_depth, self.item_elements = depth, 1
        self.items += 1
        if name == ROW:
            self._row_start(attrs)
        elif self.items > MAX_SHARED_STRINGS:
            raise ValidationError(
                _("The workbook holds more than %(limit)s different texts; split it into smaller files.")
                % {"limit": _count(MAX_SHARED_STRINGS)},
                code="too_many_strings",
            )

    def _inside_item(self, name: str, depth: int, attrs: dict[str, str]) -> None:
        self.item_elements += 1
        if self.item_elements > MAX_ITEM_ELEMENTS:
            what = _("a row") if self.item == ROW else _("a text")
            raise _too_complex(
                self.part,
                _("%(what)s of more than %(limit)s XML elements") % {"what": what, "limit": _count(MAX_ITEM_ELEMENTS)},
            )
        if self.item != ROW:
            return
        if depth == self.item_depth + 1 and name == CELL:
            self._cell_start(attrs)
        elif depth == self.item_depth + 2 and name in CELL_VALUES and self.path[-1] == CELL:
            self._value_check()

    # The row and column of each cell, worked out as openpyxl does (WorkSheetParser): from the
    # "r" attributes when given, else one after the previous one.

    def _row_start(self, attrs: dict[str, str]) -> None:
        if self.items > self.limits.max_rows:
            raise ValidationError(
                _("The sheet has more than %(limit)s rows; at most %(limit)s are read. Split it into smaller files.")
                % {"limit": _count(self.limits.max_rows)},
                code="too_many_rows",
            )
        self.row = _number(attrs.get("r")) or self.row + 1
        self.column = 0

    def _cell_start(self, attrs: dict[str, str]) -> None:
        reference = attrs.get("r")
        if reference:
            try:
                self.cell = coordinate_to_tuple(reference)
            except ValueError as error:
                raise _unreadable(error) from error
            self.column = self.cell[1]
        else:
            self.column += 1
            self.cell = (self.row, self.column)

    def _value_check(self) -> None:
        row, column = self.cell
        if row > self.limits.max_rows:
            raise ValidationError(
                _("The sheet has a value in row %(row)s; at most %(limit)s rows are read. Split it into smaller files.")
                % {"row": _count(row), "limit": _count(self.limits.max_rows)},
                code="too_many_rows",
            )
        if column > self.limits.max_columns:
            raise ValidationError(
                _(
                    "The sheet has a value in column %(column)s (row %(row)s); at most %(limit)s columns are "
                    "read. Remove the columns after %(last)s."
                )
                % {
                    "column": _column_name(column),
                    "row": _count(row),
                    "limit": self.limits.max_columns,
                    "last": get_column_letter(self.limits.max_columns),
                },
                code="too_many_columns",
            )


def _number(text: str | None) -> int:
    if not text:
        return 0
    try:
        return int(text)
    except ValueError as error:
        raise _unreadable(error) from error


def _column_name(column: int) -> str:
    try:
        return get_column_letter(column)
    except ValueError:
        return _count(column)
