"""The calendar pages: OCT's reporting calendar and its rules, the scheduler's log, the queue
of extension requests, and a chair asking for more time from the submission's page."""

from __future__ import annotations

import datetime
import html

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from compact.core.models import AuditEvent, Heartbeat, OutboundEmail
from reporting.calendar.models import CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.calendar.scheduler import scheduler_tick
from reporting.calendar.services import extension_act, extension_request_create
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.submissions.models import ReportingPeriod, Submission

pytestmark = pytest.mark.django_db

Status = ExtensionRequest.Status
BEFORE_DUE = "2026-07-01 12:00Z"  # report_period is open and due 15 July 2026


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def wg(period: ReportingPeriod, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def text(response) -> str:
    return html.unescape(response.content.decode())


def ask(
    submission: Submission, chair, until: str = "2026-07-29", reason: str = "The workshop moved."
) -> ExtensionRequest:
    return extension_request_create(
        submission=submission, actor=chair, until=datetime.date.fromisoformat(until), reason=reason
    )


def mid_year_rule_data(**overrides: str) -> dict[str, str]:
    """The rule form's POST data for the mid-year report as the migration left it."""
    data = {
        "due_month": "7",
        "due_day": "15",
        "opens_days_before_due": "45",
        "closes_days_after_due": "30",
        "reminder_days": "14, 7, 1",
        "escalation_days": "1, 7",
        "time_zone": "America/New_York",
        "active": "on",
    }
    return {**data, **overrides}


@pytest.fixture
def now_before_due(time_machine):
    time_machine.move_to(BEFORE_DUE)


# --- Who may see the pages -------------------------------------------------------------------------


OCT_PAGES = [
    ("reporting-calendar", ()),
    ("reporting-calendar-rule", ("mid-year",)),
    ("reporting-scheduler-log", ()),
    ("reporting-extensions", ()),
]


@pytest.mark.parametrize("persona", ["chair", "vice_chair", "focal_point", "outsider", "committee_member"])
def test_calendar_pages_are_hidden_from_everyone_but_oct(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for name, args in OCT_PAGES:
        assert client.get(url(name, *args)).status_code == 404, name
    assert client.post(url("reporting-calendar-rule", "mid-year"), mid_year_rule_data(due_day="20")).status_code == 404
    assert CalendarRule.objects.get(kind="mid-year").due_day == 15


def test_anonymous_visitors_are_sent_to_sign_in(client, roster):
    for name, args in OCT_PAGES:
        response = client.get(url(name, *args))
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), name


def test_the_nav_links_the_calendar_for_oct_only(client_for, oct_officer, chair):
    calendar = url("reporting-calendar")
    assert f'href="{calendar}"' in client_for(oct_officer).get(url("reporting-home")).content.decode()
    assert f'href="{calendar}"' not in client_for(chair).get(url("reporting-home")).content.decode()


# --- The calendar ----------------------------------------------------------------------------------


def test_the_calendar_shows_the_rules_the_schedule_and_what_is_open(
    client_for, oct_officer, report_period, now_before_due
):
    response = client_for(oct_officer).get(url("reporting-calendar"))
    assert response.status_code == 200
    page = text(response)
    for kind in ReportingPeriod.Kind.values:
        assert f'<tr data-kind="{kind}">' in page
        assert url("reporting-calendar-rule", kind) in page
    assert "15 July" in page
    assert "31 January of the following year" in page
    # The 2026 mid-year report exists (OCT opened it): its row links to the period.
    upcoming = page.split('id="upcoming"')[1].split("</section>")[0]
    mid_year_row = upcoming.split('<tr data-kind="mid-year" data-year="2026">')[1].split("</tr>")[0]
    assert url("reporting-period", report_period.pk) in mid_year_row
    assert "15 Jul 2026" in mid_year_row and "1 July, 8 July, 14 July" in mid_year_row
    assert "16 July, 22 July" in mid_year_row
    assert "Not yet" in upcoming  # e.g. the Q3 briefing, not created yet
    open_section = page.split('id="open-periods"')[1].split("</section>")[0]
    assert url("reporting-period", report_period.pk) in open_section
    assert '<td class="number">2</td>' in open_section  # two groups, both drafts
    assert "The scheduler has never run" in page


def test_the_calendar_warns_when_the_scheduler_stopped(client_for, oct_officer, roster):
    client = client_for(oct_officer)
    beat = Heartbeat.objects.create(name="scheduler", seen_at=timezone.now() - datetime.timedelta(minutes=4))
    page = text(client.get(url("reporting-calendar")))
    assert "The scheduler last ran 4" in page and "too long ago" not in page
    beat.seen_at = timezone.now() - datetime.timedelta(minutes=20)
    beat.save()
    assert "too long ago" in text(client.get(url("reporting-calendar")))


def test_the_calendar_lists_the_reports_the_scheduler_started(client_for, oct_officer, report_period):
    ConsolidatedReport.objects.create(period=report_period)
    AnnualReport.objects.create(year=2026)
    page = text(client_for(oct_officer).get(url("reporting-calendar")))
    shells = page.split('id="report-shells"')[1].split("</section>")[0]
    assert f"Consolidated progress report: {report_period}" in shells
    assert "Annual report to the Secretary-General, 2026" in shells


def test_the_calendar_counts_waiting_requests(client_for, oct_officer, chair, report_period, now_before_due):
    ask(wg(report_period, 7), chair)
    page = text(client_for(oct_officer).get(url("reporting-calendar")))
    open_section = page.split('id="open-periods"')[1].split("</section>")[0]
    assert f'<a href="{url("reporting-extensions")}">1</a>' in open_section


# --- Editing a rule --------------------------------------------------------------------------------


def test_oct_changes_a_rule_and_it_is_audited(client_for, oct_officer, roster):
    client = client_for(oct_officer)
    form = text(client.get(url("reporting-calendar-rule", "mid-year")))
    assert 'value="14, 7, 1"' in form and '<option value="7" selected>July</option>' in form
    data = mid_year_rule_data(due_day="20", reminder_days="21, 3", time_zone="Europe/Vienna", active="")
    response = client.post(url("reporting-calendar-rule", "mid-year"), data)
    assert response.status_code == 302 and response.url == url("reporting-calendar")
    rule = CalendarRule.objects.get(kind="mid-year")
    assert (rule.due_day, rule.reminder_days, rule.time_zone, rule.active) == (20, [21, 3], "Europe/Vienna", False)
    assert rule.updated_by == oct_officer
    event = AuditEvent.objects.get(verb="reporting.calendar_changed")
    assert event.actor == oct_officer and event.after["due_day"] == 20 and event.before["due_day"] == 15
    page = text(client.get(response.url))
    assert "was changed" in page and "20 July" in page


@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        ({"reminder_days": "14, seven"}, "Give whole numbers of days, separated by commas.", 'value="14, seven"'),
        ({"escalation_days": "1, 1"}, "Give each number of days once.", 'value="1, 1"'),
        ({"escalation_days": "400"}, "Each number of days must be between 0 and 366.", 'value="400"'),
        ({"time_zone": "Mars/Olympus"}, "“Mars/Olympus” is not a time zone", 'value="Mars/Olympus"'),
        ({"due_month": "2", "due_day": "30"}, "That day does not exist in every year.", 'value="30"'),
    ],
)
def test_a_refused_rule_keeps_what_was_typed_and_changes_nothing(
    client_for, oct_officer, roster, overrides, message, kept
):
    before = CalendarRule.objects.get(kind="mid-year")
    data = mid_year_rule_data(opens_days_before_due="40", **overrides)
    response = client_for(oct_officer).post(url("reporting-calendar-rule", "mid-year"), data)
    assert response.status_code == 400
    page = text(response)
    assert message in page and kept in page
    assert 'name="opens_days_before_due" value="40"' in page
    after = CalendarRule.objects.get(kind="mid-year")
    assert (after.due_month, after.due_day, after.opens_days_before_due, after.reminder_days, after.time_zone) == (
        before.due_month,
        before.due_day,
        before.opens_days_before_due,
        before.reminder_days,
        before.time_zone,
    )
    assert not AuditEvent.objects.filter(verb="reporting.calendar_changed").exists()


