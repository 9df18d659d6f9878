"""Checks on a ZIP archive (a Word or Excel file) before anything unpacks it: zip bombs.

Word (.docx) and Excel (.xlsx) files are ZIP archives of XML parts. A hostile one of 1 MB can
unpack to gigabytes, or hold a hundred thousand parts, and whatever opens it first (openpyxl,
``testzip()``) spends minutes and gigabytes on it. ``archive_check`` reads only the archive's
table of contents (the ZIP central directory: one record a part, with its packed and unpacked
sizes) and refuses what no real Office file looks like, before a single part is unpacked.

Why the declared sizes can be trusted: everything we unpack goes through ``zipfile``, whose
``ZipExtFile`` asks zlib for at most a few kilobytes per read, cuts what it returns at the part's
declared ``file_size`` and then checks the CRC, so a part whose data unpacks to more than it
declares yields no more than it declares (and then fails its CRC). The declared sizes are
therefore an upper bound on what any reader going through ``zipfile`` unpacks; the sizes
zipfile uses come from the central directory (ZIP64 fields included), which is what is checked
here. bzip2 and LZMA parts get no such per-read bound in ``zipfile`` (one read of a few
kilobytes may unpack to hundreds of megabytes before the cut), which is one more reason to
refuse them: Office only ever writes "stored" and "deflate".

A nested archive (a chart's workbook embedded in a Word report) is not refused: nothing here
opens an archive inside an archive, so to us it is bytes, counted at their unpacked size.
Part names are not checked either: nothing is ever extracted to disk.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MIB = 1024 * 1024

# A Word or Excel file has a few dozen parts; a long report with a few hundred pictures has a
# few hundred. Two thousand leaves room; a hundred thousand parts is an attack.
MAX_ENTRIES = 2_000

# Office's XML packs about ten to one (our 10,000-row template workbook: 9; a sheet repeating one
# word 200,000 times: 26), so a file at the 10 MB attachment limit unpacks to about 100 MB and a
# 10,000-row workbook with long texts to 24 MB. 200 MiB leaves twice that room; the 1 MB file
# that unpacks to 1 GiB is refused.
MAX_UNPACKED_BYTES = 200 * MIB

# The real parts we measured pack at most 26 to one (above); deflate's ceiling is about 1,030 to
# one, which is what bombs use. Apache POI, the Java library that reads Office files, refuses a
# part unpacking to more than 100 times its packed size; so do we, but only for parts over 1 MiB:
# the false alarms POI users report are small parts (a 100-700 KB drawing or picture packing
# 100-200 to one), and a small part is harmless whatever its ratio, all parts together staying
# under MAX_UNPACKED_BYTES.
MAX_RATIO = 100
RATIO_EXEMPT_BYTES = 1 * MIB

# The only methods Office writes. Anything else is refused (see the module's docstring).
OFFICE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

# Every record of the central directory starts with these bytes, and zipfile refuses a record
# that does not: their number in the file is an upper bound on the parts zipfile would build a
# record for, read without building any (a forged "end of central directory" can claim
# anything, and 100,000 records cost zipfile seconds and 60 MB before a check could count them).
CENTRAL_DIRECTORY_SIGNATURE = b"PK\x01\x02"

# A part's name is shown in a message as far as this (a hostile name can be any length).
PART_NAME_SHOWN = 100

# zipfile's flag for an encrypted part. Office encrypts a whole file differently (not as a ZIP).
ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = MAX_ENTRIES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_ratio: int = MAX_RATIO


OFFICE_LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class ArchiveContents:
    """What the central directory says: the parts' names and their total unpacked size."""

    names: frozenset[str]
    unpacked_bytes: int


def archive_check(data: bytes, *, limits: ArchiveLimits = OFFICE_LIMITS) -> ArchiveContents:
    """The archive's table of contents, or ValidationError saying what is wrong with it.

    Nothing is unpacked: only the central directory is read (milliseconds, a few hundred
    kilobytes of memory, whatever the archive claims to hold)."""
    _entries_count_check(data.count(CENTRAL_DIRECTORY_SIGNATURE), limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as error:
        raise ValidationError(_("The file could not be read; it may be damaged."), code="unreadable") from error
    _entries_count_check(len(entries), limits)
    # The total first: it is what a user understands best ("unpacks to 1.0 GB").
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise ValidationError(
            _("The file unpacks to %(size)s; files that unpack to more than %(limit)s are refused.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits.max_unpacked_bytes)},
            code="unpacked_too_large",
        )
    for entry in entries:
        _entry_check(entry, limits)
    return ArchiveContents(names=frozenset(entry.filename for entry in entries), unpacked_bytes=unpacked)


def _entries_count_check(count: int, limits: ArchiveLimits) -> None:
    if count > limits.max_entries:
        raise ValidationError(
            _(
                "The file is made of %(count)s parts; a Word or Excel file has at most a few hundred, "
                "and files of more than %(limit)s parts are refused."
            )
            % {
                "count": number_format(count, force_grouping=True),
                "limit": number_format(limits.max_entries, force_grouping=True),
            },
            code="too_many_parts",
        )


def _entry_check(entry: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    if entry.flag_bits & ENCRYPTED_FLAG:
        raise ValidationError(
            _("The file is protected by a password; save it without one and upload it again."), code="encrypted"
        )
    if entry.compress_type not in OFFICE_METHODS:
        raise ValidationError(
            _(
                "Part “%(part)s” of the file is compressed in a way Word and Excel never use; "
                "save the file again from Word or Excel."
            )
            % {"part": entry.filename[:PART_NAME_SHOWN]},
            code="compression_method",
        )
    if entry.file_size > RATIO_EXEMPT_BYTES and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
        raise ValidationError(
            _(
                "Part “%(part)s” of the file unpacks to %(ratio)s times its packed size; Word and Excel pack "
                "about 10 to 1, and files packed more than %(limit)s to 1 are refused."
            )
            % {
                "part": entry.filename[:PART_NAME_SHOWN],
                "ratio": number_format(entry.file_size // max(entry.compress_size, 1), force_grouping=True),
                "limit": limits.max_ratio,
            },
            code="compression_ratio",
        )
