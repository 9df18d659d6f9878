"""The dashboard's charts in the compiled reports' PDFs: the consolidated report draws its
round's status, the annual report its year's rates — as vector drawings (filled paths in the
chart's colours on the page that names the chart), with their numbers beside them."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from compact.core.models import Classification
from reporting.compiled.contents import annual_contents, consolidated_contents
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from tests.reporting import pdf_fixtures as fx
from tests.reporting.dashboard.world import TODAY

pytestmark = pytest.mark.django_db

# The Okabe–Ito colours of "submitted within an extension" and "missing", and the two rates'.
SKY_BLUE, VERMILION = (0x56, 0xB4, 0xE9), (0xD5, 0x5E, 0x00)
BLUE, ORANGE = (0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00)
FILL = re.compile(rb"([\d.]+) ([\d.]+) ([\d.]+) rg")


def _page_with(content: bytes, heading: str) -> tuple[int, str, set[tuple[int, int, int]], int]:
    """The page whose text has ``heading``: its number, text, fill colours and rectangles/paths."""
    reader = PdfReader(io.BytesIO(content))
    for number, page in enumerate(reader.pages):
        text = fx.flat(page.extract_text() or "")
        if heading in text:
            stream = page.get_contents().get_data()
            fills = {tuple(round(float(v) * 255) for v in match) for match in FILL.findall(stream)}
            shapes = len(re.findall(rb" re\b| h\b", stream))
            return number, text, fills, shapes
    raise AssertionError(f"{heading!r} is on no page")


def test_the_consolidated_report_draws_its_rounds_status(rounds):
    report = ConsolidatedReport.objects.create(period=rounds.q2, symbol="OCT/CC/2026/3", executive_summary="x")
    rendered = fx.render_compiled(
        consolidated_contents(report, today=TODAY), template="reporting/pdf/consolidated.html"
    )
    _number, text, fills, shapes = _page_with(rendered.pdf.content, "Where the working groups' inputs stand")
    assert {SKY_BLUE, VERMILION} <= fills
    assert shapes >= 2
    assert "Q2 2026: 3 working groups expected to report. Submitted within an extension: 1; Missing: 2." in text
    assert 'data-chart="round-' in rendered.html


def test_a_report_marked_below_an_input_does_not_count_it(rounds):
    report = ConsolidatedReport.objects.create(period=rounds.q1, symbol="OCT/CC/2026/1", executive_summary="x")
    contents = consolidated_contents(report, today=TODAY)
    contents.classification = Classification.CONFIDENTIAL  # as if WG 5's input were not in it
    html = fx.render_compiled(contents, template="reporting/pdf/consolidated.html").html
    assert "Submitted on time: 1; Submitted late: 1; Missing: 1." in html
    assert "counted as if the group had none" in html


def test_the_annual_report_draws_the_years_rates(rounds):
    report = AnnualReport.objects.create(year=2026, executive_summary="x", observations="y")
    rendered = fx.render_compiled(annual_contents(report, today=TODAY), template="reporting/pdf/annual.html")
    _number, text, fills, shapes = _page_with(rendered.pdf.content, "Reporting rate and on-time rate per round")
    assert {BLUE, ORANGE} <= fills
    assert shapes >= 6
    assert "Q1 2026 100% 67%" in text  # the table beside the chart
