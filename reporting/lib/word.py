"""OCT's compiled documents as Word files (.docx), from the HTML their PDF is printed from.

Document processing and translation at the UN work in Word, so every edition of a consolidated
report, an annual report and a briefing pack is also written as a .docx (issue 21). The Word file
is made from the very HTML WeasyPrint prints (``edition_layout``): both say the same, and a
change to a template reaches both. What Word needs is built with python-docx:

- **real headings** (Heading 1–4, from the chapters' h2–h5; the cover's title as Title) and a
  Word table of contents over them, which Word fills in when the file is opened;
- **numbered paragraphs**, as in a United Nations document: every paragraph of what people wrote
  (the executive summary, the observations, each input's text) is a List Number paragraph, one
  numbering through the document; headings, lists and table cells are not numbered;
- **tables** as Word tables, their header rows repeated on each page;
- **the classification marking** in the header and the footer of every page (with the document
  symbol and the page number), in the document's properties too;
- right to left for an Arabic edition, and for each paragraph written in a right-to-left script.

Charts (SVG) are not carried: each chart of the PDF has its figures in a table next to it, which
is. Images are left out (the Compact's mark on the cover).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

from compact.lib.text import xml_text

WORD_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The HTML's headings, as Word's: the cover's h1 is the Title; chapters (h2) are Heading 1.
HEADING_LEVELS = {"h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}
CONTAINERS = {"section", "div", "main", "article", "header", "footer", "body", "figure", "details", "tbody"}
BLOCKS = {"p", "div", "section", "table", "ul", "ol", "dl", "figure", "details", "nav", *(f"h{n}" for n in range(1, 7))}
SKIPPED = {"script", "style", "img", "svg", "head", "title", "meta", "link"}
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class WordFrame:
    """What every page of the file says around its text."""

    title: str
    marking: str  # e.g. "UNCLASSIFIED", printed at the top and bottom of every page
    symbol: str = ""  # the document symbol, printed in the footer
    language: str = "en"
    right_to_left: bool = False
    contents_heading: str = "Contents"
    contents_hint: str = "Update the table of contents to see it."
    author: str = "United Nations Office of Counter-Terrorism"


def _text(element: lxml_html.HtmlElement) -> str:
    """An element's words on one line (its own, its children's), without images or drawings
    (their tails, the words after them, are kept: a chart legend's label follows its swatch)."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in SKIPPED:
                if child.tag == "br":
                    parts.append(" ")
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return SPACES.sub(" ", xml_text("".join(parts))).strip()


def _has_blocks(element: lxml_html.HtmlElement) -> bool:
    """Whether an element holds paragraphs, headings, lists or tables (else it is a line)."""
    return any(isinstance(child.tag, str) and child.tag in BLOCKS for child in element.iter() if child is not element)


def _classes(element: lxml_html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _bidi(paragraph: Paragraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (a page number, the table of contents) that Word computes."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _cells(row: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return [cell for cell in row if cell.tag in ("th", "td")]


def _span(cell: lxml_html.HtmlElement, limit: int) -> int:
    """A cell's columns: its colspan, at most the table's (a colspan of a million is not)."""
    try:
        return min(max(int(cell.get("colspan") or 1), 1), limit)
    except ValueError:
        return 1


class _Writer:
    def __init__(self, frame: WordFrame) -> None:
        self.frame = frame
        self.document: WordDocument = Document()
        self.in_main = False

    # --- Blocks ---------------------------------------------------------------------------------

    def blocks(self, element: lxml_html.HtmlElement, *, numbered: bool = False) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in SKIPPED:
                continue
            classes = _classes(child)
            if "running" in classes or ("marking" in classes and child.tag == "div"):
                continue  # the running header and footer: Word's own, below
            self.block(child, classes, numbered=numbered)

    def block(self, child: lxml_html.HtmlElement, classes: set[str], *, numbered: bool) -> None:
        tag = child.tag
        if tag == "nav":
            self.contents()
        elif tag == "main":
            self.in_main = True
            self.blocks(child)
        elif tag == "h1":
            self.paragraph(_text(child), style="Title")
        elif tag in HEADING_LEVELS:
            self.heading(_text(child), HEADING_LEVELS[tag], child)
        elif tag == "p":
            self.paragraph(_text(child), style="List Number" if numbered else None, direction=child.get("dir"))
        elif tag == "div" and "usertext" in classes:
            self.usertext(child)
        elif tag in ("ul", "ol"):
            for item in child.iterfind("li"):
                self.paragraph(_text(item), style="List Bullet" if tag == "ul" else "List Number 2")
        elif tag == "dl":
            for item in child:
                if item.tag in ("dt", "dd"):
                    paragraph = self.paragraph(_text(item))
                    if item.tag == "dt" and paragraph is not None:
                        for run in paragraph.runs:
                            run.bold = True
        elif tag == "table":
            self.table(child)
        elif tag in ("figcaption", "summary"):
            self.paragraph(_text(child), style="Caption")
        elif tag in CONTAINERS and _has_blocks(child):
            self.blocks(child, numbered=numbered)
        else:
            self.paragraph(_text(child))

    def usertext(self, element: lxml_html.HtmlElement) -> None:
        """What a person wrote: each of its paragraphs numbered in the document's body."""
        paragraphs = element.findall("p")
        if not paragraphs:
            self.paragraph(_text(element), style="List Number" if self.in_main else None, direction=element.get("dir"))
        for paragraph in paragraphs:
            direction = paragraph.get("dir") or element.get("dir")
            self.paragraph(_text(paragraph), style="List Number" if self.in_main else None, direction=direction)

    def heading(self, text: str, level: int, element: lxml_html.HtmlElement) -> None:
        if "toc-heading" in _classes(element) or not text:
            return
        heading = self.document.add_heading(text, level=level)
        if self.frame.right_to_left:
            _bidi(heading)

    def paragraph(self, text: str, *, style: str | None = None, direction: str | None = None) -> Paragraph | None:
        if not text:
            return None
        paragraph = self.document.add_paragraph(text, style=style)
        if direction == "rtl" or (direction is None and self.frame.right_to_left):
            _bidi(paragraph)
        return paragraph

    def table(self, element: lxml_html.HtmlElement) -> None:
        rows = list(element.iter("tr"))
        cells = max((len(_cells(row)) for row in rows), default=0)
        width = max((sum(_span(cell, cells) for cell in _cells(row)) for row in rows), default=0)
        if not rows or not width:
            return
        table: Table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        if self.frame.right_to_left:
            table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        for index, row in enumerate(rows):
            in_head = row.getparent().tag == "thead"
            column = 0
            for cell in _cells(row):
                span = _span(cell, width - column)
                if span < 1:
                    break  # more cells than the grid: the rest would fall outside it
                target = table.cell(index, column)
                if span > 1:
                    target = target.merge(table.cell(index, min(column + span, width) - 1))
                target.text = _text(cell)
                if cell.tag == "th":
                    for run in target.paragraphs[0].runs:
                        run.bold = True
                column += span
            if in_head:
                header = OxmlElement("w:tblHeader")
                table.rows[index]._tr.get_or_add_trPr().append(header)

    def contents(self) -> None:
        heading = self.document.add_paragraph(self.frame.contents_heading, style="TOC Heading")
        contents = self.document.add_paragraph()
        _field(contents, r'TOC \o "1-3" \h \z \u', self.frame.contents_hint)
        if self.frame.right_to_left:
            _bidi(heading)
            _bidi(contents)

    # --- The frame ------------------------------------------------------------------------------

    def page_frame(self) -> None:
        section = self.document.sections[0]
        head = section.header.paragraphs[0]
        head.text = self.frame.marking
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in head.runs:
            run.bold = True
        foot = section.footer.paragraphs[0]
        foot.text = f"{self.frame.symbol}    " if self.frame.symbol else ""
        _field(foot, "PAGE", "1")
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        marking = section.footer.add_paragraph(self.frame.marking)
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in marking.runs:
            run.bold = True
        properties = self.document.core_properties
        properties.title = self.frame.title
        properties.author = self.frame.author
        properties.category = self.frame.marking
        properties.keywords = self.frame.marking
        properties.language = self.frame.language
        # Word fills in the table of contents (and the page numbers) when the file is opened.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.document.settings.element.append(update)

    def write(self, html: str) -> bytes:
        tree = lxml_html.document_fromstring(html)
        self.page_frame()
        self.blocks(tree.find("body"))
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()


def word_from_html(html: str, frame: WordFrame) -> bytes:
    """The .docx of a compiled document's HTML (``edition_layout``'s)."""
    return _Writer(frame).write(html)


def word_paragraphs(content: bytes) -> Iterator[Paragraph]:
    """The paragraphs of a .docx, for tests and checks."""
    yield from Document(io.BytesIO(content)).paragraphs
