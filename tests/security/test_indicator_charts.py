"""Attacks on the indicator charts (issue 20): values from reports above the reader's
clearance must not be drawn, tabulated or summarised — in the line, in the small multiples,
in the framework's small charts — nor may a PDF marked lower than its chart's sources exist;
user text is escaped inside the SVG; the pages answer only GET and only to readers."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from compact.core.models import Classification
from reporting.compiled.contents import consolidated_contents
from reporting.compiled.models import ConsolidatedReport
from reporting.monitoring.charts import round_progress_chart
from tests.helpers import figures_told, oct_person
from tests.reporting.monitoring.test_charts import end_of_year, programme, trained, wg2_chair  # noqa: F401 (fixtures)
from tests.reporting.monitoring.test_monitoring import accept, entries, make_indicator, wg7_draft

D = Decimal
SECRET_TOTAL, SECRET_FEMALE = "777", "555"


def _drawn_figures(page: str) -> set[str]:
    """Every figure a chart on the page draws or tabulates: marks' values and data-table cells."""
    values = set(re.findall(r'data-value="([^"]+)"', page))
    for table in re.findall(r'<table class="grid-table chart-table">.*?</table>', page, flags=re.S):
        values |= set(re.findall(r'<td class="number">([^<]+)</td>', table))
    return values


@pytest.fixture
def hidden_december(trained, chair, oct_officer, report_period, end_of_year):  # noqa: F811
    """June: WG 7 reports 120 (70 women), unclassified. December: 777 (555 women) in a
    strictly confidential report."""
    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 120, female=70))
    december = end_of_year.submissions.get(working_group__number=7)
    accept(december, chair, oct_officer, entries(trained, 777, female=555), Classification.STRICTLY_CONFIDENTIAL)
    return december


@pytest.mark.parametrize("reader", ["committee_member", "junior_oct"])
def test_values_above_clearance_are_never_drawn_tabulated_or_summarised(
    reader,
    request,
    client_for,
    trained,  # noqa: F811
    hidden_december,
    oct_officer,
):
    user = (
        oct_person("junior", Classification.UNCLASSIFIED) if reader == "junior_oct" else request.getfixturevalue(reader)
    )
    url = reverse("monitoring-indicator", args=[trained.pk])
    cleared = client_for(oct_officer).get(url).content.decode()
    assert {SECRET_TOTAL, SECRET_FEMALE} <= _drawn_figures(cleared)  # the test can see them when allowed
    assert {SECRET_TOTAL, SECRET_FEMALE} <= figures_told(cleared)

    page = client_for(user).get(url).content.decode()
    assert _drawn_figures(page) >= {"120", "70"}
    told = figures_told(page)
    assert {"120", "70"} <= told
    assert SECRET_TOTAL not in told and SECRET_FEMALE not in told  # nor in summaries, titles, desc
    assert "above your clearance are neither drawn nor counted" in page

    framework = client_for(user).get(reverse("monitoring-framework", args=[trained.programme_id])).content.decode()
    assert SECRET_TOTAL not in figures_told(framework) and "120" in _drawn_figures(framework)


def test_the_pdf_chart_is_marked_with_its_sources_highest_classification(trained, hidden_december, end_of_year):  # noqa: F811
    report = ConsolidatedReport.objects.create(period=end_of_year, symbol="OCT/CC/2026/3")
    contents = consolidated_contents(report, today=datetime.date(2027, 1, 20))
    chart = round_progress_chart(contents.indicators)
    assert 'data-actual="777"' in str(chart.svg)
    # The chart draws the rows of the table, whose reports raise the document's marking.
    assert contents.classification == Classification.STRICTLY_CONFIDENTIAL


def test_user_text_is_escaped_inside_the_svg(client_for, programme, oct_officer, roster, chair, report_period):  # noqa: F811
    hostile = make_indicator(
        programme, oct_officer, [roster.group], code="X<b>1", name="<img src=x onerror=alert(1)>", unit='"><script>u'
    )
    accept(wg7_draft(report_period), chair, oct_officer, entries(hostile, 5))
    for url in (
        reverse("monitoring-indicator", args=[hostile.pk]),
        reverse("monitoring-framework", args=[programme.pk]),
    ):
        page = client_for(oct_officer).get(url).content.decode()
        svgs = "".join(re.findall(r"<svg.*?</svg>", page, flags=re.S))
        assert "X&lt;b&gt;1" in svgs or "&quot;&gt;&lt;script&gt;u" in svgs
        assert "<script>u" not in page and "<b>1" not in page and "<img src=x" not in page


def test_only_readers_get_the_charts_and_only_by_get(client_for, trained, hidden_december, outsider, oct_officer):  # noqa: F811
    url = reverse("monitoring-indicator", args=[trained.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(oct_officer).post(url).status_code == 405
    assert client_for(oct_officer).get(reverse("monitoring-indicator", args=[trained.pk + 999])).status_code == 404
