"""Benchmark of the upload checks: refusing zip and XML bombs, accepting real files.

    .venv/bin/python bench/uploads.py [--rows 10000]

For each upload it prints the file's size, what it unpacks to, and, measured in a fresh child
process (so that one case's memory does not hide another's): the wall time, the peak resident
memory above what the process had before, and the peak of Python's own allocations (a second
run under tracemalloc, which is slower). The bombs are the ones tests/security/test_zip_bombs.py
posts (tests/security/archive_bombs.py); the real files are a 10,000-row template workbook as
Excel users fill it (long activity texts), a long Word report with a chart and pictures, and the
most a 5 MB workbook within the limits can hold. No database: the checks run before any query.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
import resource
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

MIB = 1024 * 1024
WORDS = """border security prison staff training youth radicalization financing prosecution victims aviation
cyber rehabilitation reintegration legislation dialogue community policing investigation cooperation strategy"""


@dataclass
class Case:
    label: str
    kind: str  # "matrix": the import's check and read; "attachment": a report attachment's check
    build: Callable[[], bytes]


@dataclass
class Result:
    outcome: str
    check_seconds: float  # the check the page and the API run first
    total_seconds: float  # the check, then what the preview runs: the check again and openpyxl
    rss_bytes: int
    traced_bytes: int = 0


# --- The files ------------------------------------------------------------------------------------


def template_workbook(rows: int) -> bytes:
    """``rows`` projects in the import template, written by openpyxl as Excel would, with an
    activity text of 150 words each."""
    from openpyxl import Workbook

    from compact.matrix.imports.files import TEMPLATE_HEADER

    book = Workbook()
    sheet = book.active
    sheet.append(TEMPLATE_HEADER)
    for number in range(1, rows + 1):
        rng = random.Random(number)
        activities = " ".join(rng.choices(WORDS.split(), k=150)).capitalize() + "."
        title = f"Project {number}: {' '.join(rng.sample(WORDS.split(), 4))}"
        sheet.append([f"bench-{number:06d}", title, activities, "UNODC", "UNOCT;CTED", "EU", "ongoing",
                      "implementation", "2026-01", "2027-12", "I;III", "7", "", "JO;TN", "", "unclassified",
                      "yes", "no", "250000", "European Union"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_at_the_limits() -> bytes:
    """45,000 rows of 20 short values (1.8 million elements, under the 2 million of the budget),
    4 MB packed: about the most work a workbook the checks accept can ask for."""
    from tests.security import archive_bombs

    rng = random.Random(7)
    values = [f"<c><v>{n}</v></c>" for n in range(100_000)]
    rows = "".join(f"<row>{''.join(rng.choices(values, k=20))}</row>" for _ in range(45_000))
    return archive_bombs.workbook(archive_bombs.sheet_xml(rows))


def workbook_past_the_element_budget() -> bytes:
    """Rows of 30,000 empty styled cells (no value beyond a limit, no row over its budget), 2.4
    million elements in all, 3 MB packed: the longest a workbook can keep the scan busy before
    it is refused."""
    from tests.security import archive_bombs

    rng = random.Random(8)
    cells = [f'<c s="{n}"/>' for n in range(100)]
    rows = "".join(f"<row>{''.join(rng.choices(cells, k=30_000))}</row>" for _ in range(80))
    return archive_bombs.workbook(archive_bombs.sheet_xml(rows))


def long_report() -> bytes:
    from tests.security import archive_bombs as bombs

    pages = bombs.paragraphs([f"Paragraph {n}: the working group met and agreed its work plan." for n in range(20_000)])
    chart = bombs.Part.deflated("word/embeddings/Microsoft_Excel_Worksheet.xlsx", bombs.workbook(b""))
    # Pictures are stored as they are (JPEG and PNG do not pack further): random bytes.
    pictures = [bombs.Part.deflated(f"word/media/image{n}.png", os.urandom(20_000)) for n in range(300)]
    return bombs.document(pages, extra=[chart, *pictures])


def cases(rows: int) -> tuple[list[Case], list[Case]]:
    from tests.security import archive_bombs as bombs

    refused = [
        Case("workbook: 1 MB unpacking to 1 GiB", "matrix", bombs.workbook_unpacking_to_1_gib),
        Case("workbook: 40,000 parts", "matrix", bombs.workbook_of_many_parts),
        Case("workbook: a part packed 1,000 to 1", "matrix", bombs.workbook_packed_1000_to_1),
        Case("workbook: billion laughs in the sheet", "matrix", bombs.workbook_laughing_in_its_sheet),
        Case("workbook: billion laughs in shared strings", "matrix", bombs.workbook_laughing_in_its_shared_strings),
        Case("workbook: a row of 10^6 cells", "matrix", bombs.workbook_of_a_million_columns),
        Case("workbook: a row of 10^6 empty cells", "matrix", bombs.workbook_of_a_million_empty_cells),
        Case("workbook: 10^6 rows", "matrix", bombs.workbook_of_a_million_rows),
        Case("workbook: 2.4 million empty cells", "matrix", workbook_past_the_element_budget),
        Case("docx: 1 MB unpacking to 1 GiB", "attachment", bombs.document_unpacking_to_1_gib),
        Case("docx: 60,000 parts", "attachment", bombs.document_of_many_parts),
        Case("docx: a part packed 1,000 to 1", "attachment", bombs.document_packed_1000_to_1),
        Case("pdf: object stream unpacking to 1 GiB", "attachment", bombs.pdf_unpacking_to_1_gib),
    ]
    accepted = [
        Case(f"workbook: the template, {rows:,} rows", "matrix", lambda: template_workbook(rows)),
        Case("workbook: near the limits (45,000 rows x 20)", "matrix", workbook_at_the_limits),
        Case("docx: long report, a chart, 300 pictures", "attachment", long_report),
    ]
    return refused, accepted


# --- Measuring ------------------------------------------------------------------------------------


def _check(kind: str, data: bytes) -> str:
    """The check an upload meets before any parser or query: "" if it passes, else why not."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compact.matrix.imports.files import matrix_file_check
    from reporting.lib.uploads import attachment_check
    from reporting.submissions.services import ATTACHMENT_MAX_BYTES

    try:
        if kind == "matrix":
            matrix_file_check(data=data)
            return ""
        return f"accepted as {attachment_check(SimpleUploadedFile('upload', data), max_bytes=ATTACHMENT_MAX_BYTES)}"
    except ValidationError as error:
        return " ".join(error.messages)


