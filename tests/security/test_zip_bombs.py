"""Zip and XML bombs are refused before anything unpacks them (issue 14, hole 1).

A 1 MB workbook that unpacks to 1 GiB, posted to the matrix import's preview, ran 183 s of CPU
and 2.1 GB of memory. Every Word, Excel or PDF upload (the matrix import, page and API; report
attachments; the public sign-on form's letter) is now checked before a parser runs: the ZIP's
table of contents (``compact.lib.archives``), then, for a workbook openpyxl will read, its XML
as a stream (``compact.lib.workbooks``); a PDF is read under tighter pypdf limits. Each bomb
below is real (see ``archive_bombs``) and each test measures that it was refused quickly and
small: wall time and the peak of Python's allocations (tracemalloc) during the request.
"""

from __future__ import annotations

import hashlib
import html
import io
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.matrix.models import MatrixImport, Project
from compact.signon.models import SignOnRequest
from reporting.submissions.models import Attachment, Submission
from tests.helpers import signon_form_data
from tests.security import archive_bombs as bombs

pytestmark = pytest.mark.django_db

IMPORT_PAGE = "/projects/import/"
PREVIEW_API = "/api/v1/matrix-imports/preview/"
COMMIT_API = "/api/v1/matrix-imports/commit/"
# "Refused before unpacking": well under what unpacking takes (minutes, gigabytes), with room
# for a slow, shared machine and tracemalloc's own slowness.
SECONDS = 5
EXTRA_BYTES = 100 * 1024 * 1024

NBSP = "\xa0"  # Django's filesizeformat keeps a size and its unit together
GIB_UNPACKED = f"The file unpacks to 1.0{NBSP}GB; files that unpack to more than 200.0{NBSP}MB are refused."
ENTITIES = (
    "The workbook's part “{part}” declares XML entities or a document type, which Excel never writes "
    "(they can make a small file expand without end); it was refused."
)


def parts_message(count: str) -> str:
    return (
        f"The file is made of {count} parts; a Word or Excel file has at most a few hundred, "
        "and files of more than 2,000 parts are refused."
    )


def ratio_message(part: str, ratio: str) -> str:
    return (
        f"Part “{part}” of the file unpacks to {ratio} times its packed size; Word and Excel pack about "
        "10 to 1, and files packed more than 100 to 1 are refused."
    )


WORKBOOK_BOMBS = [
    pytest.param(bombs.workbook_unpacking_to_1_gib, GIB_UNPACKED, id="1-MB-unpacking-to-1-GiB"),
    pytest.param(bombs.workbook_of_many_parts, parts_message("40,009"), id="40,000-parts"),
    pytest.param(
        bombs.workbook_packed_1000_to_1, ratio_message("xl/worksheets/sheet1.xml", "1,008"), id="packed-1000-to-1"
    ),
    pytest.param(
        bombs.workbook_laughing_in_its_sheet,
        ENTITIES.format(part="xl/worksheets/sheet1.xml"),
        id="billion-laughs-in-the-sheet",
    ),
    pytest.param(
        bombs.workbook_laughing_in_its_shared_strings,
        ENTITIES.format(part="xl/sharedStrings.xml"),
        id="billion-laughs-in-the-shared-strings",
    ),
    pytest.param(
        bombs.workbook_of_a_million_columns,
        "The sheet has a value in column CW (row 1); at most 100 columns are read. Remove the columns after CV.",
        id="a-row-of-a-million-cells",
    ),
    pytest.param(
        bombs.workbook_of_a_million_empty_cells,
        "The workbook's part “xl/worksheets/sheet1.xml” has a row of more than 40,000 XML elements, "
        "far more than Excel writes; it was refused.",
        id="a-row-of-a-million-empty-cells",
    ),
    pytest.param(
        bombs.workbook_of_a_million_rows,
        "The sheet has more than 50,000 rows; at most 50,000 are read. Split it into smaller files.",
        id="a-million-rows",
    ),
]

ATTACHMENT_BOMBS = [
    pytest.param(bombs.document_unpacking_to_1_gib, "report.docx", GIB_UNPACKED, id="docx-unpacking-to-1-GiB"),
    pytest.param(bombs.workbook_unpacking_to_1_gib, "annex.xlsx", GIB_UNPACKED, id="xlsx-unpacking-to-1-GiB"),
    pytest.param(bombs.document_of_many_parts, "report.docx", parts_message("60,003"), id="docx-of-60,000-parts"),
    pytest.param(
        bombs.document_packed_1000_to_1,
        "report.docx",
        ratio_message("word/document.xml", "1,007"),
        id="docx-packed-1000-to-1",
    ),
    pytest.param(
        bombs.pdf_unpacking_to_1_gib,
        "annex.pdf",
        f"The PDF was refused: one of its parts unpacks to more than 10.0{NBSP}MB, far more than a document needs.",
        id="pdf-unpacking-to-1-GiB",
    ),
]