def test_the_february_error_sits_next_to_the_day(client_for, oct_officer, roster):
    data = mid_year_rule_data(due_month="2", due_day="30")
    page = text(client_for(oct_officer).post(url("reporting-calendar-rule", "mid-year"), data))
    day_field = page.split('for="id_due_day"')[1].split("</div>")[0]
    assert "That day does not exist in every year." in day_field
    assert '<option value="2" selected>February</option>' in page


def test_an_unknown_kind_is_a_404(client_for, oct_officer, roster):
    assert client_for(oct_officer).get(url("reporting-calendar-rule", "q5")).status_code == 404


# --- The scheduler's log ---------------------------------------------------------------------------


def test_the_log_shows_what_the_scheduler_did(client_for, oct_officer, chair, report_period):
    # 1 July 2026: the scheduler reminds WG 2 and WG 7 that the report is due in 14 days.
    scheduler_tick(now=datetime.datetime(2026, 7, 1, 15, tzinfo=datetime.UTC))
    # (It also scheduled the Q2 briefing, due the same day, and reminds about it too.)
    assert SchedulerEvent.objects.filter(kind=SchedulerEvent.Kind.REMINDER, period=report_period).count() == 2
    reminders = SchedulerEvent.objects.filter(kind=SchedulerEvent.Kind.REMINDER).count()
    page = text(client_for(oct_officer).get(url("reporting-scheduler-log")))
    assert page.count('<tr data-kind="reminder">') == reminders
    assert page.count('<tr data-kind="period-created">') == SchedulerEvent.objects.filter(kind="period-created").count()
    assert "Human rights" in page and "chair@example.org" in page
    counts = page.split('id="counts"')[1].split("</section>")[0]
    assert f'<div data-kind="reminder"><dt>Reminder</dt><dd>{reminders}</dd></div>' in counts


