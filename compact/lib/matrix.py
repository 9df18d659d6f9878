"""Reading the CTITF matrix as the 2018 report prints it (A/72/840, end of Annex II).

Pure Python, no database: ``matrix_parse(text)`` returns every row with its parsed fields and
warnings; the import service resolves entities and places and writes. The quirks handled
(see docs/architecture.md): the header row repeated at each page break, also in bold; a
pillar's heading and its declared count ("120 projects"); rows whose text continues on
following lines with empty first cells; a title cell that packs the title, an optional
duration in parentheses and the entities (in <b>…</b>, or bare at the end); links as
<a href="#">…</a>; a serial repeated within a pillar.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

PILLAR_HEADING = re.compile(r"^#+\s*\**\s*Pillar\s+(IV|I{1,3})\s+of the UN Global Counter-Terrorism Strategy", re.I)
DECLARED_COUNT = re.compile(r"^(?:#+\s*)?(\d+)\s+projects\s*$", re.I)
HEADER_ROW = re.compile(r"^(?:<b>)?\s*Serial\s*(?:</b>)?\t", re.I)
DATA_ROW = re.compile(r"^\s*(\d+)\s*\t")
END_OF_MATRIX = re.compile(r"^#{1,2}\s+\S")  # "## Annex III": a top-level heading ends it
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.I | re.S)
BOLD = re.compile(r"<b>(.*?)</b>", re.I | re.S)
TAG = re.compile(r"<[^>]+>")
BARE_ENTITIES = re.compile(r"(?:^|\s)((?:[A-Z][A-Z0-9\-]+)(?:\s*,\s*[A-Z][A-Z0-9\-]+)*)\s*$")
PARENTHESES = re.compile(r"\(([^()]*)\)\s*$")
LEADING_PARTNERS = re.compile(r"(?:^|\s)((?:[A-Z][A-Z0-9\-]+)(?:\s*,\s*[A-Z][A-Z0-9\-]+)*)\s*,\s*$")
RECURRING_MARKER = re.compile(
    r"\s*\((?:annual|yearly|recurring)\s+event\)|\s*\((?:\u00e9v\u00e9nement|manifestation)\s+annuel(?:le)?\)", re.I
)
RECURRING_DURATION = re.compile(r"^(?:annual|yearly|recurring)\s+event\b", re.I)
INTRO_TOTAL = re.compile(r"\btotal of (\d+) projects\b", re.I)
INTRO_PILLAR = re.compile(r"\b(\d+) projects under Pillar (IV|I{1,3})\b", re.I)
YEAR_LIST = re.compile(r"^((?:19|20)\d\d)(?:\s*,\s*(?:19|20)\d\d)*\s*(?:,|and)\s*((?:19|20)\d\d)$")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
POINT = re.compile(r"^\s*(?:(\d{1,2})\s+)?(?:([A-Za-z]+)\.?\s+)?((?:19|20)\d\d)\s*$")
DAY_ONLY = re.compile(r"^\s*(\d{1,2})(?:\s+([A-Za-z]+)\.?)?\s*$")
STATUSES = {"ongoing": "ongoing", "completed": "completed", "in development": "in-development"}


@dataclass
class MonthYear:
    year: int
    month: int | None = None


@dataclass
class Duration:
    text: str
    start: MonthYear | None
    end: MonthYear | None
    ambiguous: bool = False

    @property
    def recurring(self) -> bool:
        """ "Annual event. 2016, 2017 and 2018": held again each year, not one long project."""
        return bool(RECURRING_DURATION.match(self.text))


@dataclass
class ParsedRow:
    pillar: str
    serial: int
    occurrence: int  # 1, or 2+ when the serial repeats within the pillar
    line: int  # where the row starts in the file (1-based)
    title: str
    duration: Duration | None
    entities: list[str]
    status: str
    status_text: str
    activities: str
    scope_text: str
    warnings: list[str] = field(default_factory=list)
    recurring: bool = False  # "(Annual event)" in the title or the duration

    @property
    def key(self) -> str:
        suffix = f":{self.occurrence}" if self.occurrence > 1 else ""
        return f"a72-840:{self.pillar}:{self.serial}{suffix}"


@dataclass
class MatrixParse:
    rows: list[ParsedRow]
    declared: dict[str, int]  # pillar → the count its heading declares
    warnings: list[str]
    intro_declared: dict[str, int] = field(default_factory=dict)  # pillar → the introduction's count
    intro_total: int | None = None  # "a total of 320 projects"

    def found(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.pillar] = counts.get(row.pillar, 0) + 1
        return counts


def _plain(text: str) -> str:
    text = LINK.sub(r"\1", text)
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def _point(text: str) -> tuple[MonthYear, bool] | None:
    """'Jul. 2015', '2018', '6 Nov. 2015' → (month-year, whether a day was given)."""
    match = POINT.match(text)
    if not match:
        return None
    day, month_name, year = match.groups()
    if month_name is None:
        return (MonthYear(int(year)), False) if day is None else None
    month = MONTHS.get(month_name.lower())
    return (MonthYear(int(year), month), day is not None) if month else None


def _day_start(text: str, end: MonthYear) -> MonthYear | None:
    """The start of a day range whose year (and month) only the end gives: '25' in
    '25-27 Sep. 2017', '30 October' in '30 October–1 November 2016'."""
    match = DAY_ONLY.match(text)
    if not match:
        return None
    month_name = match.group(2)
    month = MONTHS.get(month_name.lower()) if month_name else end.month
    return MonthYear(end.year, month) if month else None


def duration_parse(text: str) -> Duration | None:
    """The forms the matrix uses — 'Jul. 2015–Jun. 2019', '2018', '2016–2019', 'since 2017',
    '2016-ongoing', '25-27 Sep. 2017', '28 Apr.–5 May 2016', 'Annual event. 2016, 2017 and
    2018', 'April 2016' — as a Duration; None if the text is no duration (e.g. 'FTFs')."""
    text = " ".join(text.split())
    body = re.sub(r"^annual event\.?\s*", "", text, flags=re.I)
    years = YEAR_LIST.match(body)
    if years:  # "2016, 2017 and 2018": held in each of those years
        return Duration(text, MonthYear(int(years.group(1))), MonthYear(int(years.group(2))))
    open_ended = re.match(r"^(?:since\s+(.+)|(.+?)\s*[–—-]\s*ongoing)$", body, re.I)
    if open_ended:
        start = _point(open_ended.group(1) or open_ended.group(2))
        return Duration(text, start[0], None) if start else None
    parts = re.split(r"\s*[–—-]\s*|\s+to\s+", body)
    if len(parts) == 2:
        end = _point(parts[1])
        if end is None:
            return None
        start = _point(parts[0])
        begin = start[0] if start else _day_start(parts[0], end[0])
        return Duration(text, begin, end[0]) if begin else None
    single = _point(body)
    if single is None:
        return None
    point, has_day = single
    if point.month is None or has_day:
        return Duration(text, point, point)  # "(2018)", "(6 Nov. 2015)": within that year or month
    # "(April 2016)": a start, an end or a one-off event? The source does not say.
    return Duration(text, point, None, ambiguous=True)


