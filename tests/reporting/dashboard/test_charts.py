"""The dashboard's charts drawn from the database: every cell's category, every column's and
segment's value, read back from the SVG and compared with the rows of the fixture."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from reporting.dashboard.charts import (
    acceptance_chart,
    action_points_chart,
    outcomes_chart,
    rates_chart,
    round_status_chart,
)
from reporting.dashboard.selectors import (
    acceptance_times,
    dashboard_rounds,
    open_action_points_by_owner,
    reporting_grid,
    round_rates,
)
from reporting.submissions.models import Submission
from tests.reporting.dashboard.world import TODAY

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _marks(chart) -> list[ElementTree.Element]:
    return ElementTree.fromstring(str(chart.svg)).findall(f".//{SVG}rect[@class='chart-mark']")


def _links(chart) -> dict[tuple[str, str], str]:
    root = ElementTree.fromstring(str(chart.svg))
    found = {}
    for link in root.iter(f"{SVG}a"):
        mark = link.find(f".//{SVG}rect[@class='chart-mark']")
        found[(mark.get("data-row"), mark.get("data-column"))] = link.get("href")
    return found


def _grid(user):
    return reporting_grid(user, dashboard_rounds(user), today=TODAY)


def test_the_heatmap_draws_each_group_and_round_as_the_database_says(rounds, oct_officer):
    chart = outcomes_chart(_grid(oct_officer))
    drawn = {(m.get("data-row"), m.get("data-column")): m.get("data-category") for m in _marks(chart)}
    expected = {}
    for submission in Submission.objects.select_related("working_group", "period"):
        row, column = str(submission.working_group), _label(submission.period)
        if submission.status == "returned":
            expected[(row, column)] = "returned"
        elif submission.submitted_at is None:
            expected[(row, column)] = "not-yet-due" if submission.due_on >= TODAY else "missing"
        elif not submission.on_time:
            expected[(row, column)] = "late"
        else:
            expected[(row, column)] = "extended" if submission.extended_until else "on-time"
    assert drawn == expected and len(drawn) == 9
    # Every category present is in the legend with its letter, and the table says the same.
    assert {entry.mark for entry in chart.legend} == {"✓", "+", "!", "↺", "✗", "…"}
    table = {row[0]: row[1:] for row in chart.table.rows}
    assert table["WG 7: Human rights"] == (
        "Submitted on time",
        "Returned for revision",
        "Submitted within an extension",
    )


def _label(period) -> str:
    return {"q1": "Q1 2026", "q2": "Q2 2026", "mid-year": "Mid-year 2026"}[period.kind]


def test_heatmap_cells_link_only_to_what_the_reader_may_open(rounds, oct_officer, committee_member):
    everyone = _links(outcomes_chart(_grid(oct_officer)))
    secret_url = reverse("reporting-submission", args=[rounds.secret.pk])
    assert everyone[("WG 5: Prevention", "Q1 2026")] == secret_url
    assert len(everyone) == Submission.objects.count() == 9  # OCT opens every input, drafts too
    member = _links(outcomes_chart(_grid(committee_member)))
    # The Committee reads accepted inputs within its clearance: Q1's WG 7 and WG 2.
    assert set(member) == {("WG 7: Human rights", "Q1 2026"), ("WG 2: Financing", "Q1 2026")}
    assert secret_url not in str(outcomes_chart(_grid(committee_member)).svg)


def test_the_rates_chart_draws_the_rates_per_round(rounds, oct_officer):
    grid = _grid(oct_officer)
    chart = rates_chart(round_rates(grid), grid)
    drawn = {(m.get("data-label"), m.get("data-category")): m.get("data-value") for m in _marks(chart)}
    assert drawn == {
        ("Q1 2026", "●"): "100",
        ("Q1 2026", "✓"): "67",
        ("Mid-year 2026", "●"): "33",
        ("Mid-year 2026", "✓"): "33",
        ("Q2 2026", "●"): "33",
        ("Q2 2026", "✓"): "33",
    }
    heights = {(m.get("data-label"), m.get("data-category")): float(m.get("height")) for m in _marks(chart)}
    assert heights[("Q1 2026", "●")] == pytest.approx(3 * heights[("Q2 2026", "●")], rel=0.02)
    assert chart.table.rows[0] == ("Q1 2026", "100%", "67%")


def test_the_acceptance_chart_draws_median_and_range(rounds, oct_officer):
    grid = _grid(oct_officer)
    chart = acceptance_chart(acceptance_times(grid), grid)
    marks = {m.get("data-label"): m for m in _marks(chart)}
    assert set(marks) == {"Q1 2026"}  # the only round with accepted inputs
    q1 = marks["Q1 2026"]
    assert (q1.get("data-value"), q1.get("data-low"), q1.get("data-high"), q1.get("data-count")) == ("3", "1", "5", "3")
    assert ("Q2 2026", "—", "—", "—", "0") in chart.table.rows


def test_the_action_points_chart_stacks_ages_by_owner(rounds, committee_member):
    chart = action_points_chart(open_action_points_by_owner(committee_member, today=TODAY))
    drawn = {(m.get("data-label"), m.get("data-category")): m.get("data-value") for m in _marks(chart)}
    assert drawn == {
        ("WG 7: Human rights", "recent"): "1",
        ("WG 7: Human rights", "weeks"): "1",
        ("UNESCO", "old"): "1",
    }
    widths = {key: float(m.get("width")) for key, m in zip(drawn, _marks(chart), strict=True)}
    assert len({round(w, 2) for w in widths.values()}) == 1  # one point, one length
    assert chart.table.rows == [("WG 7: Human rights", "1", "1", "0", "2"), ("UNESCO", "0", "0", "1", "1")]


def test_the_round_status_chart_counts_that_rounds_outcomes(rounds, usg):
    chart = round_status_chart(_grid(usg), rounds.q2)
    drawn = {m.get("data-category"): m.get("data-value") for m in _marks(chart)}
    assert drawn == {"extended": "1", "missing": "2"}
    assert chart.table.rows == [
        ("Submitted on time", "0"),
        ("Submitted within an extension", "1"),
        ("Submitted late", "0"),
        ("Returned for revision", "0"),
        ("Missing", "2"),
        ("Not yet due", "0"),
        ("Expected", "3"),
    ]
    assert not ElementTree.fromstring(str(chart.svg)).findall(f".//{SVG}a")  # no links in a PDF
