"""The reporting calendar, the scheduler's tick and extensions, one rule at a time.

(The whole simulated year is in test_scheduler_year.py; concurrency on PostgreSQL in
test_scheduler_concurrency.py.)"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from compact.accounts.services import user_language_set
from compact.core.models import AuditEvent, Classification, OutboundEmail
from compact.lib.workflow import TransitionNotAllowedError
from compact.registry.services import person_create
from reporting.calendar.models import CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.calendar.scheduler import TickReport, scheduler_tick
from reporting.calendar.services import (
    calendar_rule_update,
    calendar_upcoming,
    extension_act,
    extension_request_create,
    rule_plan,
    scheduler_day,
)
from reporting.calendar.workflow import EXTENSION_TRANSITIONS
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_create
from reporting.submissions.services import submission_act, submission_save_draft
from reporting.tasks import scheduler_tick_task
from tests.factories import WorkingGroupFactory
from tests.helpers import calendar_only, open_period

D = datetime.date
pytestmark = pytest.mark.django_db


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def rule(kind: str) -> CalendarRule:
    return CalendarRule.objects.get(kind=kind)


# --- The calendar ---------------------------------------------------------------------------------


def test_the_default_calendar_has_a_rule_for_every_kind_of_period():
    assert set(CalendarRule.objects.values_list("kind", flat=True)) == set(ReportingPeriod.Kind.values)
    plan = rule_plan(rule("end-of-year"), 2026)
    assert (plan.covers_from, plan.covers_until) == (D(2026, 1, 1), D(2026, 12, 31))
    assert (plan.opens_on, plan.due_on, plan.closes_on) == (D(2026, 12, 1), D(2027, 1, 31), D(2027, 3, 2))
    assert plan.reminders_on == (D(2027, 1, 17), D(2027, 1, 24), D(2027, 1, 30))
    assert plan.escalations_on == (D(2027, 2, 1), D(2027, 2, 7))
    mid_year = rule_plan(rule("mid-year"), 2027)
    assert (mid_year.opens_on, mid_year.due_on) == (D(2027, 5, 31), D(2027, 7, 15))


def test_the_scheduler_day_starts_in_the_morning_in_new_york():
    # 06:59 in New York on 1 June is still 31 May for the scheduler; 07:00 is 1 June.
    assert scheduler_day(utc(2027, 6, 1, 10, 59), "America/New_York") == D(2027, 5, 31)
    assert scheduler_day(utc(2027, 6, 1, 11, 0), "America/New_York") == D(2027, 6, 1)
    assert scheduler_day(utc(2027, 6, 1, 5, 0), "Asia/Tokyo") == D(2027, 6, 1)


def test_the_upcoming_schedule_lists_the_periods_not_closed_yet_soonest_first():
    upcoming = calendar_upcoming(now=utc(2027, 6, 20, 15))
    assert [(p.kind, p.due_on) for p in upcoming[:4]] == [
        ("mid-year", D(2027, 7, 15)),
        ("q2", D(2027, 7, 15)),
        ("q3", D(2027, 10, 15)),
        ("q4", D(2028, 1, 15)),
    ]
    assert all(p.closes_on >= D(2027, 6, 20) for p in upcoming)


def test_oct_edits_the_calendar_and_the_change_is_audited(oct_officer):
    calendar_rule_update(
        rule=rule("mid-year"),
        actor=oct_officer,
        changes={"due_month": 7, "due_day": 31, "reminder_days": [3, 21, 10], "time_zone": "Europe/Vienna"},
    )
    changed = rule("mid-year")
    assert (changed.due_day, changed.reminder_days, changed.time_zone) == (31, [21, 10, 3], "Europe/Vienna")
    assert changed.updated_by == oct_officer
    event = AuditEvent.objects.get(verb="reporting.calendar_changed")
    assert event.before == {"due_day": 15, "reminder_days": [14, 7, 1], "time_zone": "America/New_York"}
    assert event.after == {"due_day": 31, "reminder_days": [21, 10, 3], "time_zone": "Europe/Vienna"}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"due_month": 2, "due_day": 30}, "due_day"),
        ({"due_month": 2, "due_day": 29}, "due_day"),
        ({"due_month": 13}, "due_month"),
        ({"reminder_days": [7, 7]}, "reminder_days"),
        ({"reminder_days": [-1]}, "reminder_days"),
        ({"escalation_days": ["7"]}, "escalation_days"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"opens_days_before_due": 0}, "opens_days_before_due"),
        # The mid-year report covers January–June: it cannot be due on 1 January.
        ({"due_month": 1, "due_day": 1}, "due_month"),
    ],
)
def test_a_calendar_that_cannot_work_is_refused_and_nothing_changes(oct_officer, changes, field):
    before = CalendarRule.objects.filter(kind="mid-year").values().get()
    with pytest.raises(ValidationError) as error:
        calendar_rule_update(rule=rule("mid-year"), actor=oct_officer, changes=changes)
    assert field in error.value.message_dict
    assert CalendarRule.objects.filter(kind="mid-year").values().get() == before
    assert not AuditEvent.objects.filter(verb="reporting.calendar_changed").exists()


def test_only_oct_edits_the_calendar(chair, committee_member):
    for person in (chair, committee_member):
        with pytest.raises(PermissionDenied):
            calendar_rule_update(rule=rule("q1"), actor=person, changes={"due_day": 20})


# --- The tick, step by step ----------------------------------------------------------------------


def test_a_period_opens_on_its_day_with_drafts_and_a_notice_to_the_leaders(roster, chair, vice_chair, time_machine):
    time_machine.move_to(utc(2027, 5, 30, 15), tick=False)
    assert scheduler_tick().periods_opened == 0
    time_machine.move_to(utc(2027, 5, 31, 15), tick=False)
    report = scheduler_tick()
    assert (report.periods_created, report.periods_opened, report.drafts_created) == (1, 1, 2)
    period = ReportingPeriod.objects.get()
    assert (period.kind, period.state, period.due_on, period.closes_on) == (
        "mid-year",
        "open",
        D(2027, 7, 15),
        D(2027, 8, 14),
    )
    assert period.submissions.count() == 2
    notice = OutboundEmail.objects.filter(occasion__endswith=":opened")
    assert sorted(notice.values_list("recipient", flat=True)) == ["chair@example.org", "vicechair@example.org"]
    assert "due on 15 July 2027" in notice.first().body_text
    assert scheduler_tick() == TickReport()


def test_a_period_oct_scheduled_by_hand_opens_on_its_day_and_is_not_duplicated(roster, oct_officer, time_machine):
    period = period_create(
        kind="mid-year",
        covers_from=D(2027, 1, 1),
        covers_until=D(2027, 6, 30),
        opens_on=D(2027, 6, 10),
        due_on=D(2027, 7, 20),
        actor=oct_officer,
    )
    time_machine.move_to(utc(2027, 6, 1, 15), tick=False)
    scheduler_tick()
    assert ReportingPeriod.objects.get().state == "scheduled"  # OCT's dates stand
    time_machine.move_to(utc(2027, 6, 10, 15), tick=False)
    assert scheduler_tick().periods_opened == 1
    period.refresh_from_db()
    assert (period.state, period.due_on, ReportingPeriod.objects.count()) == ("open", D(2027, 7, 20), 1)


def test_a_rule_switched_off_opens_nothing(roster, oct_officer, time_machine):
    for kind in ReportingPeriod.Kind.values:
        calendar_rule_update(rule=rule(kind), actor=oct_officer, changes={"active": False})
    time_machine.move_to(utc(2027, 6, 20, 15), tick=False)
    assert scheduler_tick() == TickReport()
    assert not ReportingPeriod.objects.exists()


def test_a_new_installation_does_not_fill_in_past_periods(roster, time_machine):
    time_machine.move_to(utc(2027, 9, 1, 15), tick=False)
    scheduler_tick()
    # Only the mid-year/Q2 rounds are still inside their window (they close on 14 August: no).
    assert not ReportingPeriod.objects.exists()


def test_a_group_established_while_a_period_is_open_gets_its_draft(roster, report_period, time_machine):
    calendar_only()  # only the fixture's period is open
    time_machine.move_to(utc(2026, 7, 1, 15), tick=False)
    newcomer = WorkingGroupFactory(number=12, name="Newly established", short_name="New")
    report = scheduler_tick()
    assert report.drafts_created == 1
    assert Submission.objects.filter(period=report_period, working_group=newcomer, status="draft").exists()
    assert scheduler_tick().drafts_created == 0


def draft_of(period: ReportingPeriod, group) -> Submission:
    return Submission.objects.get(period=period, working_group=group)


def test_reminders_go_out_once_each_and_only_the_latest_after_an_outage(
    roster, report_period, chair, vice_chair, time_machine
):
    draft = draft_of(report_period, roster.group)  # due 15 July 2026; reminders 1, 8 and 14 July
    time_machine.move_to(utc(2026, 6, 30, 15), tick=False)
    assert scheduler_tick().reminders == 0
    time_machine.move_to(utc(2026, 7, 1, 15), tick=False)
    assert scheduler_tick().reminders >= 1
    assert SchedulerEvent.objects.filter(submission=draft, kind="reminder").count() == 1
    # The scheduler was down from 2 to 14 July: one reminder (the 1-day one), not two.
    time_machine.move_to(utc(2026, 7, 14, 15), tick=False)
    scheduler_tick()
    keys = sorted(SchedulerEvent.objects.filter(submission=draft, kind="reminder").values_list("key", flat=True))
    assert keys == [f"reminder:{draft.pk}:2026-07-15:1", f"reminder:{draft.pk}:2026-07-15:14"]
    mail = OutboundEmail.objects.filter(occasion=f"reminder:{draft.pk}:2026-07-15:1")
    assert sorted(mail.values_list("recipient", flat=True)) == ["chair@example.org", "vicechair@example.org"]
    assert "due in 1 day, on 15 July 2026" in mail.first().body_text


def test_escalations_go_to_the_leaders_and_oct_and_stop_once_submitted(roster, report_period, chair, time_machine):
    draft = draft_of(report_period, roster.group)
    time_machine.move_to(utc(2026, 7, 16, 15), tick=False)
    scheduler_tick()
    escalation = OutboundEmail.objects.filter(occasion=f"escalation:{draft.pk}:2026-07-15:1")
    assert sorted(escalation.values_list("recipient", flat=True)) == ["chair@example.org", "oct-secretariat@localhost"]
    assert "1 day late" in escalation.first().body_text
    submission_act(submission=draft, action="submit", actor=chair)
    time_machine.move_to(utc(2026, 7, 23, 15), tick=False)
    scheduler_tick()
    assert not SchedulerEvent.objects.filter(submission=draft, key__endswith=":7", kind="escalation").exists()


def test_a_group_with_no_leader_to_remind_is_reported_to_oct(roster, report_period, time_machine):
    draft = draft_of(report_period, roster.other_group)  # WG 2's chair seat has no person
    time_machine.move_to(utc(2026, 7, 1, 15), tick=False)
    scheduler_tick()
    event = SchedulerEvent.objects.get(submission=draft, kind="reminder")
    assert event.recipients == ["oct-secretariat@localhost"]
    assert "no chair or vice-chair" in event.detail


def test_a_leader_whose_clearance_does_not_reach_the_draft_is_not_reminded(
    roster, report_period, chair, vice_chair, time_machine
):
    draft = draft_of(report_period, roster.group)
    Submission.objects.filter(pk=draft.pk).update(classification=Classification.CONFIDENTIAL)
    vice_chair.profile.clearance = Classification.CONFIDENTIAL
    vice_chair.profile.save()
    time_machine.move_to(utc(2026, 7, 1, 15), tick=False)
    scheduler_tick()
    assert SchedulerEvent.objects.get(submission=draft, kind="reminder").recipients == ["vicechair@example.org"]


def test_a_round_closes_early_once_every_input_is_accepted_and_due(
    roster, briefing_period, chair, oct_officer, time_machine
):
    time_machine.move_to(utc(2026, 10, 1, 15), tick=False)
    wg2_chair = person_create(
        username="wg2", email="wg2@example.org", first_name="W", last_name="C", entity=roster.unodc, actor=None
    )
    from workinggroups.models import RoleAssignment
    from workinggroups.services import role_representative_set

    role_representative_set(
        assignment=RoleAssignment.objects.get(working_group=roster.other_group), person=wg2_chair, actor=None
    )
    for group, leader in ((roster.group, chair), (roster.other_group, wg2_chair)):
        draft = draft_of(briefing_period, group)
        submission_act(submission=draft, action="submit", actor=leader)
        submission_act(submission=draft, action="accept", actor=oct_officer)
    assert scheduler_tick().periods_closed == 0  # not due yet (10 October)
    time_machine.move_to(utc(2026, 10, 11, 15), tick=False)
    report = scheduler_tick()
    assert report.periods_closed == 1 and report.reports_started == 1
    assert SchedulerEvent.objects.get(kind="period-closed").detail == "Every input accepted."


def test_a_tick_with_nothing_to_do_is_cheap(roster, report_period, time_machine):
    time_machine.move_to(utc(2026, 6, 20, 15), tick=False)
    scheduler_tick()
    with CaptureQueriesContext(connection) as first:
        scheduler_tick()
    for year in range(2030, 2040):  # many closed rounds do not make a tick dearer
        p = period_create(
            kind="q1",
            covers_from=D(year, 1, 1),
            covers_until=D(year, 3, 31),
            opens_on=D(year, 4, 1),
            due_on=D(year, 4, 15),
            actor=None,
        )
        ReportingPeriod.objects.filter(pk=p.pk).update(state="closed")
    with CaptureQueriesContext(connection) as second:
        scheduler_tick()
    assert len(second) == len(first) <= 20


def test_the_tick_task_is_thin_idempotent_and_time_limited():
    assert scheduler_tick_task.acks_late is True
    assert scheduler_tick_task.soft_time_limit < scheduler_tick_task.time_limit
    assert scheduler_tick_task.max_retries == 5


# --- Carrying open issues over ------------------------------------------------------------------


def test_a_new_briefing_starts_from_the_last_briefings_open_issues_and_keeps_its_marking(
    roster, briefing_period, chair, vice_chair, oct_officer
):
    draft = draft_of(briefing_period, roster.group)
    submission_save_draft(
        submission=draft,
        actor=chair,
        base_revision=draft.revision,
        fields={"issues_of_concern": "Funding for the regional workshops is uncertain."},
        classification=Classification.UNCLASSIFIED,
    )
    submission_act(submission=draft, action="submit", actor=chair)
    q4 = open_period("q4", (D(2026, 10, 1), D(2026, 12, 31)), D(2026, 12, 16), D(2027, 1, 15))
    new = draft_of(q4, roster.group)
    assert new.issues_of_concern == "Funding for the regional workshops is uncertain."
    assert new.carried_over_from == draft
    # WG 2 never submitted its Q3 briefing: nothing to carry.
    assert draft_of(q4, roster.other_group).carried_over_from is None


# --- Extensions -------------------------------------------------------------------------------------


@pytest.fixture
def draft(roster, report_period, time_machine):
    time_machine.move_to(utc(2026, 7, 10, 15), tick=False)
    return draft_of(report_period, roster.group)


def test_an_approved_extension_moves_the_due_date_reminders_and_on_time(draft, chair, oct_officer, time_machine):
    request = extension_request_create(submission=draft, actor=chair, until=D(2026, 7, 31), reason="Meeting moved")
    assert (
        OutboundEmail.objects.get(occasion=f"extension:{request.pk}:requested").recipient == "oct-secretariat@localhost"
    )
    extension_act(request=request, action="approve", actor=oct_officer, until=D(2026, 7, 25), comment="Until the 25th")
    draft.refresh_from_db()
    assert (draft.extended_until, draft.due_on) == (D(2026, 7, 25), D(2026, 7, 25))
    request.refresh_from_db()
    assert (request.status, request.granted_until, request.decided_by) == ("approved", D(2026, 7, 25), oct_officer)
    assert AuditEvent.objects.filter(verb="reporting.extension_approve", object_id=str(draft.pk)).exists()
    time_machine.move_to(utc(2026, 7, 20, 15), tick=False)
    scheduler_tick()
    assert SchedulerEvent.objects.filter(key=f"reminder:{draft.pk}:2026-07-25:7").exists()
    time_machine.move_to(utc(2026, 7, 25, 20), tick=False)
    submission_act(submission=draft, action="submit", actor=chair)
    draft.refresh_from_db()
    assert draft.on_time is True


@pytest.mark.parametrize(
    "until, message",
    [
        (D(2026, 7, 15), "after the current due date"),
        (D(2026, 7, 1), "after the current due date"),
        (D(2026, 12, 31), None),  # past no closing day: the fixture's period has none
    ],
)
def test_an_extension_must_ask_for_a_later_day(draft, chair, until, message):
    if message is None:
        assert extension_request_create(submission=draft, actor=chair, until=until, reason="r").pk
        return
    with pytest.raises(ValidationError, match=message):
        extension_request_create(submission=draft, actor=chair, until=until, reason="r")
    assert not ExtensionRequest.objects.exists()


def test_an_extension_cannot_outlast_the_period(draft, chair):
    ReportingPeriod.objects.filter(pk=draft.period_id).update(closes_on=D(2026, 8, 14))
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="closes on 14 August 2026"):
        extension_request_create(submission=draft, actor=chair, until=D(2026, 8, 15), reason="r")


def test_an_extension_needs_a_reason_a_leader_a_draft_and_no_other_pending_request(
    draft, chair, vice_chair, focal_point, oct_officer
):
    with pytest.raises(ValidationError, match="why"):
        extension_request_create(submission=draft, actor=chair, until=D(2026, 7, 20), reason="  ")
    for person in (focal_point, oct_officer):
        with pytest.raises(PermissionDenied):
            extension_request_create(submission=draft, actor=person, until=D(2026, 7, 20), reason="r")
    extension_request_create(submission=draft, actor=chair, until=D(2026, 7, 20), reason="r")
    with pytest.raises(ValidationError, match="already waiting"):
        extension_request_create(submission=draft, actor=vice_chair, until=D(2026, 7, 22), reason="r")
    submission_act(submission=draft, action="submit", actor=chair)
    request = ExtensionRequest.objects.get()
    with pytest.raises(ValidationError, match="already submitted"):
        extension_act(request=request, action="approve", actor=oct_officer)
    assert ExtensionRequest.objects.get().status == "requested"


def test_a_decline_needs_a_reason_and_keeps_the_due_date(draft, chair, oct_officer):
    request = extension_request_create(submission=draft, actor=chair, until=D(2026, 7, 20), reason="r")
    with pytest.raises(ValidationError):
        extension_act(request=request, action="decline", actor=oct_officer)
    extension_act(request=request, action="decline", actor=oct_officer, comment="The Committee meets on the 16th.")
    draft.refresh_from_db()
    assert draft.due_on == D(2026, 7, 15)
    mail = OutboundEmail.objects.get(occasion=f"extension:{request.pk}:declined")
    assert mail.recipient == "chair@example.org" and "The Committee meets on the 16th." in mail.body_text


PARTIES = {"oct": "oct_officer", "chair": "chair"}


@pytest.mark.parametrize(
    "status, action", list(itertools.product(ExtensionRequest.Status.values, EXTENSION_TRANSITIONS.actions()))
)
def test_every_extension_move_from_every_state(request, draft, chair, oct_officer, status, action):
    """The table is the whole truth: each action works from exactly the states it lists, for
    exactly the party it names."""
    ext = extension_request_create(submission=draft, actor=chair, until=D(2026, 7, 20), reason="r")
    ExtensionRequest.objects.filter(pk=ext.pk).update(status=status)
    ext.refresh_from_db()
    transition = EXTENSION_TRANSITIONS.get(action)
    allowed = status in transition.sources
    actor = request.getfixturevalue(PARTIES[transition.by])
    other = request.getfixturevalue(PARTIES["chair" if transition.by == "oct" else "oct"])
    with pytest.raises((PermissionDenied, TransitionNotAllowedError)):
        extension_act(request=ext, action=action, actor=other, comment="c")
    if allowed:
        extension_act(request=ext, action=action, actor=actor, comment="c")
        ext.refresh_from_db()
        assert ext.status == transition.target
    else:
        with pytest.raises(TransitionNotAllowedError):
            extension_act(request=ext, action=action, actor=actor, comment="c")
        assert ExtensionRequest.objects.get(pk=ext.pk).status == status


def test_the_system_page_trusts_the_scheduler_for_three_of_its_ticks(time_machine):
    from compact.core.selectors import heartbeats_with_freshness

    time_machine.move_to(utc(2027, 3, 1, 15), tick=False)
    scheduler_tick()
    time_machine.move_to(utc(2027, 3, 1, 15, 14), tick=False)
    assert {h["name"]: h["fresh"] for h in heartbeats_with_freshness()} == {"scheduler": True}
    time_machine.move_to(utc(2027, 3, 1, 15, 16), tick=False)
    assert {h["name"]: h["fresh"] for h in heartbeats_with_freshness()} == {"scheduler": False}


def test_the_api_shows_a_groups_extended_due_date_and_a_periods_closing_day(draft, chair, oct_officer, api_for):
    request = extension_request_create(submission=draft, actor=chair, until=D(2026, 7, 31), reason="r")
    extension_act(request=request, action="approve", actor=oct_officer)
    body = api_for(chair).get(f"/api/v1/submissions/{draft.pk}/").json()
    assert (body["due_on"], body["extended_until"], body["period"]["due_on"]) == (
        "2026-07-31",
        "2026-07-31",
        "2026-07-15",
    )
    created = api_for(oct_officer).post(
        "/api/v1/reporting-periods/",
        {
            "kind": "q3",
            "covers_from": "2026-07-01",
            "covers_until": "2026-09-30",
            "opens_on": "2026-09-15",
            "due_on": "2026-10-15",
            "closes_on": "2026-10-01",
        },
        format="json",
    )
    assert created.status_code == 400 and "closes_on" in created.json()


def test_a_calendar_lost_from_the_database_comes_back_with_the_defaults(roster, time_machine):
    CalendarRule.objects.all().delete()
    time_machine.move_to(utc(2027, 5, 31, 15), tick=False)
    assert scheduler_tick().periods_opened == 1
    assert CalendarRule.objects.count() == 6
    assert rule_plan(rule("end-of-year"), 2026).due_on == D(2027, 1, 31)


def test_a_period_oct_reopened_closes_again_after_its_new_closing_day(roster, report_period, oct_officer, time_machine):
    """The tick closes a period once per closing: once OCT reopens it, the tick closes it again
    after the new closing day (and only once)."""
    from reporting.submissions.periods.services import period_reopen

    ReportingPeriod.objects.filter(pk=report_period.pk).update(closes_on=D(2026, 8, 14))
    time_machine.move_to(utc(2026, 8, 15, 15), tick=False)
    assert scheduler_tick().periods_closed == 1
    report_period.refresh_from_db()
    assert report_period.state == "closed"
    period_reopen(period=report_period, actor=oct_officer, closes_on=D(2026, 8, 31), reason="Late data from the field.")
    time_machine.move_to(utc(2026, 8, 31, 15), tick=False)
    assert scheduler_tick().periods_closed == 0  # its closing day: still open
    time_machine.move_to(utc(2026, 9, 1, 15), tick=False)
    assert scheduler_tick().periods_closed == 1
    report_period.refresh_from_db()
    assert report_period.state == "closed"
    assert SchedulerEvent.objects.filter(kind="period-closed", period=report_period).count() == 2
    assert scheduler_tick().periods_closed == 0


def test_reminders_name_the_group_and_period_in_each_recipients_language(
    roster, report_period, chair, vice_chair, time_machine
):
    """The names a tick's reminders quote are worked out once per language, and each recipient
    still reads them in theirs, within one chunk."""
    user_language_set(user=chair, language="fr")
    calendar_only()  # only the fixture's period is due
    drafts = [draft_of(report_period, roster.group), draft_of(report_period, roster.other_group)]
    time_machine.move_to(utc(2026, 7, 1, 15), tick=False)
    assert scheduler_tick().reminders == 2
    emails = {e.recipient: e for e in OutboundEmail.objects.filter(occasion__startswith=f"reminder:{drafts[0].pk}:")}
    names = {}
    for language in ("fr", "en"):
        with translation.override(language):
            names[language] = (str(roster.group), str(report_period))
    assert names["fr"] != names["en"]
    for recipient, language in ((chair.email, "fr"), (vice_chair.email, "en")):
        group, period = names[language]
        assert " ".join(group.split()) in emails[recipient].subject  # a subject is one line of plain spaces
        assert group in emails[recipient].body_text and period in emails[recipient].body_text
        assert escape(period) in emails[recipient].body_html
    # WG 2's reminder (to OCT, in English) names WG 2, not the group of the reminder before it.
    other = OutboundEmail.objects.get(occasion__startswith=f"reminder:{drafts[1].pk}:")
    assert str(roster.other_group) in other.subject