def _split_names(text: str) -> list[str]:
    names = re.split(r"\s*,\s*|\s+and\s+|\s*;\s*", _plain(text))
    names = [re.sub(r"^and\s+", "", name.strip(" .")) for name in names]
    return [name for name in names if name]


def title_cell_parse(cell: str) -> tuple[str, Duration | None, list[str], list[str]]:
    """(title, duration, entity names, warnings) from the packed title cell."""
    warnings: list[str] = []
    bold = list(BOLD.finditer(cell))
    if bold:
        entities = _split_names(bold[-1].group(1))
        rest = _plain(cell[: bold[-1].start()] + cell[bold[-1].end() :])
        # "… (Sep. 2017) UNODA, <b>1540 Committee</b>": a partner left outside the bold.
        before = LEADING_PARTNERS.search(rest)
        if before:
            entities = _split_names(before.group(1)) + entities
            rest = rest[: before.start(1)]
    else:
        plain = _plain(cell)
        match = BARE_ENTITIES.search(plain)
        if match and match.start(1) > 0:
            entities = _split_names(match.group(1))
            rest = plain[: match.start(1)]
            warnings.append(f"Entities not marked bold; read “{match.group(1)}” from the end of the title.")
        else:
            entities, rest = [], plain
            warnings.append("No implementing entity found in the title cell.")
    title = _plain(rest)
    title, recurring = recurring_marker_strip(title)
    duration = None
    parentheses = PARENTHESES.search(title)
    # "Resolution 1540 (2004)" cites a resolution: a year after a number is not a duration.
    cites_resolution = (
        re.search(r"\d\s*$", title[: parentheses.start()])
        and re.fullmatch(r"\s*(?:19|20)\d\d\s*", parentheses.group(1))
        if parentheses
        else False
    )
    if parentheses and not cites_resolution:
        duration = duration_parse(parentheses.group(1))
        if duration is not None:
            title = title[: parentheses.start()].rstrip()
    if recurring:
        warnings.append("“(Annual event)” taken out of the title; the project is marked recurring.")
    return title, duration, entities, warnings


