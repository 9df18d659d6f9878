"""The version diff (pure) and the attachment check by content."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.lib.diff import Piece, content_diff, text_diff
from reporting.lib.uploads import attachment_check
from tests.helpers import pdf_bytes


def test_a_changed_word_shows_as_removed_and_added():
    assert text_diff("Two workshops held.", "Three workshops held.") == (
        Piece("removed", "Two"),
        Piece("added", "Three"),
        Piece("same", " workshops held."),
    )


def test_sections_report_what_changed():
    old = {
        "fields": {"summary": "A.", "challenges": "Funding."},
        "activities": [{"title": "X", "status": "planned", "narrative": ""}],
    }
    new = {
        "fields": {"summary": "A.", "challenges": "Funding and staff."},
        "activities": [{"title": "X", "status": "completed", "narrative": "Done."}],
    }
    sections = {s.key: s for s in content_diff(old, new, {"summary": "Summary"})}
    assert not sections["summary"].changed and sections["summary"].label == "Summary"
    assert sections["challenges"].changed and sections["activity:X"].changed
    added = [piece.text for piece in sections["activity:X"].pieces if piece.kind == "added"]
    assert added == ["[completed] Done."]


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("r.pdf", pdf_bytes(), "pdf"),
        ("r.docx", ooxml("word/document.xml"), "docx"),
        ("r.xlsx", ooxml("xl/workbook.xml"), "xlsx"),
    ],
)
def test_pdf_word_and_excel_files_are_recognised_by_content(name, content, kind):
    assert attachment_check(SimpleUploadedFile(name, content), max_bytes=10_000_000) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable",  # renamed .exe
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old binary .doc",
        ooxml("ppt/presentation.xml"),  # a PowerPoint file
        b"PK\x03\x04 not really a zip",
        b"",
    ],
)
def test_other_files_are_refused_whatever_their_name(content):
    with pytest.raises(ValidationError):
        attachment_check(SimpleUploadedFile("report.docx", content), max_bytes=10_000_000)


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(ValidationError, match="limit"):
        attachment_check(SimpleUploadedFile("big.pdf", pdf_bytes() + b" " * 2000), max_bytes=1000)
