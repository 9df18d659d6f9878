"""The dashboard's numbers: each group's outcome per round, the rates, the time to acceptance
and the open action points, against the fixture's rows — and what a reader below a
submission's classification is told about it (nothing)."""

from __future__ import annotations

import datetime

import pytest

from reporting.dashboard.selectors import (
    Outcome,
    acceptance_times,
    age_bucket,
    dashboard_rounds,
    dashboard_years,
    open_action_points_by_owner,
    outcome_counts,
    outcome_of,
    reporting_grid,
    round_labels,
    round_rates,
)
from reporting.submissions.models import Submission
from tests.reporting.dashboard.world import TODAY, at

pytestmark = pytest.mark.django_db


def _outcomes(grid) -> dict[tuple[int, str], str]:
    return {(cell.group.number, cell.period.kind): cell.outcome for cell in grid.cells.values()}


def test_oct_sees_every_outcome(rounds, oct_officer):
    grid = reporting_grid(oct_officer, dashboard_rounds(oct_officer), today=TODAY)
    assert [p.pk for p in grid.periods] == [rounds.q1.pk, rounds.mid.pk, rounds.q2.pk]  # by last day covered
    assert _outcomes(grid) == {
        (7, "q1"): Outcome.ON_TIME,
        (2, "q1"): Outcome.LATE,
        (5, "q1"): Outcome.ON_TIME,
        (7, "q2"): Outcome.EXTENDED,
        (2, "q2"): Outcome.MISSING,
        (5, "q2"): Outcome.MISSING,
        (7, "mid-year"): Outcome.RETURNED,
        (2, "mid-year"): Outcome.NOT_YET_DUE,
        (5, "mid-year"): Outcome.NOT_YET_DUE,
    }
    assert not grid.partial


def test_a_reader_below_the_classification_is_told_the_group_did_not_report(rounds, committee_member):
    grid = reporting_grid(committee_member, dashboard_rounds(committee_member), today=TODAY)
    assert _outcomes(grid)[(5, "q1")] == Outcome.MISSING
    assert grid.cells[(rounds.wg5.pk, rounds.q1.pk)].submission is None
    assert grid.partial


def test_rates_count_the_groups_expected(rounds, oct_officer, committee_member):
    oct_rates = {r.period.pk: r for r in round_rates(reporting_grid(oct_officer, [rounds.q1, rounds.q2], today=TODAY))}
    assert (oct_rates[rounds.q1.pk].expected, oct_rates[rounds.q1.pk].reported, oct_rates[rounds.q1.pk].on_time) == (
        3,
        3,
        2,
    )
    assert oct_rates[rounds.q1.pk].on_time_rate == pytest.approx(200 / 3)
    assert (oct_rates[rounds.q2.pk].reported, oct_rates[rounds.q2.pk].on_time) == (1, 1)
    member = round_rates(reporting_grid(committee_member, [rounds.q1], today=TODAY))[0]
    assert (member.expected, member.reported, member.on_time) == (3, 2, 1)


def test_outcome_counts_cover_every_outcome(rounds, oct_officer):
    grid = reporting_grid(oct_officer, [rounds.mid], today=TODAY)
    assert outcome_counts(grid, rounds.mid) == {
        Outcome.ON_TIME: 0,
        Outcome.EXTENDED: 0,
        Outcome.LATE: 0,
        Outcome.RETURNED: 1,
        Outcome.MISSING: 0,
        Outcome.NOT_YET_DUE: 2,
    }


def test_time_to_acceptance_is_measured_from_the_first_submission(rounds, oct_officer, committee_member):
    times = {t.period.pk: t for t in acceptance_times(reporting_grid(oct_officer, [rounds.q1, rounds.q2], today=TODAY))}
    assert times[rounds.q1.pk].days == [1.0, 3.0, 5.0]
    assert (times[rounds.q1.pk].median, times[rounds.q1.pk].shortest, times[rounds.q1.pk].longest) == (3.0, 1.0, 5.0)
    assert times[rounds.q2.pk].days == [] and times[rounds.q2.pk].median is None
    member = acceptance_times(reporting_grid(committee_member, [rounds.q1], today=TODAY))[0]
    assert member.days == [1.0, 5.0]  # WG 5's strictly confidential input is not counted