def test_the_log_filters_by_kind_and_period(client_for, oct_officer, report_period, briefing_period):
    for period in (report_period, briefing_period):
        for kind in (SchedulerEvent.Kind.PERIOD_OPENED, SchedulerEvent.Kind.ESCALATION):
            SchedulerEvent.objects.create(
                key=f"{kind}:{period.pk}", kind=kind, period=period, detail=f"{kind} {period}"
            )
    client = client_for(oct_officer)
    page = text(client.get(url("reporting-scheduler-log"), {"kind": "escalation"}))
    assert page.count("<tr data-kind=") == 2 and 'data-kind="period-opened"' not in page.split("<tbody>")[1]
    page = text(client.get(url("reporting-scheduler-log"), {"kind": "escalation", "period": briefing_period.pk}))
    rows = page.split("<tbody>")[1]
    assert rows.count("<tr data-kind=") == 1 and f"escalation {briefing_period}" in rows
    page = text(client.get(url("reporting-scheduler-log"), {"kind": "reminder"}))
    assert "Nothing matches these filters." in page


def test_the_log_pages_by_fifty(client_for, oct_officer, report_period):
    SchedulerEvent.objects.bulk_create(
        SchedulerEvent(key=f"k{n}", kind=SchedulerEvent.Kind.REMINDER, period=report_period) for n in range(55)
    )
    client = client_for(oct_officer)
    assert text(client.get(url("reporting-scheduler-log"))).count("<tr data-kind=") == 50
    assert text(client.get(url("reporting-scheduler-log"), {"page": 2})).count("<tr data-kind=") == 5


# --- Asking for more time --------------------------------------------------------------------------


def test_a_chair_asks_for_more_time_from_the_submission(client_for, chair, oct_officer, report_period, now_before_due):
    draft = wg(report_period, 7)
    client = client_for(chair)
    page = text(client.get(url("reporting-submission", draft.pk)))
    assert "Ask for more time" in page and url("reporting-extension-request", draft.pk) in page
    response = client.post(
        url("reporting-extension-request", draft.pk), {"until": "2026-07-29", "reason": "The workshop moved."}
    )
    assert response.status_code == 302 and response.url == url("reporting-submission", draft.pk)
    request = ExtensionRequest.objects.get(submission=draft)
    assert (request.status, request.requested_until, request.requested_by) == (
        Status.REQUESTED,
        datetime.date(2026, 7, 29),
        chair,
    )
    assert OutboundEmail.objects.filter(
        occasion=f"extension:{request.pk}:requested", recipient=settings.OCT_SECRETARIAT_EMAIL
    ).exists()
    page = text(client.get(response.url))
    assert "The OCT secretariat has not decided yet." in page and "Withdraw the request" in page
    assert "Ask for more time" not in page  # one request at a time
    queue = text(client_for(oct_officer).get(url("reporting-extensions")))
    pending = queue.split('id="pending"')[1].split('id="decided"')[0]
    assert "Human rights" in pending and "The workshop moved." in pending and "29 Jul 2026" in pending


