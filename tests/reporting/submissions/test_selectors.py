"""Who sees which submission, and the secretariat's figures for a period, on a known data set."""

from __future__ import annotations

import datetime

import pytest

from reporting.submissions.models import Submission
from reporting.submissions.selectors import Progress, chair_desk, period_dashboard, submissions_visible_to
from reporting.submissions.services import submission_act, submission_save_draft

pytestmark = pytest.mark.django_db


def group_submission(period, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def test_the_dashboard_counts_reporting_and_on_time_rates(report_period, chair, oct_officer, time_machine):
    time_machine.move_to("2026-07-10 15:00Z")
    wg7 = group_submission(report_period, 7)
    submission_act(submission=wg7, action="submit", actor=chair)
    submission_act(submission=wg7, action="accept", actor=oct_officer)
    before_due = period_dashboard(report_period, today=datetime.date(2026, 7, 10))
    assert [(row.group.number, row.progress) for row in before_due.rows] == [(2, Progress.NOT_STARTED), (7, "accepted")]
    after_due = period_dashboard(report_period, today=datetime.date(2026, 7, 16))
    assert [(row.group.number, row.progress, row.late) for row in after_due.rows] == [
        (2, Progress.LATE, True),
        (7, "accepted", False),
    ]
    assert (after_due.expected, after_due.reported, after_due.on_time) == (2, 1, 1)
    assert after_due.reporting_rate == 0.5 and after_due.on_time_rate == 1.0


def test_a_late_submission_counts_as_reported_but_not_on_time(report_period, chair, time_machine):
    time_machine.move_to("2026-07-20 15:00Z")
    submission_act(submission=group_submission(report_period, 7), action="submit", actor=chair)
    figures = period_dashboard(report_period, today=datetime.date(2026, 7, 20))
    assert (figures.reported, figures.on_time, figures.on_time_rate) == (1, 0, 0.0)
    assert {row.group.number: row.progress for row in figures.rows}[7] == Progress.SUBMITTED


def test_a_draft_once_saved_is_no_longer_not_started(report_period, chair):
    wg7 = group_submission(report_period, 7)
    submission_save_draft(
        submission=wg7, actor=chair, base_revision=0, fields={"summary": "x"}, classification="unclassified"
    )
    figures = period_dashboard(report_period, today=datetime.date(2026, 7, 1))
    assert {row.group.number: row.progress for row in figures.rows}[7] == Progress.DRAFT


def test_visibility_by_role_and_clearance(
    report_period, chair, vice_chair, oct_officer, committee_member, focal_point, outsider
):
    wg7, wg2 = group_submission(report_period, 7), group_submission(report_period, 2)
    assert set(submissions_visible_to(chair)) == {wg7}
    assert set(submissions_visible_to(oct_officer)) == {wg7, wg2}
    assert not submissions_visible_to(committee_member).exists()  # drafts are the group's
    assert not submissions_visible_to(focal_point).exists() and not submissions_visible_to(outsider).exists()
    Submission.objects.filter(pk=wg7.pk).update(status="accepted")
    assert set(submissions_visible_to(committee_member)) == {wg7}
    assert set(submissions_visible_to(vice_chair)) == {wg7}
    Submission.objects.filter(pk=wg7.pk).update(classification="strictly-confidential")
    assert not submissions_visible_to(committee_member).exists()  # cleared to confidential only
    assert not submissions_visible_to(chair).exists()  # unclassified clearance
    assert set(submissions_visible_to(oct_officer)) == {wg7, wg2}


def test_the_chairs_desk_puts_returned_reports_first(report_period, briefing_period, chair, oct_officer):
    report = group_submission(report_period, 7)
    submission_act(submission=report, action="submit", actor=chair)
    submission_act(submission=report, action="return", actor=oct_officer, comment="More detail.")
    desk = chair_desk(chair)
    assert desk[0] == report and desk[0].status == "returned"
    assert group_submission(briefing_period, 7) in desk