def test_a_reopened_report_counts_until_its_latest_acceptance(rounds, oct_officer):
    first = rounds.submission(rounds.q1, rounds.wg7)
    first.steps.create(action="accept", from_status="resubmitted", to_status="accepted", created_at=at(TODAY))
    times = acceptance_times(reporting_grid(oct_officer, [rounds.q1], today=TODAY))[0]
    assert max(times.days) == pytest.approx((at(TODAY) - first.submitted_at).total_seconds() / 86400, abs=0.05)


@pytest.mark.parametrize(
    ("submitted", "on_time", "extended", "status", "today", "expected"),
    [
        (None, None, None, "draft", datetime.date(2026, 4, 10), Outcome.NOT_YET_DUE),
        (None, None, None, "draft", datetime.date(2026, 4, 11), Outcome.MISSING),
        (None, None, datetime.date(2026, 4, 20), "draft", datetime.date(2026, 4, 15), Outcome.NOT_YET_DUE),
        (datetime.date(2026, 4, 10), True, None, "submitted", TODAY, Outcome.ON_TIME),
        (datetime.date(2026, 4, 12), True, datetime.date(2026, 4, 20), "accepted", TODAY, Outcome.EXTENDED),
        (datetime.date(2026, 4, 11), False, None, "accepted", TODAY, Outcome.LATE),
        (datetime.date(2026, 4, 1), True, None, "returned", TODAY, Outcome.RETURNED),
    ],
)
def test_the_outcome_rule(rounds, submitted, on_time, extended, status, today, expected):
    submission = Submission(
        period=rounds.q1,
        working_group=rounds.wg7,
        status=status,
        submitted_at=at(submitted) if submitted else None,
        on_time=on_time,
        extended_until=extended,
    )
    assert outcome_of(submission, rounds.q1, today) == expected


def test_the_due_day_ends_in_the_period_time_zone(rounds):
    # Submitted at 23:30 on the due day in New York: 03:30 UTC the next day, still on time.
    rounds.q1.time_zone = "America/New_York"
    late_evening = datetime.datetime(2026, 4, 11, 3, 30, tzinfo=datetime.UTC)
    submission = Submission(
        period=rounds.q1, working_group=rounds.wg7, status="submitted", submitted_at=late_evening, on_time=True
    )
    assert outcome_of(submission, rounds.q1, TODAY) == Outcome.ON_TIME


def test_rounds_and_years(rounds, oct_officer, outsider):
    assert dashboard_years(oct_officer) == [2026]
    assert [p.pk for p in dashboard_rounds(oct_officer, year=2025)] == []
    assert {p.pk for p in dashboard_rounds(oct_officer, year=2026)} == {rounds.q1.pk, rounds.q2.pk, rounds.mid.pk}
    assert dashboard_rounds(outsider) == [] and dashboard_years(outsider) == []
    labels = round_labels([rounds.q1, rounds.q2, rounds.mid])
    assert labels[rounds.q1.pk] == "Q1 2026" and labels[rounds.mid.pk] == "Mid-year 2026"


def test_open_action_points_by_owner_and_age(rounds, committee_member, focal_point):
    owners = open_action_points_by_owner(committee_member, today=TODAY)
    assert [(o.owner, o.counts) for o in owners] == [("WG 7: Human rights", (1, 1, 0)), ("UNESCO", (0, 0, 1))]
    assert open_action_points_by_owner(focal_point, today=TODAY) == []


@pytest.mark.parametrize(("days", "bucket"), [(0, 0), (29, 0), (30, 1), (90, 1), (91, 2), (400, 2)])
def test_age_buckets(days, bucket):
    assert age_bucket(days) == bucket