def recurring_marker_strip(title: str) -> tuple[str, bool]:
    """('World Heritage Youth Forum', True) from 'World Heritage Youth Forum (Annual event)'."""
    stripped = RECURRING_MARKER.sub("", title).strip()
    return stripped, stripped != title.strip()


def one_off_end(duration: Duration | None, status: str) -> Duration | None:
    """A completed row dated by a single month ("May 2017") is a one-off event: it ends in the
    month it starts. Any other single month stays an ambiguous start."""
    if duration is None or not duration.ambiguous:
        return duration
    if status == "completed":
        return Duration(duration.text, duration.start, duration.start)
    return duration


class _RowBuilder:
    """Cells of one row, gathered over its first line and any continuation lines."""

    def __init__(self, pillar: str, line: int, cells: list[str]) -> None:
        self.pillar, self.line, self.cells = pillar, line, (cells + [""] * 5)[:5]

    def extend(self, cells: list[str]) -> None:
        for index, text in enumerate(cells[:5]):
            if text.strip():
                self.cells[index] = f"{self.cells[index]} {text.strip()}".strip()

    def build(self, occurrence: int) -> ParsedRow:
        serial_text, title_cell, status_text, activities, scope = (cell.strip() for cell in self.cells)
        title, duration, entities, warnings = title_cell_parse(title_cell)
        recurring = bool(RECURRING_MARKER.search(_plain(title_cell))) or bool(duration and duration.recurring)
        status = STATUSES.get(_plain(status_text).lower(), "")
        if not status:
            warnings.append(f"Unknown status “{_plain(status_text)}”.")
        duration = one_off_end(duration, status)
        if duration is not None and duration.ambiguous:
            warnings.append(f"Ambiguous date “{duration.text}”: read as the start.")
        if not _plain(scope):
            warnings.append("No geographical scope.")
        return ParsedRow(
            pillar=self.pillar,
            serial=int(serial_text),
            occurrence=occurrence,
            line=self.line,
            title=title,
            duration=duration,
            entities=entities,
            status=status,
            status_text=_plain(status_text),
            activities=_plain(activities),
            scope_text=_plain(scope),
            warnings=warnings,
            recurring=recurring,
        )


def matrix_parse(text: str) -> MatrixParse:
    """Every row of the matrix in ``text`` (the report's text, or just the matrix part)."""
    rows: list[ParsedRow] = []
    declared: dict[str, int] = {}
    warnings: list[str] = []
    pillar: str | None = None
    current: _RowBuilder | None = None
    seen: dict[tuple[str, int], int] = {}

    def finish() -> None:
        nonlocal current
        if current is not None:
            serial = int(current.cells[0])
            seen[(current.pillar, serial)] = occurrence = seen.get((current.pillar, serial), 0) + 1
            row = current.build(occurrence)
            if occurrence > 1:
                row.warnings.append(f"Serial {serial} appears {occurrence} times in pillar {current.pillar}.")
            rows.append(row)
            current = None

    intro_declared: dict[str, int] = {}
    intro_total: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = PILLAR_HEADING.match(line)
        if heading:
            finish()
            pillar = heading.group(1).upper()
            continue
        if pillar is None and intro_total is None and INTRO_TOTAL.search(line):
            # The introduction's own figures, to set beside the headings' and the rows found.
            intro_total = int(INTRO_TOTAL.search(line).group(1))
            intro_declared = {name.upper(): int(count) for count, name in INTRO_PILLAR.findall(line)}
        if pillar is None or not line.strip():
            continue  # before the matrix; and a blank line does not end a row
        count = DECLARED_COUNT.match(line.strip())
        if count:
            finish()
            declared[pillar] = int(count.group(1))
            continue
        if line.lstrip().startswith("#"):
            finish()
            if END_OF_MATRIX.match(line) and "matrix" not in line.lower():
                break  # "## Annex III": the matrix is over
            continue
        if HEADER_ROW.match(line):
            finish()  # the header repeated at a page break
        elif DATA_ROW.match(line):
            finish()
            current = _RowBuilder(pillar, number, line.split("\t"))
        elif line.startswith("\t") and current is not None:
            current.extend(line.split("\t"))
        elif line.startswith("\t") and rows:
            last = rows[-1]
            warnings.append(
                f"Line {number}: text continued after a page break, added to row {last.serial} of pillar {last.pillar}."
            )
            _append_continuation(last, line.split("\t"))
        else:
            warnings.append(f"Line {number}: not a matrix row, skipped: “{line[:80]}”.")
    finish()
    found: dict[str, int] = {}
    for row in rows:
        found[row.pillar] = found.get(row.pillar, 0) + 1
    for name, count in declared.items():
        if found.get(name, 0) != count:
            warnings.append(
                f"Pillar {name}: the heading declares {count} projects; {found.get(name, 0)} rows were found."
            )
    if not rows:
        warnings.append("No matrix rows found.")
    return MatrixParse(
        rows=rows, declared=declared, warnings=warnings, intro_declared=intro_declared, intro_total=intro_total
    )


