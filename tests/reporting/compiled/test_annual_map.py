"""The annual report's matrix map: the unclassified projects of chapter 7 on the world map,
drawn in the PDF as vector paths (not a picture), its numbers in the table beside it, and no
project above the report's public marking counted."""

from __future__ import annotations

import datetime
import io
import os
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from compact.core.models import Classification
from compact.matrix.services import project_save
from reporting.compiled.contents import annual_contents
from reporting.compiled.models import AnnualReport
from tests.reporting import pdf_fixtures as fx

pytestmark = pytest.mark.django_db


def _project(title, *, countries=(), regions=(), classification=Classification.UNCLASSIFIED):
    fields = {"title": title, "status": "ongoing", "pillars": ["I"], "classification": classification}
    return project_save(project=None, actor=None, fields=fields, countries=countries, regions=regions)


@pytest.fixture
def report():
    _project("Prison reform", countries=["KE"])
    _project("Victims' support", countries=["KE", "ML"])
    _project("Youth in the Sahel", regions=["sahel"])
    _project("Confidential border work", countries=["TD", "KE"], classification=Classification.CONFIDENTIAL)
    _project("Strictly confidential", countries=["TD"], classification=Classification.STRICTLY_CONFIDENTIAL)
    return AnnualReport.objects.create(year=2026, executive_summary="A year.", observations="None.")


def _marks(svg: str) -> dict[str, str]:
    root = ElementTree.fromstring(svg)
    return {mark.get("data-country"): mark.get("data-value") for mark in root.iter() if mark.get("data-country")}


def test_the_annual_map_counts_only_unclassified_projects(report):
    contents = annual_contents(report, today=datetime.date(2026, 12, 20))
    chart = contents.matrix["map"]
    marks = _marks(str(chart.svg))
    # Chad is only in the Sahel project (the confidential ones are not counted); Kenya has two.
    assert (marks["KE"], marks["ML"], marks["TD"], marks["NE"], marks["FR"]) == ("2", "2", "1", "1", "0")
    assert "<a " not in str(chart.svg)  # no links in a PDF
    assert contents.classification == Classification.UNCLASSIFIED


def _streams(page) -> list[bytes]:
    """The page's content and every form XObject it draws (WeasyPrint puts an SVG in one)."""
    streams = [page.get_contents().get_data()]
    pending = [page.get("/Resources")]
    while pending:
        resources = pending.pop()
        forms = resources.get_object().get("/XObject") if resources else None
        for reference in forms.get_object().values() if forms else []:
            form = reference.get_object()
            if form.get("/Subtype") == "/Form":
                streams.append(form.get_data())
                pending.append(form.get("/Resources"))
    return streams


def test_the_annual_pdf_draws_the_map_as_vectors_with_its_table(report):
    contents = annual_contents(report, today=datetime.date(2026, 12, 20))
    rendered = fx.render_compiled(contents, template="reporting/pdf/annual.html")
    reader = PdfReader(io.BytesIO(rendered.pdf.content))
    if os.environ.get("SCREENSHOTS_DIR"):
        Path(os.environ["SCREENSHOTS_DIR"], "annual-map.pdf").write_bytes(rendered.pdf.content)
    pages = [index for index, text in enumerate(rendered.texts) if "Projects per country" in text]
    assert len(pages) == 1  # the caption is kept with the map
    assert pages, "the map's figure is not in the PDF"
    page = reader.pages[pages[0]]
    assert not page.images  # drawn, not pasted as a picture
    drawing = b"".join(_streams(page))
    # Path construction (m, l) and fill operators: the countries' outlines, as vectors.
    assert len(re.findall(rb"[\d.-]+ [\d.-]+ l\b", drawing)) > 2000
    assert len(re.findall(rb"[\d.-]+ [\d.-]+ m\b", drawing)) > 150
    assert re.search(rb"\bf\*?\n", drawing)
    text = " ".join(" ".join(rendered.texts[index].split()) for index in pages)
    assert "Kenya 2" in text and "Mali 2" in text and "Chad 1" in text
    assert "Most: Kenya (2), Mali (2)" in text
