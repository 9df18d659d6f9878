"""The consolidated report's indicators chart, read back from the PDF: drawn as vectors (paths
filled in the chart's colours on the chart's page, not an image), with its figures in words."""

from __future__ import annotations

import datetime
import io
import re

from pypdf import PdfReader

from reporting.compiled.contents import consolidated_contents
from reporting.compiled.models import ConsolidatedReport
from reporting.programme.models import ProgrammeOfWork
from tests.reporting import pdf_fixtures as fx
from tests.reporting.monitoring.test_monitoring import accept, entries, make_indicator, wg7_draft

BLUE_FILL = "0 0.447059 0.698039 rg"  # #0072B2, the progress bars
VERMILLION_STROKE = "0.835294 0.368627 0 RG"  # #D55E00, the target line
TITLE = "Indicators: progress from the baseline to the target"


def test_the_consolidated_report_draws_the_rounds_indicators_as_vectors(roster, oct_officer, chair, report_period):
    programme = ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme of work 2026–2027")
    trained = make_indicator(programme, oct_officer, [roster.group, roster.other_group])
    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 220, female=130))
    report = ConsolidatedReport.objects.create(period=report_period, symbol="OCT/CC/2026/2")
    contents = consolidated_contents(report, today=datetime.date(2026, 7, 20))
    rendered = fx.render_compiled(contents, template="reporting/pdf/consolidated.html")

    reader = PdfReader(io.BytesIO(rendered.pdf.content))
    (page,) = [page for page in reader.pages if TITLE in fx.flat(page.extract_text())]
    text = fx.flat(page.extract_text())
    assert "30 %" in text and "1 of 1 indicator has an actual this round; 0 reached its target." in text
    assert not page.images  # drawn, not pasted in as a picture
    stream = page.get_contents().get_data().decode("latin-1")
    # The bar: the blue fill set, then a rectangle or path filled with it.
    after_blue = stream[stream.index(BLUE_FILL) :]
    assert re.search(r"\n[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ re\n|\n[-\d.]+ [-\d.]+ m\n", after_blue[:400])
    assert re.search(r"\nf\*?\n", after_blue[:600])
    assert VERMILLION_STROKE in stream  # the target line
    # The chart sits in chapter 7, after the indicators table it is drawn from.
    body = " ".join(fx.flat(t) for t in rendered.texts[2:])
    assert body.index("7. Indicators: actual against target") < body.index(TITLE)
