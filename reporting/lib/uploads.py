"""Checks on report attachments, by content: a PDF, a Word document or an Excel workbook."""

from __future__ import annotations

import io
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from compact.lib.archives import archive_check
from compact.lib.uploads import PDF_MAGIC, pdf_check

# An Office Open XML file is a ZIP whose parts say what it is.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def attachment_check(upload: UploadedFile, *, max_bytes: int) -> str:
    """The attachment's kind ("pdf", "docx" or "xlsx") from its content, or ValidationError.

    A renamed executable, an old binary .doc, a ZIP of anything else or a damaged file is
    refused, whatever its name says."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        pdf_check(upload, max_bytes=max_bytes)
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(upload, max_bytes)
    raise ValidationError(_("Attach a PDF, Word (.docx) or Excel (.xlsx) file."), code="type")


def _ooxml_kind(upload: UploadedFile, max_bytes: int) -> str:
    content = upload.read(max_bytes + 1)
    upload.seek(0)
    # The zip-bomb check reads only the table of contents; nothing is unpacked before it passes.
    names = archive_check(content).names
    kind = next((kind for kind, part in OOXML_MAIN_PART.items() if part in names), None)
    if "[Content_Types].xml" not in names or kind is None:
        raise ValidationError(_("Attach a PDF, Word (.docx) or Excel (.xlsx) file."), code="type")
    _crc_check(content)
    return kind


def _crc_check(content: bytes) -> None:
    """Refuse a damaged archive (a truncated download). This unpacks every part, which is safe
    only after ``archive_check``: zipfile unpacks no more than the declared sizes it passed
    (at most MAX_UNPACKED_BYTES, a fraction of a second), in chunks of a few kilobytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise ValidationError(_("The file could not be read; it may be damaged."), code="unreadable") from error
    if bad is not None:
        raise ValidationError(_("The file could not be read; it may be damaged."), code="unreadable")
