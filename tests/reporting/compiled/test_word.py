"""Every edition also as a Word file (issue 21, reporting/lib/word.py): read back with python-docx.

The editions are generated as OCT does (requested, then rendered as the worker does) from the
worlds of test_pdf_contents.py and test_briefing_pack.py, so the Word file says what the PDF says.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from compact.core.models import Classification
from reporting.compiled.editions import edition_render, edition_request
from reporting.compiled.models import ReportEdition
from reporting.lib.word import WORD_CONTENT_TYPE, WordFrame, word_from_html
from tests.reporting.committee.test_briefing_pack import WG2_MARKER as PACK_WG2_MARKER
from tests.reporting.committee.test_briefing_pack import WG7_MARKER as PACK_WG7_MARKER
from tests.reporting.committee.test_briefing_pack import agenda, meeting  # noqa: F401 (fixtures)
from tests.reporting.compiled.test_pdf_contents import (  # noqa: F401 (fixtures)
    HOSTILE,
    WG2_MARKER,
    WG7_MARKER,
    WG7_REQUEST,
    annual_report,
    round_report,
)

pytestmark = pytest.mark.django_db


def generated(report, actor, *, language: str | None = None) -> ReportEdition:
    edition = edition_request(report=report, actor=actor, language=language)
    assert edition_render(edition_id=edition.pk)
    edition.refresh_from_db()
    return edition


def word_of(edition: ReportEdition) -> Document:
    assert edition.word_file and edition.word_size and len(edition.word_sha256) == 64
    with edition.word_file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def styled(document: Document, prefix: str) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs if paragraph.style.name.startswith(prefix)]


def header_and_footer(document: Document) -> tuple[str, str]:
    section = document.sections[0]
    return (
        "\n".join(paragraph.text for paragraph in section.header.paragraphs),
        "\n".join(paragraph.text for paragraph in section.footer.paragraphs),
    )


def test_a_consolidated_report_has_headings_numbered_paragraphs_tables_and_markings(round_report, oct_officer):  # noqa: F811
    document = word_of(generated(round_report, oct_officer))
    assert styled(document, "Title") == [
        "Consolidated progress report of the working groups of the Global Counter-Terrorism Coordination Compact"
    ]
    chapters = styled(document, "Heading 1")
    assert chapters[:3] == ["1. Executive summary", "2. Observations", "3. Progress of the working groups"]
    assert "5. Reporting compliance" in chapters
    groups = styled(document, "Heading 2")
    assert any(heading.startswith("3.1 Working group 7") for heading in groups), groups
    numbered = styled(document, "List Number")
    assert "The round saw most groups report on time." in numbered
    assert HOSTILE in numbered  # what a person wrote is text in Word, as in the PDF
    assert WG7_MARKER in numbered and WG7_REQUEST in numbered
    assert all("Executive summary" not in text for text in numbered)  # headings are not numbered
    compliance = next(table for table in document.tables if "On time" in [cell.text for cell in table.rows[0].cells])
    assert [cell.text for cell in compliance.rows[0].cells] == [
        "Working group",
        "Status",
        "Due",
        "Submitted",
        "On time",
    ]
    assert compliance.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    header, footer = header_and_footer(document)
    assert header == "UNCLASSIFIED"
    assert "OCT/CC/2026/2" in footer and footer.endswith("UNCLASSIFIED")
    assert document.core_properties.category == "UNCLASSIFIED"
    assert any(paragraph.style.name == "TOC Heading" for paragraph in document.paragraphs)


def test_a_confidential_input_marks_every_page_of_the_word_file(round_report, oct_officer):  # noqa: F811
    submission = round_report.period.submissions.get(working_group__number=7)
    submission.classification = Classification.CONFIDENTIAL
    submission.save(update_fields=["classification"])
    edition = generated(round_report, oct_officer)
    header, footer = header_and_footer(word_of(edition))
    assert (header, footer.splitlines()[-1]) == ("CONFIDENTIAL", "CONFIDENTIAL")
    assert edition.classification == Classification.CONFIDENTIAL


def test_an_arabic_edition_runs_right_to_left(round_report, oct_officer):  # noqa: F811
    document = word_of(generated(round_report, oct_officer, language="ar"))
    headings = [paragraph for paragraph in document.paragraphs if paragraph.style.name == "Heading 1"]
    assert headings and all(heading._p.pPr.find(qn("w:bidi")) is not None for heading in headings)
    assert headings[0].text.startswith("1.") and "Executive summary" not in headings[0].text
    # An English paragraph in an Arabic edition keeps its own direction.
    english = next(p for p in document.paragraphs if p.text == "The round saw most groups report on time.")
    assert english._p.pPr.find(qn("w:bidi")) is None
    header, _footer = header_and_footer(document)
    assert header and header != "UNCLASSIFIED"


def test_the_annual_report_is_written_too(annual_report, oct_officer, time_machine):  # noqa: F811
    time_machine.move_to(datetime.datetime(2026, 12, 20, 12, tzinfo=datetime.UTC), tick=False)
    annual = word_of(generated(annual_report, oct_officer))
    (title,) = styled(annual, "Title")
    assert title.startswith(
        "Annual report of the Under-Secretary-General for Counter-Terrorism to the Secretary-General"
    )
    assert "5.1 Working group 2: Countering the financing of terrorism" in styled(annual, "Heading 2")
    assert WG2_MARKER in styled(annual, "List Number") and WG7_MARKER in styled(annual, "List Number")


def test_the_briefing_pack_is_written_too(agenda, oct_officer):  # noqa: F811
    pack = word_of(generated(agenda, oct_officer))
    texts = [paragraph.text for paragraph in pack.paragraphs]
    assert any(PACK_WG7_MARKER in text for text in texts)
    assert not any(PACK_WG2_MARKER in text for text in texts)  # reopened: listed, not reproduced
    assert styled(pack, "Heading 1") and header_and_footer(pack)[0] == "UNCLASSIFIED"


def test_the_word_file_is_downloaded_by_who_reads_the_pdf_and_nobody_else(
    round_report,  # noqa: F811
    oct_officer,
    focal_point,
    client_for,
):
    edition = generated(round_report, oct_officer)
    response = client_for(oct_officer).get(reverse("reporting-edition-download-word", args=[edition.pk]))
    assert response.status_code == 200 and response["Content-Type"] == WORD_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('-edition-1.docx"')
    assert response["ETag"] == f'"{edition.word_sha256}"'
    assert b"".join(response.streaming_content).startswith(b"PK")
    page = client_for(oct_officer).get(reverse("reporting-consolidated", args=[round_report.pk])).content.decode()
    assert reverse("reporting-edition-download-word", args=[edition.pk]) in page
    pdf = client_for(focal_point).get(reverse("reporting-edition-download", args=[edition.pk])).status_code
    word = client_for(focal_point).get(reverse("reporting-edition-download-word", args=[edition.pk])).status_code
    assert word == pdf


def test_an_edition_made_before_word_files_has_none(round_report, oct_officer, client_for):  # noqa: F811
    edition = generated(round_report, oct_officer)
    ReportEdition.objects.filter(pk=edition.pk).update(word_file="", word_sha256="", word_size=None)
    assert client_for(oct_officer).get(reverse("reporting-edition-download-word", args=[edition.pk])).status_code == 404
    page = client_for(oct_officer).get(reverse("reporting-consolidated", args=[round_report.pk])).content.decode()
    assert reverse("reporting-edition-download-word", args=[edition.pk]) not in page
    assert reverse("reporting-edition-download", args=[edition.pk]) in page


def test_characters_xml_cannot_carry_are_dropped_not_fatal():
    html = (
        '<html><body><main><section><h2>Ti\x0btle</h2><div class="usertext"><p>A\x01B</p></div></section></main>'
        "</body></html>"
    )
    document = Document(io.BytesIO(word_from_html(html, WordFrame(title="T", marking="UNCLASSIFIED"))))
    assert [p.text for p in document.paragraphs if p.text] == ["Title", "AB"]


def test_a_table_with_spans_keeps_its_grid():
    html = (
        "<html><body><table><thead><tr><th colspan='2'>Both</th><th>Third</th></tr></thead>"
        "<tbody><tr><td>a</td><td>b</td><td>c</td></tr><tr><td colspan='999999'>wide</td></tr></tbody>"
        "</table></body></html>"
    )
    (table,) = Document(io.BytesIO(word_from_html(html, WordFrame(title="T", marking="UNCLASSIFIED")))).tables
    assert [cell.text for cell in table.rows[1].cells] == ["a", "b", "c"]
    assert table.rows[0].cells[0].text == "Both" and table.rows[0].cells[2].text == "Third"
