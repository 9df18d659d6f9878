"""Checks on uploaded files, by their content, never by their name or declared type."""

from __future__ import annotations

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# What pypdf may unpack from one stream while it counts the pages. Counting reads only the page
# tree, from object and cross-reference streams of a few kilobytes (page contents and pictures
# are not unpacked); pypdf's default, 75 MB, lets a 1 MB PDF whose object stream unpacks to
# 1 GiB cost 150 MB and a second before it is refused.
PDF_MAX_STREAM_BYTES = 10 * 1024 * 1024
PDF_LIMITS = {
    "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "brotli_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
}


def pdf_check(upload: UploadedFile, *, max_bytes: int) -> None:
    """Refuse anything but a readable PDF of at most ``max_bytes``.

    The first bytes must be a PDF header and the whole file must parse as a PDF with at least
    one page and no password needed to open it: a renamed Word file or a truncated download
    fails here, whatever its extension says.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    content = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(content) > max_bytes:
        raise ValidationError(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)})
    if not content[:1024].lstrip().startswith(PDF_MAGIC):
        raise ValidationError(_("The file is not a PDF document. Only PDF files are accepted."), code="not_pdf")
    _pdf_parse(content)


def _pdf_parse(content: bytes) -> None:
    try:
        with apply_configuration(**PDF_LIMITS):
            reader = PdfReader(io.BytesIO(content))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ValidationError(_("The PDF is protected by a password; upload it without one."), code="encrypted")
            pages = len(reader.pages)
    except ValidationError:
        raise
    except LimitReachedError as error:
        logger.info("Refused a PDF upload past pypdf's limits: %s", error)
        raise ValidationError(
            _("The PDF was refused: one of its parts unpacks to more than %(limit)s, far more than a document needs.")
            % {"limit": filesizeformat(PDF_MAX_STREAM_BYTES)},
            code="unpacked_too_large",
        ) from error
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        logger.info("Rejected an unreadable PDF upload: %s", error)
        raise ValidationError(_("The PDF could not be read; it may be damaged."), code="unreadable") from error
    if pages < 1:
        raise ValidationError(_("The PDF has no pages."), code="no_pages")
