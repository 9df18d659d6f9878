"""The indicator charts drawn from the database: the points of the line over the rounds, the
target and baseline lines, the small multiples of the disaggregation (one per category, one
scale), the round's progress chart of the consolidated report, and the pages that show them.

Every figure is read back from the SVG (the marks' ``data-*`` attributes and their geometry)
and compared with the values the working groups reported in accepted reports.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from compact.lib.charts.lines import FULL
from reporting.monitoring.charts import indicator_line_chart, indicator_multiples, round_progress_chart
from reporting.monitoring.selectors import indicator_history, indicator_rows_for_period
from tests.helpers import html_tree, open_period
from tests.reporting.monitoring.test_monitoring import (
    accept,
    entries,
    make_indicator,
    wg7_draft,
)

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


def svg_root(chart) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart.svg))


def points(root) -> list[tuple[str, str, float]]:
    return [
        (mark.get("data-round"), mark.get("data-value"), float(mark.get("cy")))
        for mark in root.iter(f"{SVG}circle")
        if mark.get("class") == "chart-mark"
    ]


def reference_y(root, kind: str) -> float:
    (found,) = [g for g in root.iter(f"{SVG}g") if g.get("data-reference") == kind]
    line = found.find(f"{SVG}line")
    assert line.get("y1") == line.get("y2")  # a horizontal line
    return float(line.get("y1"))


@pytest.fixture
def end_of_year(report_period):
    return open_period(
        "end-of-year",
        (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 31),
    )


@pytest.fixture
def programme(db):
    from reporting.programme.models import ProgrammeOfWork

    return ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme of work 2026–2027")


@pytest.fixture
def trained(programme, oct_officer, roster):
    """Officials trained (sum, by sex, every progress report), 100 → 500, reported in June by
    WG 7 (120, of whom 70 women) and in December by WG 7 (300: 160 women, 130 men) and WG 2 (40)."""
    return make_indicator(programme, oct_officer, [roster.group, roster.other_group])


@pytest.fixture
def wg2_chair(roster):
    from tests.conftest import _person
    from workinggroups.models import RoleAssignment
    from workinggroups.services import role_representative_set

    user = _person("wg2chair", roster.unodc)
    assignment = RoleAssignment.objects.get(working_group=roster.other_group, role="chair")
    role_representative_set(assignment=assignment, person=user, actor=None)
    return user


@pytest.fixture
def two_rounds(trained, chair, oct_officer, report_period, end_of_year, wg2_chair):
    accept(wg7_draft(report_period), chair, oct_officer, entries(trained, 120, female=70))
    accept(
        end_of_year.submissions.get(working_group__number=7),
        chair,
        oct_officer,
        entries(trained, 300, female=160, male=130),
    )
    accept(end_of_year.submissions.get(working_group__number=2), wg2_chair, oct_officer, entries(trained, 40))
    return report_period, end_of_year


def test_the_line_draws_each_rounds_actual_from_the_database(trained, two_rounds, oct_officer):
    with translation.override("en"):
        rounds = indicator_history(trained, oct_officer)
        chart = indicator_line_chart(trained, rounds)
    expected = [(str(r["period"].covers_until.strftime("%B %Y")), r["result"].actual) for r in rounds]
    assert expected == [("June 2026", D(120)), ("December 2026", D(340))]  # 300 + 40 in December
    root = svg_root(chart)
    drawn = points(root)
    assert [(name, value) for name, value, _y in drawn] == [("June 2026", "120"), ("December 2026", "340")]
    assert chart.table.rows == [("June 2026", "120"), ("December 2026", "340")]
    assert "June 2026: 120; December 2026: 340" in chart.summary and "Target 500, baseline 100" in chart.summary


def test_target_and_baseline_lines_sit_on_the_values_scale(trained, two_rounds, oct_officer):
    chart = indicator_line_chart(trained, indicator_history(trained, oct_officer))
    root = svg_root(chart)
    target, baseline = reference_y(root, "target"), reference_y(root, "baseline")
    assert target < baseline  # higher values are drawn higher up
    for _name, value, y in points(root):
        # On one linear scale: the point's height between baseline (100) and target (500).
        assert (baseline - y) / (baseline - target) == pytest.approx((float(value) - 100) / 400, abs=0.01)
    marks = {m.get("data-value"): m.get("data-met") for m in root.iter(f"{SVG}circle")}
    assert marks == {"120": "no", "340": "no"}
    (zone,) = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-zone"]
    assert zone.get("data-direction") == "increase"
    assert float(zone.get("y")) + float(zone.get("height")) == pytest.approx(target, abs=0.01)  # above the target


def test_lower_is_better_shades_below_the_target_and_fills_the_points_that_meet_it(
    programme, oct_officer, roster, chair, report_period
):
    delays = make_indicator(
        programme,
        oct_officer,
        [roster.group],
        code="3.1",
        name="Days to answer a request",
        unit="days",
        baseline=D(60),
        target=D(30),
        direction="decrease",
        disaggregation=[],
    )
    accept(wg7_draft(report_period), chair, oct_officer, entries(delays, 25))
    root = svg_root(indicator_line_chart(delays, indicator_history(delays, oct_officer)))
    target, baseline = reference_y(root, "target"), reference_y(root, "baseline")
    assert baseline < target  # 60 above 30
    (zone,) = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-zone"]
    assert zone.get("data-direction") == "decrease" and float(zone.get("y")) == pytest.approx(target, abs=0.01)
    [(_name, value, y)] = points(root)
    assert value == "25" and y > target  # below the target line: met
    assert next(root.iter(f"{SVG}circle")).get("data-met") == "yes"
    direction = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-direction"]
    assert direction[0].text == "↓ Lower is better"


def test_the_disaggregation_is_one_small_chart_per_category_on_one_scale(trained, two_rounds, oct_officer):
    with translation.override("en"):
        (chart,) = indicator_multiples(trained, indicator_history(trained, oct_officer))
    wrapper = svg_root(chart)
    panels = wrapper.findall(f"{SVG}svg")
    assert [p.find(f"{SVG}title").text for p in panels] == ["Female", "Male", "Other or not known"]
    drawn = {
        p.find(f"{SVG}title").text: [
            (m.get("data-round"), m.get("data-value")) for m in p.iter(f"{SVG}circle") if m.get("class") == "chart-mark"
        ]
        for p in panels
    }
    assert drawn == {
        "Female": [("June 2026", "70"), ("December 2026", "160")],
        "Male": [("December 2026", "130")],  # nothing by sex for men in June: a gap, not a zero
        "Other or not known": [],
    }
    # One scale: every point of every panel lies on the same value → height line.
    heights = [(float(m.get("data-value")), float(m.get("cy"))) for p in panels for m in p.iter(f"{SVG}circle")]
    (v1, y1), (v2, y2) = heights[0], heights[1]
    slope = (y2 - y1) / (v2 - v1)
    for value, y in heights:
        assert y == pytest.approx(y1 + slope * (value - v1), abs=0.01)
    assert wrapper.get("data-scale-max") == "200"
    assert {p.find(f".//{SVG}text[@class='chart-axis-label']").text for p in panels} == {"200"}
    assert chart.table.columns == ("Round", "Female", "Male", "Other or not known")
    assert chart.table.rows == [("June 2026", "70", "—", "—"), ("December 2026", "160", "130", "—")]


def test_the_rounds_progress_chart_matches_the_consolidated_reports_table(trained, two_rounds):
    _june, december = two_rounds
    rows = indicator_rows_for_period(december)
    chart = round_progress_chart(rows)
    root = svg_root(chart)
    (bar,) = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-mark"]
    assert rows[0].result.progress == D(60)  # (340 - 100) / (500 - 100)
    assert bar.get("data-value") == "60" and bar.get("data-actual") == "340"
    refs = {g.get("data-reference"): float(g.get("data-x")) for g in root.iter(f"{SVG}g") if g.get("data-reference")}
    # The bar starts on the baseline line and runs 60 % of the way to the target line.
    assert float(bar.get("x")) == pytest.approx(refs["baseline"], abs=0.01)
    assert float(bar.get("width")) == pytest.approx(0.6 * (refs["target"] - refs["baseline"]), abs=0.01)
    assert chart.table.rows == [(f"1.1 {trained.name}", "100", "500", "340", "60 %")]


def test_right_to_left_mirrors_the_line(trained, two_rounds, oct_officer):
    rounds = indicator_history(trained, oct_officer)
    with translation.override("en"):
        ltr = [float(c.get("cx")) for c in svg_root(indicator_line_chart(trained, rounds)).iter(f"{SVG}circle")]
    with translation.override("ar"):
        root = svg_root(indicator_line_chart(trained, rounds))
        rtl = [float(c.get("cx")) for c in root.iter(f"{SVG}circle")]
    assert root.get("direction") == "rtl"
    assert rtl == pytest.approx([FULL.width - x for x in ltr])
    assert ltr[0] < ltr[1] and rtl[0] > rtl[1]  # time runs from the right in Arabic


def test_the_pages_show_the_charts(client_for, programme, trained, two_rounds, committee_member):
    page = html_tree(client_for(committee_member).get(reverse("monitoring-indicator", args=[trained.pk])))
    figures = page.find_all("figure")
    assert [f.attrs["id"] for f in figures] == [
        f"chart-indicator-{trained.pk}-rounds",
        f"chart-indicator-{trained.pk}-sex-0",
    ]
    framework = client_for(committee_member).get(reverse("monitoring-framework", args=[programme.pk])).content.decode()
    small = html_tree(framework).find_all("svg")
    assert any(s.attrs.get("data-chart") == f"indicator-{trained.pk}-rounds-small" for s in small)
    assert 'data-value="340"' in framework
