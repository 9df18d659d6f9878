"""Actual against target in the compiled reports' PDFs, read back with pypdf: the consolidated
report of a round and the USG's annual report, rendered by the real templates and WeasyPrint."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from compact.core.models import Classification
from reporting.compiled.contents import annual_contents, consolidated_contents
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.monitoring.framework import EnteredValue
from reporting.monitoring.services import indicator_create, indicator_values_save
from reporting.programme.models import ProgrammeOfWork
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.helpers import open_period
from tests.reporting import pdf_fixtures as fx

D = Decimal


def _flat_body(texts: list[str]) -> str:
    return " ".join(fx.flat(text.replace("\u2010\n", "").replace("-\n", "-")) for text in texts[2:])


def _chapter(body: str, heading: str) -> str:
    assert heading in body, body[-2000:]
    return body[body.index(heading) :]


@pytest.fixture
def framework(roster, oct_officer):
    programme = ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme of work 2026–2027")
    groups = [roster.group, roster.other_group]
    common = {"definition": "Counted by the group's entities.", "pillars": ["IV"], "frequency": "mid-year"}
    trained = indicator_create(
        programme=programme,
        actor=oct_officer,
        working_groups=groups,
        code="1.1",
        name="Officials trained in human-rights compliant investigations",
        unit="officials",
        baseline=D(100),
        baseline_year=2025,
        target=D(500),
        aggregation="sum",
        disaggregation=["sex"],
        **common,
    )
    rate = indicator_create(
        programme=programme,
        actor=oct_officer,
        working_groups=groups,
        code="2.4",
        name="Share of activities with a gender analysis",
        unit="%",
        baseline=D(40),
        target=D(80),
        aggregation="average",
        **common,
    )
    return trained, rate


def _report(submission: Submission, chair, officer, values: list[EnteredValue], classification=None) -> Submission:
    """The group's report through the workflow: values entered by its chair, accepted by OCT."""
    indicator_values_save(submission=submission, actor=chair, values=values)
    submission_act(submission=submission, action="submit", actor=chair)
    submission = submission_act(submission=submission, action="accept", actor=officer)
    if classification:
        Submission.objects.filter(pk=submission.pk).update(classification=classification)
    return submission


def _values(trained, rate, total, female, share) -> list[EnteredValue]:
    return [
        EnteredValue(trained.pk, D(total)),
        EnteredValue(trained.pk, D(female), "sex", "female"),
        EnteredValue(rate.pk, D(share)),
    ]


def test_consolidated_report_shows_actual_against_target(framework, report_period, chair, oct_officer):
    trained, rate = framework
    wg7 = report_period.submissions.get(working_group__number=7)
    _report(wg7, chair, oct_officer, _values(trained, rate, 220, 130, 55))
    # WG 2 entered a value but its report is not accepted: it must not count.
    wg2 = report_period.submissions.get(working_group__number=2)
    Submission.objects.filter(pk=wg2.pk).update(status=Submission.Status.SUBMITTED)
    wg2.indicator_values.create(indicator=trained, value=D(9999))
    report = ConsolidatedReport.objects.create(period=report_period, symbol="OCT/CC/2026/2")

    contents = consolidated_contents(report, today=datetime.date(2026, 7, 20))
    assert [row.indicator.code for row in contents.indicators] == ["1.1", "2.4"]
    texts = fx.render_compiled(contents, template="reporting/pdf/consolidated.html").texts

    assert "7. Indicators: actual against target" in fx.flat(texts[1])  # in the contents
    chapter = _chapter(_flat_body(texts), "7. Indicators: actual against target")
    trained_row = chapter[chapter.index("1.1") : chapter.index("2.4")]
    assert "Officials trained in human-rights compliant investigations" in trained_row
    for expected in ("officials", "100 (2025)", "500", "220", "30 %", "WG 2: Financing"):
        assert expected in trained_row, expected
    assert "Reported by 1 group" in trained_row and "WG 7: Human rights 220" in trained_row
    assert "By Sex: Female 130; Male —; Other or not known —; not broken down 90" in trained_row
    assert "9999" not in chapter
    rate_row = chapter[chapter.index("2.4") :]
    assert "55" in rate_row and "37.5 %" in rate_row  # (55 - 40) / (80 - 40)


def test_a_confidential_reports_values_raise_the_marking(framework, report_period, chair, oct_officer):
    trained, rate = framework
    wg7 = report_period.submissions.get(working_group__number=7)
    _report(wg7, chair, oct_officer, _values(trained, rate, 220, 130, 55), Classification.CONFIDENTIAL)
    report = ConsolidatedReport.objects.create(period=report_period, symbol="OCT/CC/2026/2")
    contents = consolidated_contents(report, today=datetime.date(2026, 7, 20))
    assert contents.classification == Classification.CONFIDENTIAL
    assert contents.indicators[0].result.actual == D(220)


def test_a_round_without_indicators_has_no_indicator_chapter(roster, report_period):
    report = ConsolidatedReport.objects.create(period=report_period, symbol="OCT/CC/2026/2")
    contents = consolidated_contents(report, today=datetime.date(2026, 7, 20))
    assert contents.indicators == []
    html = fx.render_compiled(contents, template="reporting/pdf/consolidated.html").html
    assert 'id="indicators"' not in html


def test_annual_report_shows_each_groups_latest_value_of_the_year(
    framework, report_period, chair, oct_officer, usg, roster
):
    trained, rate = framework
    _report(
        report_period.submissions.get(working_group__number=7), chair, oct_officer, _values(trained, rate, 220, 130, 55)
    )
    year_end = open_period(
        "end-of-year",
        (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 15),
    )
    _report(year_end.submissions.get(working_group__number=7), chair, oct_officer, _values(trained, rate, 340, 200, 65))
    report = AnnualReport.objects.create(year=2026, executive_summary="The Compact grew.", observations="")

    contents = annual_contents(report, today=datetime.date(2027, 1, 20))
    texts = fx.render_compiled(contents, template="reporting/pdf/annual.html").texts

    assert "8. Indicators: actual against target" in fx.flat(texts[1])
    chapter = _chapter(_flat_body(texts), "8. Indicators: actual against target")
    trained_row = chapter[chapter.index("1.1") : chapter.index("2.4")]
    assert "340" in trained_row and "60 %" in trained_row  # (340 - 100) / (500 - 100)
    assert "220" not in trained_row  # the mid-year figure was replaced by the end-of-year one
    assert "Female 200" in trained_row
    assert "WG 2: Financing" in trained_row  # never reported
