"""Real zip and XML bombs shaped as Word and Excel files, built in a fraction of a second.

A bomb here is a genuine archive: its parts are deflated streams that unpack to what their
headers declare, with the right CRC. The 1 GiB part is not compressed byte by byte (seconds):
one mebibyte is deflated once after a full flush, which makes its compressed block independent
of what came before, and the block is repeated. Used by tests/security/test_zip_bombs.py and
bench/uploads.py.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

MIB = 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes  # as stored in the archive
    size: int  # unpacked
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0

    @classmethod
    def deflated(cls, name: str, content: bytes) -> Part:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)  # zipfile's default level
        return cls(name, packer.compress(content) + packer.flush(), len(content), zlib.crc32(content))

    @classmethod
    def repeated(cls, name: str, head: bytes, chunk: bytes, count: int, tail: bytes) -> Part:
        """``head + chunk * count + tail``, deflated as a real compressor would, without
        compressing ``count`` chunks."""
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
        block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
        end = packer.compress(tail) + packer.flush()
        crc = zlib.crc32(head)
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        size = len(head) + len(chunk) * count + len(tail)
        return cls(name, start + block * count + end, size, zlib.crc32(tail, crc))


def zip_of(parts: list[Part]) -> bytes:
    """A ZIP archive of ``parts``, written field by field (zipfile cannot take precompressed
    data)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for part in parts:
        name = part.name.encode()
        offset = out.tell()
        fields = (20, part.flags, part.method, 0, 0x21, part.crc, len(part.data), part.size, len(name))
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields, 0) + name + part.data)
        directory.write(b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, 0, offset) + name)
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(parts), len(parts), len(listing), start, 0))
    return out.getvalue()


# --- Workbooks ---------------------------------------------------------------------------------------


@functools.cache
def _workbook_parts() -> tuple[tuple[str, bytes], ...]:
    """The parts of a real one-sheet workbook, as openpyxl writes it."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return tuple((name, archive.read(name)) for name in archive.namelist())


def workbook(sheet: Part | bytes, *, extra: list[Part] | None = None) -> bytes:
    """A workbook whose first sheet is ``sheet`` (its XML, or a ready part)."""
    if isinstance(sheet, bytes):
        sheet = Part.deflated("xl/worksheets/sheet1.xml", sheet)
    parts = [sheet if name == sheet.name else Part.deflated(name, content) for name, content in _workbook_parts()]
    return zip_of(parts + (extra or []))


def sheet_xml(rows: str, *, dimension: str = "") -> bytes:
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN_NS}">{ref}<sheetData>{rows}</sheetData></worksheet>'.encode()


def template_sheet(rows: list[list[str]]) -> bytes:
    """A sheet of inline strings, as a person would fill the import template."""

    def cell(value: str) -> str:
        text = value.replace("&", "&amp;").replace("<", "&lt;")
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    return sheet_xml("".join(f"<row>{''.join(cell(value) for value in row)}</row>" for row in rows))


@functools.cache
def workbook_unpacking_to_1_gib() -> bytes:
    """About 1 MB: a sheet of one row followed by 1 GiB of blanks (what the attacker sent)."""
    head = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row><c><v>1</v></c></row>'.encode()
    sheet = Part.repeated("xl/worksheets/sheet1.xml", head, b" " * MIB, 1024, b"</sheetData></worksheet>")
    return workbook(sheet)


@functools.cache
def workbook_of_many_parts(count: int = 40_000) -> bytes:
    """A real workbook plus ``count`` empty parts (about 90 bytes each)."""
    return workbook(b"", extra=[Part.deflated(f"x/{number:x}", b"") for number in range(count)])


@functools.cache
def workbook_packed_1000_to_1() -> bytes:
    """A 50 MiB sheet of blanks packed into 50 KB: within the total size, not the ratio."""
    head = f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    return workbook(Part.repeated("xl/worksheets/sheet1.xml", head, b" " * MIB, 50, b"</sheetData></worksheet>"))


def billion_laughs(root: str) -> bytes:
    """XML whose entity ``lol9`` expands to 10⁹ "lol"s (3 GB) in a 1 KB document."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>{root}'.encode()


def workbook_laughing_in_its_sheet() -> bytes:
    cell = '<c t="inlineStr"><is><t>&lol9;</t></is></c>'
    return workbook(
        billion_laughs(f'<worksheet xmlns="{MAIN_NS}"><sheetData><row>{cell}</row></sheetData></worksheet>')
    )