@dataclass
class Measure:
    seconds: float = 0.0
    peak_bytes: int = 0

    def assert_quick_and_small(self) -> None:
        assert self.seconds < SECONDS, f"took {self.seconds:.1f} s"
        assert self.peak_bytes < EXTRA_BYTES, f"allocated {self.peak_bytes / 2**20:.0f} MiB at the peak"


@contextmanager
def measured() -> Iterator[Measure]:
    measure = Measure()
    tracemalloc.start()
    began = time.perf_counter()
    try:
        yield measure
    finally:
        measure.seconds = time.perf_counter() - began
        measure.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


@pytest.fixture
def staging(settings, tmp_path):
    """Uploads wait for their commit in the file storage (local disk here: MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "staging" / "matrix-imports"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def upload(data: bytes, name: str = "matrix.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def nothing_imported(staging) -> bool:
    staged = list(staging.iterdir()) if staging.exists() else []
    return not Project.objects.exists() and not MatrixImport.objects.exists() and not staged


# --- The matrix import ---------------------------------------------------------------------------


@pytest.mark.parametrize(("bomb", "message"), WORKBOOK_BOMBS)
def test_the_import_page_refuses_a_bomb_quickly_on_the_file_field(
    client_for, oct_officer, roster, staging, bomb: Callable[[], bytes], message: str
):
    client, data = client_for(oct_officer), bomb()
    client.get(IMPORT_PAGE)  # what is measured is the refusal, not a first request's imports
    with measured() as measure:
        response = client.post(IMPORT_PAGE, {"file": upload(data)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert message in page_text(response)
    assert nothing_imported(staging)
    measure.assert_quick_and_small()


@pytest.mark.parametrize(("bomb", "message"), WORKBOOK_BOMBS)
def test_the_import_api_refuses_a_bomb_quickly_with_a_400_on_file(
    api_for, oct_officer, roster, staging, bomb: Callable[[], bytes], message: str
):
    api, data = api_for(oct_officer), bomb()
    api.get("/api/v1/matrix-imports/")  # as above
    with measured() as measure:
        response = api.post(PREVIEW_API, {"file": upload(data)}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    measure.assert_quick_and_small()
    commit = api.post(
        COMMIT_API, {"file": upload(data), "sha256": hashlib.sha256(data).hexdigest()}, format="multipart"
    )
    assert commit.status_code == 400 and commit.json() == {"file": [message]}
    assert nothing_imported(staging)


def test_the_service_refuses_a_bomb_for_its_other_callers(roster):
    """The import_matrix command and the commit read the file through the preview."""
    from compact.matrix.imports.services import matrix_import_preview

    with measured() as measure:
        preview = matrix_import_preview(data=bombs.workbook_unpacking_to_1_gib(), file_name="bomb.xlsx")
    assert not preview.ok and preview.errors == [GIB_UNPACKED] and not preview.rows
    measure.assert_quick_and_small()


def test_a_sheet_declaring_a_huge_range_is_read_as_it_is(roster):
    """openpyxl padded every row to the range a sheet declares: 2,000 rows declared as
    A1:XFD1048576 became 32 million cells."""
    from compact.matrix.imports.files import matrix_file_decode

    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>row {n}</t></is></c></row>' for n in range(1, 2001))
    data = bombs.workbook(bombs.sheet_xml(rows, dimension="A1:XFD1048576"))
    with measured() as measure:
        file_format, table = matrix_file_decode(data)
    assert file_format == "xlsx" and len(table) == 2000
    assert table[0] == ["row 1"] and table[-1] == ["row 2000"]
    measure.assert_quick_and_small()


def test_a_real_template_workbook_still_imports(client_for, oct_officer, roster, staging):
    rows = [["key", "title", "lead_entity", "status", "countries", "main_activities"]]
    rows += [[f"k-{n}", f"Project {n}", "UNODC", "ongoing", "JO", "Training. " * 50] for n in range(1, 201)]
    response = client_for(oct_officer).post(IMPORT_PAGE, {"file": upload(bombs.workbook(bombs.template_sheet(rows)))})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok and preview.file_format == "xlsx" and preview.counts["create"] == 200
    assert not Project.objects.exists()  # a preview saves nothing


def test_a_10000_row_template_workbook_passes_the_checks():
    """The size a later issue imports at once, written by openpyxl as a person's Excel would be."""
    from openpyxl import Workbook

    from compact.matrix.imports.files import TEMPLATE_HEADER, matrix_file_check, matrix_file_decode

    book = Workbook()
    book.active.append(TEMPLATE_HEADER)
    for number in range(1, 10_001):
        book.active.append([f"k-{number}", f"Project {number}", "Training of prison staff. " * 20, "UNODC"])
    buffer = io.BytesIO()
    book.save(buffer)
    matrix_file_check(data=buffer.getvalue())
    file_format, table = matrix_file_decode(buffer.getvalue())
    assert file_format == "xlsx" and len(table) == 10_001 and table[-1][0] == "k-10000"