def _read(data: bytes) -> str:
    """What the import's preview does with a workbook before its first query."""
    from compact.matrix.imports.files import matrix_file_decode

    _file_format, table = matrix_file_decode(data)
    return f"accepted: {len(table):,} rows read"


def _rss_now() -> int:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _measure(kind: str, data: bytes, traced: bool, queue: Any) -> None:
    import django

    django.setup()
    _check(kind, b"")  # imports done before measuring
    before = _rss_now()
    if traced:
        tracemalloc.start()
    began = time.perf_counter()
    outcome = _check(kind, data)
    checked = time.perf_counter()
    if kind == "matrix" and not outcome:
        outcome = _read(data)
    done = time.perf_counter()
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    queue.put(Result(outcome, checked - began, done - began, max(rss, 0), traced_peak))


def measure(case: Case, data: bytes) -> Result:
    context = multiprocessing.get_context("fork")
    results = []
    for traced in (False, True):
        queue = context.Queue()
        child = context.Process(target=_measure, args=(case.kind, data, traced, queue))
        child.start()
        results.append(queue.get())
        child.join()
    plain, under_tracemalloc = results
    plain.traced_bytes = under_tracemalloc.traced_bytes
    return plain


def unpacked(data: bytes) -> str:
    if not data.startswith(b"PK"):
        return "-"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = sum(entry.file_size for entry in archive.infolist())
    return f"{size / MIB:,.1f} MiB" if size < 1024 * MIB else f"{size / 1024 / MIB:,.2f} GiB"


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def line(case: Case, data: bytes, result: Result) -> str:
    check, total = _duration(result.check_seconds), _duration(result.total_seconds)
    return (
        f"{case.label:<44} {len(data) / MIB:>7.2f} MiB {unpacked(data):>12} {check:>10} {total:>10} "
        f"{result.rss_bytes / MIB:>8.1f} MiB {result.traced_bytes / MIB:>8.1f} MiB  {result.outcome}"
    )


HEADER = (
    f"{'upload':<44} {'file':>11} {'unpacks to':>12} {'check':>10} {'in all':>10} {'peak RSS +':>12} "
    f"{'tracemalloc':>12}  outcome"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the template workbook (default 10,000)")
    arguments = parser.parse_args()
    import django

    django.setup()
    refused, accepted = cases(arguments.rows)
    for title, group in [("Refused", refused), ("Accepted", accepted)]:
        print(f"\n{title} (each in a fresh process; RSS above the process's before the upload)")
        print(HEADER)
        print("-" * len(HEADER))
        for case in group:
            data = case.build()
            print(line(case, data, measure(case, data)), flush=True)


if __name__ == "__main__":
    main()