def workbook_laughing_in_its_shared_strings() -> bytes:
    strings = billion_laughs(f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    sheet = sheet_xml('<row><c t="s"><v>0</v></c></row>')
    types = dict(_workbook_parts())["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
        b'.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = dict(_workbook_parts())["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships'
        b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    parts = [Part.deflated("xl/sharedStrings.xml", strings)]
    return _workbook_with(sheet, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}, parts)


def _workbook_with(sheet: bytes, replaced: dict[str, bytes], extra: list[Part]) -> bytes:
    parts = []
    for name, content in _workbook_parts():
        body = sheet if name == "xl/worksheets/sheet1.xml" else replaced.get(name, content)
        parts.append(Part.deflated(name, body))
    return zip_of(parts + extra)


def _cells(choices: list[str], count: int, seed: int) -> str:
    """``count`` cells drawn from ``choices`` (random, so that the part packs like a real
    sheet, 10 to 25 to 1, and passes the archive check)."""
    return "".join(random.Random(seed).choices(choices, k=count))


@functools.cache
def workbook_of_a_million_columns() -> bytes:
    """One row of 10⁶ cells without coordinates, a third with a value (700 KB): openpyxl
    builds the row whole (4 s, 370 MB)."""
    choices = [*(f"<c><v>{n}</v></c>" for n in range(1000)), *(["<c/>"] * 2000)]
    return workbook(sheet_xml(f"<row>{_cells(choices, 1_000_000, 1)}</row>"))


@functools.cache
def workbook_of_a_million_empty_cells() -> bytes:
    """One row of 10⁶ cells without values, each with a style (1.3 MB): no value lies beyond a
    limit, but openpyxl would still build them all."""
    choices = [f'<c s="{n}"/>' for n in range(100)]
    return workbook(sheet_xml(f"<row>{_cells(choices, 1_000_000, 2)}</row>"))


@functools.cache
def workbook_of_a_million_rows() -> bytes:
    """10⁶ empty, numbered rows."""
    return workbook(sheet_xml("".join(f'<row r="{n}"/>' for n in range(1, 1_000_001))))


# --- Word documents ---------------------------------------------------------------------------------

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
    b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
    b'+xml"/></Types>'
)
DOCX_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def document(body: Part | bytes, *, extra: list[Part] | None = None) -> bytes:
    """A Word document whose main part is ``body`` (its XML, or a ready part)."""
    if isinstance(body, bytes):
        body = Part.deflated("word/document.xml", body)
    heads = [Part.deflated("[Content_Types].xml", DOCX_TYPES), Part.deflated("_rels/.rels", DOCX_RELS)]
    return zip_of([*heads, body, *(extra or [])])


def paragraphs(texts: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in texts)
    return f'<w:document xmlns:w="{WORD_NS}"><w:body>{body}</w:body></w:document>'.encode()


@functools.cache
def document_unpacking_to_1_gib() -> bytes:
    head = f'<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    return document(Part.repeated("word/document.xml", head, b" " * MIB, 1024, tail))


@functools.cache
def document_of_many_parts(count: int = 60_000) -> bytes:
    return document(paragraphs(["Report."]), extra=[Part.deflated(f"{number:x}", b"") for number in range(count)])


@functools.cache
def document_packed_1000_to_1() -> bytes:
    head = f'<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    return document(Part.repeated("word/document.xml", head, b" " * MIB, 50, tail))


# --- A PDF ------------------------------------------------------------------------------------------


@functools.cache
def pdf_unpacking_to_1_gib() -> bytes:
    """A one-page PDF (1 MB) whose page tree sits in an object stream padded to 1 GiB of
    blanks: counting its pages means unpacking that stream."""
    objects = [
        b"<< /Type /Catalog /Pages 3 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
    ]
    index, body = b"", b""
    for number, content in zip([2, 3, 5], objects, strict=True):
        index += b"%d %d " % (number, len(body))
        body += content + b"\n"
    # PDF's FlateDecode is zlib: the raw deflate stream between a zlib header and an Adler-32.
    padded = Part.repeated("", index + body, b" " * MIB, 1024, b"")
    adler = zlib.adler32(index + body)
    for _ in range(1024):
        adler = zlib.adler32(b" " * MIB, adler)
    stream = b"\x78\xda" + padded.data + struct.pack(">I", adler)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    object_stream = out.tell()
    out.write(
        b"1 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(index), len(stream))
    )
    out.write(stream + b"\nendstream\nendobj\n")
    xref = out.tell()
    rows = [(0, 0, 65535), (1, object_stream, 0), (2, 1, 0), (2, 1, 1), (1, xref, 0), (2, 1, 2)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out.write(b"4 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n" % len(table))
    out.write(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