def test_a_csv_of_millions_of_empty_lines_is_refused_quickly(client_for, oct_officer, roster, staging):
    """Not a bomb, but the same cost: a 5 MB CSV of line ends was five million lists."""
    data = b"key,title,status\n" + b"\n" * (5 * 1024 * 1024 - 20)
    client = client_for(oct_officer)
    client.get(IMPORT_PAGE)  # as above
    with measured() as measure:
        response = client.post(IMPORT_PAGE, {"file": upload(data, "matrix.csv")})
    assert response.status_code == 400
    assert response.context["preview"].errors == [
        "The file has more than 50,000 rows; at most 50,000 are read. Split it into smaller files."
    ]
    assert nothing_imported(staging)
    measure.assert_quick_and_small()


def test_a_csv_with_an_unclosed_quote_is_explained(client_for, oct_officer, roster, staging):
    data = b'key,title,status\nk-1,"A title that never ends' + b" and on" * 30_000
    response = client_for(oct_officer).post(IMPORT_PAGE, {"file": upload(data, "matrix.csv")})
    assert response.status_code == 400
    assert response.context["preview"].errors == ["The CSV file could not be read at line 2; check its quotes."]
    assert nothing_imported(staging)


# --- Report attachments and the sign-on letter ------------------------------------------------------


def draft(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


@pytest.mark.parametrize(("bomb", "name", "message"), ATTACHMENT_BOMBS)
def test_the_attachment_page_refuses_a_bomb_quickly_and_stores_nothing(
    client_for, report_period, chair, media, bomb: Callable[[], bytes], name: str, message: str
):
    client, data, submission = client_for(chair), bomb(), draft(report_period)
    client.get(reverse("reporting-submission-edit", args=[submission.pk]))  # as above
    with measured() as measure:
        response = client.post(reverse("reporting-attachment-add", args=[submission.pk]), {"file": upload(data, name)})
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == [message]
    assert f"The file was not attached: {message}" in page_text(response)
    assert not Attachment.objects.exists()
    assert not media.exists() or not [path for path in media.rglob("*") if path.is_file()]
    measure.assert_quick_and_small()


def test_the_public_sign_on_form_refuses_a_pdf_bomb_as_letter(roster, media, client):
    data = signon_form_data(supporting_letter=upload(bombs.pdf_unpacking_to_1_gib(), "letter.pdf"))
    client.get("/sign-on/")  # as above
    with measured() as measure:
        response = client.post("/sign-on/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["supporting_letter"] == [
        f"The PDF was refused: one of its parts unpacks to more than 10.0{NBSP}MB, far more than a document needs."
    ]
    assert not SignOnRequest.objects.exists()
    measure.assert_quick_and_small()


def test_a_long_word_report_with_a_chart_and_pictures_is_attached(client_for, report_period, chair, media):
    """A nested workbook (a chart's data) and pictures are not refused: nothing opens them."""
    pages = bombs.paragraphs([f"Paragraph {n}: the working group met and agreed its work plan." for n in range(20_000)])
    chart = bombs.Part.deflated("word/embeddings/Microsoft_Excel_Worksheet.xlsx", bombs.workbook(b""))
    pictures = [bombs.Part.deflated(f"word/media/image{n}.png", bytes(range(256)) * 400) for n in range(300)]
    data = bombs.document(pages, extra=[chart, *pictures])
    submission = draft(report_period)
    response = client_for(chair).post(
        reverse("reporting-attachment-add", args=[submission.pk]), {"file": upload(data, "report.docx")}
    )
    assert response.status_code == 302
    assert list(submission.attachments.values_list("kind", "size")) == [("docx", len(data))]


# --- What the checks rely on ----------------------------------------------------------------------------


def test_zipfile_never_unpacks_more_than_a_part_declares():
    """The archive check trusts the declared sizes because zipfile stops at them: a part whose
    data unpacks to 8 MiB but declares 1 MiB yields 1 MiB."""
    real = bombs.Part.repeated("part.xml", b"", b"x" * bombs.MIB, 8, b"")
    first_mib = b"x" * bombs.MIB
    lying = bombs.Part("part.xml", real.data, size=bombs.MIB, crc=zlib.crc32(first_mib))
    with zipfile.ZipFile(io.BytesIO(bombs.zip_of([lying]))) as archive, archive.open("part.xml") as part:
        assert len(part.read()) == bombs.MIB


def test_openpyxl_parses_xml_with_defusedxml():
    """What protects the XML openpyxl reads after our scan: defusedxml, which refuses entities."""
    import defusedxml.ElementTree
    from defusedxml import EntitiesForbidden
    from openpyxl import load_workbook
    from openpyxl.xml import functions

    assert functions.iterparse is defusedxml.ElementTree.iterparse
    assert functions.fromstring is defusedxml.ElementTree.fromstring
    with pytest.raises(ValueError, match="could not read strings") as refused:
        load_workbook(io.BytesIO(bombs.workbook_laughing_in_its_shared_strings()), read_only=True)
    assert isinstance(refused.value.__cause__, EntitiesForbidden)