@dataclass
class PillarReconciliation:
    """Declared vs found for one pillar (or ``pillar="total"``), with what explains each gap:
    ``notes`` are (code, values) pairs the web layer turns into sentences."""

    pillar: str
    intro: int | None
    heading: int | None
    found: int
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "pillar": self.pillar,
            "intro": self.intro,
            "heading": self.heading,
            "found": self.found,
            "notes": [{"code": code, **values} for code, values in self.notes],
        }


def matrix_reconcile(parsed: MatrixParse) -> list[PillarReconciliation]:
    """Per pillar, the introduction's and the heading's counts beside the rows found, each
    difference explained by what the rows show: a serial used twice, a serial skipped, or
    the report's own figures disagreeing. A file that declares nothing gets only what's found."""
    serials: dict[str, list[int]] = {}
    for row in parsed.rows:
        serials.setdefault(row.pillar, []).append(row.serial)
    pillars = [
        p for p in ("I", "II", "III", "IV") if p in serials or p in parsed.declared or p in parsed.intro_declared
    ]
    lines = [_pillar_reconcile(p, serials.get(p, []), parsed) for p in pillars]
    if lines:
        lines.append(_total_reconcile(lines, parsed))
    return lines


def _pillar_reconcile(pillar: str, numbers: list[int], parsed: MatrixParse) -> PillarReconciliation:
    line = PillarReconciliation(pillar, parsed.intro_declared.get(pillar), parsed.declared.get(pillar), len(numbers))
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    highest = max(numbers, default=0)
    missing = sorted(set(range(1, highest + 1)) - set(numbers))
    for serial in repeated:
        line.notes.append(("repeated-serial", {"serial": serial, "times": numbers.count(serial)}))
    for serial in missing:
        line.notes.append(("missing-serial", {"serial": serial, "highest": highest}))
    if line.heading is not None and line.intro is not None and line.heading != line.intro:
        line.notes.append(("intro-differs", {"intro": line.intro, "heading": line.heading}))
    declared = line.heading if line.heading is not None else line.intro
    if declared is not None and declared != line.found and not repeated and not missing:
        line.notes.append(("unexplained", {"declared": declared, "found": line.found}))
    if declared is not None and declared == line.found and not line.notes:
        line.notes.append(("matches", {}))
    return line


def _total_reconcile(lines: list[PillarReconciliation], parsed: MatrixParse) -> PillarReconciliation:
    headings = [line.heading for line in lines]
    heading_total = sum(h for h in headings if h is not None) if any(h is not None for h in headings) else None
    total = PillarReconciliation("total", parsed.intro_total, heading_total, sum(line.found for line in lines))
    intro_sum = sum(parsed.intro_declared.values()) if parsed.intro_declared else None
    if parsed.intro_total is not None and intro_sum is not None and intro_sum != parsed.intro_total:
        total.notes.append(("intro-sum-differs", {"intro": parsed.intro_total, "sum": intro_sum}))
    if parsed.intro_total is not None and heading_total is not None and parsed.intro_total != heading_total:
        total.notes.append(("intro-differs", {"intro": parsed.intro_total, "heading": heading_total}))
    if heading_total is not None and heading_total == total.found and total.notes:
        total.notes.append(("total-matches-headings", {"found": total.found}))
    return total


def _append_continuation(row: ParsedRow, cells: list[str]) -> None:
    cells = (cells + [""] * 5)[:5]
    if cells[3].strip():
        row.activities = f"{row.activities} {_plain(cells[3])}".strip()
    if cells[4].strip():
        row.scope_text = f"{row.scope_text} {_plain(cells[4])}".strip()
    if cells[1].strip():
        row.title = f"{row.title} {_plain(cells[1])}".strip()