def test_a_refused_request_keeps_what_was_typed(client_for, chair, report_period, now_before_due):
    draft = wg(report_period, 7)
    response = client_for(chair).post(
        url("reporting-extension-request", draft.pk), {"until": "2026-07-10", "reason": "Our <b>reason</b>."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a day after the current due date (15 July 2026)." in html.unescape(page)
    assert 'value="2026-07-10"' in page and "Our &lt;b&gt;reason&lt;/b&gt;." in page
    assert '<details class="action" id="ask-for-time" open>' in page
    assert not ExtensionRequest.objects.exists()


def test_a_request_needs_a_reason(client_for, chair, report_period, now_before_due):
    draft = wg(report_period, 7)
    response = client_for(chair).post(url("reporting-extension-request", draft.pk), {"until": "2026-07-29"})
    assert response.status_code == 400 and 'value="2026-07-29"' in response.content.decode()
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("persona", ["oct_officer", "focal_point", "outsider", "committee_member"])
def test_only_leaders_ask_for_more_time(request, client_for, report_period, now_before_due, persona):
    draft = wg(report_period, 7)
    client = client_for(request.getfixturevalue(persona))
    response = client.post(url("reporting-extension-request", draft.pk), {"until": "2026-07-29", "reason": "Why not."})
    assert response.status_code == 404
    assert not ExtensionRequest.objects.exists()


def test_a_chair_cannot_ask_for_another_group(client_for, chair, report_period, now_before_due):
    other = wg(report_period, 2)
    response = client_for(chair).post(
        url("reporting-extension-request", other.pk), {"until": "2026-07-29", "reason": "x"}
    )
    assert response.status_code == 404 and not ExtensionRequest.objects.exists()


def test_no_form_once_submitted(client_for, chair, report_period, now_before_due):
    from reporting.submissions.services import submission_act

    draft = submission_act(submission=wg(report_period, 7), action="submit", actor=chair)
    page = text(client_for(chair).get(url("reporting-submission", draft.pk)))
    assert "Ask for more time" not in page and "Nobody asked for more time." in page


# --- Deciding ---------------------------------------------------------------------------------------


def test_oct_approves_the_date_asked_for(client_for, oct_officer, chair, vice_chair, report_period, now_before_due):
    draft = wg(report_period, 7)
    request = ask(draft, chair)
    client = client_for(oct_officer)
    response = client.post(
        url("reporting-extension-act", request.pk), {"action": "approve", "until": "", "comment": ""}
    )
    assert response.status_code == 302 and response.url == url("reporting-extensions")
    request.refresh_from_db()
    draft.refresh_from_db()
    assert request.status == Status.APPROVED and request.decided_by == oct_officer
    assert draft.due_on == datetime.date(2026, 7, 29)
    recipients = set(
        OutboundEmail.objects.filter(occasion=f"extension:{request.pk}:approved").values_list("recipient", flat=True)
    )
    assert recipients == {chair.email, vice_chair.email}
    queue = text(client.get(response.url))
    assert "is now due on 29 July 2026" in queue and "No request is waiting." in queue
    assert '<tr data-status="approved">' in queue
    detail = text(client_for(chair).get(url("reporting-submission", draft.pk)))
    assert "due 29 Jul 2026" in detail and "(extended from 15 Jul 2026)" in detail
    assert "granted until 29 Jul 2026" in detail
    home = text(client_for(chair).get(url("reporting-home")))
    desk = home.split('id="desk"')[1].split("</section>")[0]
    assert "29 Jul 2026" in desk and "28 days left" in desk


def test_oct_approves_another_date(client_for, oct_officer, chair, report_period, now_before_due):
    request = ask(wg(report_period, 7), chair)
    client_for(oct_officer).post(
        url("reporting-extension-act", request.pk), {"action": "approve", "until": "2026-07-22", "comment": "A week."}
    )
    request.refresh_from_db()
    assert (request.status, request.granted_until, request.decision_comment) == (
        Status.APPROVED,
        datetime.date(2026, 7, 22),
        "A week.",
    )
    assert wg(report_period, 7).due_on == datetime.date(2026, 7, 22)


def test_an_approval_before_the_due_date_is_refused_with_a_message(
    client_for, oct_officer, chair, report_period, now_before_due
):
    request = ask(wg(report_period, 7), chair)
    client = client_for(oct_officer)
    response = client.post(url("reporting-extension-act", request.pk), {"action": "approve", "until": "2026-07-01"})
    assert response.status_code == 302
    assert "Choose a day after the current due date" in text(client.get(response.url))
    request.refresh_from_db()
    assert request.status == Status.REQUESTED and wg(report_period, 7).due_on == datetime.date(2026, 7, 15)


def test_oct_declines_with_a_reason(client_for, oct_officer, chair, report_period, now_before_due):
    request = ask(wg(report_period, 7), chair)
    client = client_for(oct_officer)
    act = url("reporting-extension-act", request.pk)
    page = text(client.get(client.post(act, {"action": "decline", "comment": "  "}).url))
    assert "Write a comment for this step." in page
    request.refresh_from_db()
    assert request.status == Status.REQUESTED
    client.post(act, {"action": "decline", "comment": "The Committee meets on the 20th."})
    request.refresh_from_db()
    assert request.status == Status.DECLINED and wg(report_period, 7).due_on == datetime.date(2026, 7, 15)
    assert OutboundEmail.objects.filter(occasion=f"extension:{request.pk}:declined", recipient=chair.email).exists()
    detail = text(client_for(chair).get(url("reporting-submission", request.submission_id)))
    assert "The Committee meets on the 20th." in detail and "Ask for more time" in detail


def test_a_decided_request_cannot_be_decided_again(client_for, oct_officer, chair, report_period, now_before_due):
    request = ask(wg(report_period, 7), chair)
    extension_act(request=request, action="decline", actor=oct_officer, comment="No.")
    client = client_for(oct_officer)
    response = client.post(url("reporting-extension-act", request.pk), {"action": "approve"})
    assert "cannot be changed now" in text(client.get(response.url))
    request.refresh_from_db()
    assert request.status == Status.DECLINED


def test_a_chair_withdraws_from_the_submission_page(client_for, chair, report_period, now_before_due):
    draft = wg(report_period, 7)
    request = ask(draft, chair)
    client = client_for(chair)
    back = url("reporting-submission", draft.pk)
    response = client.post(url("reporting-extension-act", request.pk), {"action": "withdraw", "next": back})
    assert response.status_code == 302 and response.url == back
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    page = text(client.get(back))
    assert "The request was withdrawn." in page and "Ask for more time" in page


def test_an_unsafe_next_goes_to_the_queue(client_for, oct_officer, chair, report_period, now_before_due):
    request = ask(wg(report_period, 7), chair)
    response = client_for(oct_officer).post(
        url("reporting-extension-act", request.pk),
        {"action": "decline", "comment": "No.", "next": "https://evil.example/"},
    )
    assert response.url == url("reporting-extensions")


def test_leaders_cannot_decide_and_others_cannot_act(
    client_for, chair, vice_chair, focal_point, outsider, report_period, now_before_due
):
    request = ask(wg(report_period, 7), chair)
    act = url("reporting-extension-act", request.pk)
    assert client_for(vice_chair).post(act, {"action": "approve"}).status_code == 404
    for person in (focal_point, outsider):
        assert client_for(person).post(act, {"action": "withdraw"}).status_code == 404
    request.refresh_from_db()
    assert request.status == Status.REQUESTED


def test_the_leader_of_another_group_cannot_withdraw(client_for, chair, roster, report_period, now_before_due):
    from tests.conftest import _person
    from workinggroups.services import role_representative_set

    other_chair = _person("otherchair", roster.unodc)
    role = roster.other_group.assignments.get(role="chair")
    role_representative_set(assignment=role, person=other_chair, actor=None)
    request = ask(wg(report_period, 7), chair)
    before = ExtensionRequest.objects.filter(pk=request.pk).values().get()
    response = client_for(other_chair).post(url("reporting-extension-act", request.pk), {"action": "withdraw"})
    assert response.status_code == 404
    assert ExtensionRequest.objects.filter(pk=request.pk).values().get() == before
    assert before["status"] == Status.REQUESTED


# --- Home page and editor --------------------------------------------------------------------------


def test_oct_home_links_the_calendar_pages_with_waiting_requests(
    client_for, oct_officer, chair, report_period, now_before_due
):
    ask(wg(report_period, 7), chair)
    page = text(client_for(oct_officer).get(url("reporting-home")))
    links = page.split('id="calendar-links"')[1].split("</nav>")[0]
    for name in ("reporting-calendar", "reporting-scheduler-log", "reporting-extensions"):
        assert url(name) in links
    assert "1 waiting" in links


def test_the_editor_says_where_carried_over_issues_came_from(client_for, chair, report_period, briefing_period):
    Submission.objects.filter(pk=wg(briefing_period, 7).pk).update(carried_over_from=wg(report_period, 7))
    page = text(client_for(chair).get(url("reporting-submission-edit", wg(briefing_period, 7).pk)))
    assert f"The open issues were copied from {report_period} — update or remove them." in page
    plain = text(client_for(chair).get(url("reporting-submission-edit", wg(report_period, 7).pk)))
    assert "The open issues were copied" not in plain
