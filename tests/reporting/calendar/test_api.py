"""The reporting calendar's API: OCT's rules and schedule, extension requests through their
workflow, and the scheduler's log, each checked against every persona."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compact.core.models import AuditEvent
from reporting.calendar.models import CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.calendar.services import RULE_FIELDS
from reporting.submissions.models import ReportingPeriod, Submission
from tests.helpers import deliver_emails, fresh, oct_person

pytestmark = pytest.mark.django_db

RULES = "/api/v1/calendar-rules/"
SCHEDULE = "/api/v1/calendar-schedule/"
EXTENSIONS = "/api/v1/extension-requests/"
EVENTS = "/api/v1/scheduler-events/"
OTHERS = ["usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]
# Those who lead no group: they never see an extension request.
NOT_LEADERS = ["usg", "committee_member", "focal_point", "outsider"]
RULE_STATE = RULE_FIELDS  # every field OCT edits


def group_submission(period: ReportingPeriod, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def rule_state(kind: str) -> dict:
    rule = CalendarRule.objects.get(kind=kind)
    return {name: getattr(rule, name) for name in RULE_STATE}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def ask(api_for, user, submission: Submission, until: str = "2026-07-29", reason: str = "A field mission in July."):
    body = {"submission": submission.pk, "until": until, "reason": reason}
    return api_for(user).post(EXTENSIONS, body, format="json")


def act(api_for, user, extension_id: int, action: str, **body):
    return api_for(user).post(f"{EXTENSIONS}{extension_id}/transitions/", {"action": action, **body}, format="json")


def event(key: str, kind: str = SchedulerEvent.Kind.REMINDER, **values) -> SchedulerEvent:
    return SchedulerEvent.objects.create(key=key, kind=kind, **values)


@pytest.fixture
def before_due(time_machine):
    """1 July 2026, two weeks before the mid-year report is due (15 July)."""
    time_machine.move_to("2026-07-01 12:00Z")


@pytest.fixture
def requested(report_period, chair, api_for, before_due) -> dict:
    """WG 7's chair asks for two more weeks on the mid-year report."""
    response = ask(api_for, chair, group_submission(report_period, 7))
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def other_groups_request(report_period, oct_officer) -> ExtensionRequest:
    """A request on WG 2's draft (its chair's seat has no representative in the roster)."""
    return ExtensionRequest.objects.create(
        submission=group_submission(report_period, 2),
        due_before=datetime.date(2026, 7, 15),
        requested_until=datetime.date(2026, 7, 31),
        reason="Elections.",
        requested_by=oct_officer,
    )


# --- Anonymous callers and the schema --------------------------------------------------------------

ENDPOINTS = [
    ("get", RULES),
    ("get", f"{RULES}mid-year/"),
    ("patch", f"{RULES}mid-year/"),
    ("put", f"{RULES}mid-year/"),
    ("get", SCHEDULE),
    ("get", EXTENSIONS),
    ("post", EXTENSIONS),
    ("get", f"{EXTENSIONS}1/"),
    ("post", f"{EXTENSIONS}1/transitions/"),
    ("get", EVENTS),
    ("get", f"{EVENTS}1/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_refused(roster, api_for, method, path):
    api = api_for(None)
    response = api.get(path) if method == "get" else getattr(api, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_documents_every_calendar_endpoint(roster, outsider, api_for):
    paths = api_for(outsider).get("/api/v1/schema/?format=json").json()["paths"]
    assert set(paths["/api/v1/calendar-rules/"]) == {"get"}
    assert set(paths["/api/v1/calendar-rules/{kind}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/calendar-schedule/"]) == {"get"}
    assert set(paths["/api/v1/extension-requests/"]) == {"get", "post"}
    assert set(paths["/api/v1/extension-requests/{id}/"]) == {"get"}
    assert set(paths["/api/v1/extension-requests/{id}/transitions/"]["post"]["responses"]) >= {
        "200",
        "403",
        "404",
        "409",
    }
    assert set(paths["/api/v1/scheduler-events/"]) == {"get"}
    parameters = {p["name"] for p in paths["/api/v1/scheduler-events/"]["get"]["parameters"]}
    assert parameters >= {"kind", "period", "submission", "created_after", "created_before", "page"}


# --- Calendar rules --------------------------------------------------------------------------------


def test_oct_reads_the_rules_in_calendar_order(roster, oct_officer, api_for, before_due):
    listing = api_for(oct_officer).get(RULES).json()
    assert [rule["kind"] for rule in listing["results"]] == ["q1", "q2", "q3", "q4", "mid-year", "end-of-year"]
    mid_year = api_for(oct_officer).get(f"{RULES}mid-year/").json()
    assert mid_year["label"] == "Mid-year progress report"
    assert (mid_year["due_month"], mid_year["due_day"], mid_year["opens_days_before_due"]) == (7, 15, 45)
    assert mid_year["reminder_days"] == [14, 7, 1] and mid_year["escalation_days"] == [1, 7]
    assert mid_year["time_zone"] == "America/New_York" and mid_year["updated_by"] is None
    assert mid_year["url"].endswith("/api/v1/calendar-rules/mid-year/")


def test_a_rule_shows_its_next_two_periods(roster, oct_officer, api_for, before_due):
    this_year, next_year = api_for(oct_officer).get(f"{RULES}mid-year/").json()["next_periods"]
    assert this_year == {
        "kind": "mid-year",
        "label": "Mid-year progress report 1 Jan 2026–30 Jun 2026",
        "covers_from": "2026-01-01",
        "covers_until": "2026-06-30",
        "opens_on": "2026-05-31",
        "due_on": "2026-07-15",
        "closes_on": "2026-08-14",
        "time_zone": "America/New_York",
        "reminders_on": ["2026-07-01", "2026-07-08", "2026-07-14"],
        "escalations_on": ["2026-07-16", "2026-07-22"],
    }
    assert (next_year["covers_from"], next_year["due_on"]) == ("2027-01-01", "2027-07-15")


def test_a_report_due_in_january_is_still_next_in_february(roster, oct_officer, api_for, time_machine):
    time_machine.move_to("2026-02-10 15:00Z")
    periods = api_for(oct_officer).get(f"{RULES}end-of-year/").json()["next_periods"]
    assert [(p["covers_from"], p["due_on"], p["closes_on"]) for p in periods] == [
        ("2025-01-01", "2026-01-31", "2026-03-02"),
        ("2026-01-01", "2027-01-31", "2027-03-02"),
    ]


@pytest.mark.parametrize("persona", OTHERS)
def test_the_calendar_is_not_found_for_anyone_but_oct(request, roster, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    assert api.get(RULES).json()["count"] == 0
    assert api.get(f"{RULES}mid-year/").status_code == 404
    before = rule_state("mid-year")
    assert api.patch(f"{RULES}mid-year/", {"due_day": 20}, format="json").status_code == 404
    put = api.put(f"{RULES}mid-year/", {**before, "due_day": 20}, format="json")
    assert put.status_code == 404
    assert rule_state("mid-year") == before
    assert api.get(SCHEDULE).json() == []


def test_an_unknown_kind_is_not_found(roster, oct_officer, api_for):
    assert api_for(oct_officer).get(f"{RULES}q5/").status_code == 404
    assert api_for(oct_officer).patch(f"{RULES}q5/", {"due_day": 20}, format="json").status_code == 404


def test_oct_changes_a_rule_with_an_audit_row(roster, oct_officer, api_for, before_due):
    response = api_for(oct_officer).patch(
        f"{RULES}mid-year/", {"due_day": 20, "reminder_days": [3, 10], "active": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["due_day"], body["reminder_days"], body["active"]) == (20, [10, 3], False)
    assert body["updated_by"] == "Officer Tester"
    assert body["next_periods"][0]["due_on"] == "2026-07-20"
    assert body["next_periods"][0]["reminders_on"] == ["2026-07-10", "2026-07-17"]
    rule = CalendarRule.objects.get(kind="mid-year")
    assert (rule.due_day, rule.reminder_days, rule.active, rule.updated_by) == (20, [10, 3], False, oct_officer)
    audit = AuditEvent.objects.get(verb="reporting.calendar_changed")
    assert audit.actor == oct_officer and audit.object_id == str(rule.pk)
    assert audit.before == {"due_day": 15, "reminder_days": [14, 7, 1], "active": True}
    assert audit.after == {"due_day": 20, "reminder_days": [10, 3], "active": False}


def test_put_replaces_a_rule_from_its_own_representation(roster, oct_officer, api_for):
    api = api_for(oct_officer)
    whole = api.get(f"{RULES}q3/").json()
    response = api.put(f"{RULES}q3/", {**whole, "due_day": 20, "time_zone": "Europe/Vienna"}, format="json")
    assert response.status_code == 200, response.json()
    assert rule_state("q3")["due_day"] == 20 and rule_state("q3")["time_zone"] == "Europe/Vienna"
    partial = api.put(f"{RULES}q3/", {"due_day": 21}, format="json")
    assert partial.status_code == 400
    assert set(partial.json()) == set(RULE_STATE) - {"due_day"}
    assert rule_state("q3")["due_day"] == 20


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reminder_days": [7, 7]}, "reminder_days"),
        ({"reminder_days": [14, -1]}, "reminder_days"),
        ({"reminder_days": [400]}, "reminder_days"),
        ({"reminder_days": "14, 7, 1"}, "reminder_days"),
        ({"escalation_days": [1.5]}, "escalation_days"),
        ({"due_month": 2, "due_day": 30}, "due_day"),
        ({"due_day": 32}, "due_day"),
        ({"due_month": 13}, "due_month"),
        ({"opens_days_before_due": 0}, "opens_days_before_due"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"reminders": [1]}, "reminders"),
        ({"due_month": "July"}, "due_month"),
    ],
)
def test_a_bad_change_is_refused_on_its_field_and_leaves_the_rule(roster, oct_officer, api_for, change, field):
    before = rule_state("mid-year")
    response = api_for(oct_officer).patch(f"{RULES}mid-year/", {"due_day": 10, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert rule_state("mid-year") == before
    assert not AuditEvent.objects.filter(verb="reporting.calendar_changed").exists()


def test_the_messages_say_what_is_wrong(roster, oct_officer, api_for):
    api = api_for(oct_officer)
    leap = api.patch(f"{RULES}q1/", {"due_month": 2, "due_day": 29}, format="json").json()
    assert leap == {"due_day": ["That day does not exist in every year."]}
    zone = api.patch(f"{RULES}q1/", {"time_zone": "New York"}, format="json").json()
    assert zone == {"time_zone": ["“New York” is not a time zone (e.g. America/New_York)."]}
    twice = api.patch(f"{RULES}q1/", {"reminder_days": [7, 7]}, format="json").json()
    assert twice == {"reminder_days": ["Give each number of days once."]}


# --- The schedule ----------------------------------------------------------------------------------


def test_oct_reads_the_schedule_soonest_due_first(roster, oct_officer, api_for, before_due):
    schedule = api_for(oct_officer).get(SCHEDULE).json()
    assert [(p["kind"], p["due_on"]) for p in schedule[:5]] == [
        ("mid-year", "2026-07-15"),
        ("q2", "2026-07-15"),
        ("q3", "2026-10-15"),
        ("q4", "2027-01-15"),
        ("end-of-year", "2027-01-31"),
    ]
    assert len(schedule) == 11 and schedule[-1]["due_on"] == "2028-01-31"
    q2 = schedule[1]
    assert (q2["covers_from"], q2["covers_until"], q2["opens_on"], q2["closes_on"]) == (
        "2026-04-01",
        "2026-06-30",
        "2026-06-15",
        "2026-08-14",
    )
    assert q2["reminders_on"] == ["2026-07-01", "2026-07-08", "2026-07-14"]


def test_the_schedule_leaves_out_kinds_the_scheduler_does_not_run(roster, oct_officer, api_for, before_due):
    api = api_for(oct_officer)
    for kind in ("q1", "q2", "q3", "q4"):
        assert api.patch(f"{RULES}{kind}/", {"active": False}, format="json").status_code == 200
    assert [(p["kind"], p["due_on"]) for p in api.get(SCHEDULE).json()] == [
        ("mid-year", "2026-07-15"),
        ("end-of-year", "2027-01-31"),
        ("mid-year", "2027-07-15"),
        ("end-of-year", "2028-01-31"),
    ]


# --- Extension requests ----------------------------------------------------------------------------


def test_a_chair_asks_for_more_time_and_oct_is_told(report_period, chair, requested):
    assert requested["status"] == "requested" and requested["working_group"]["number"] == 7
    assert (requested["due_before"], requested["requested_until"], requested["due_on"]) == (
        "2026-07-15",
        "2026-07-29",
        "2026-07-15",
    )
    assert requested["granted_until"] is None and requested["requested_by"] == "Chair Tester"
    assert requested["period"]["id"] == report_period.pk and requested["reason"] == "A field mission in July."
    assert [m["action"] for m in requested["available_actions"]] == ["withdraw"]
    [told] = [email for email in deliver_emails() if email.subject.startswith("Extension")]
    assert told.to == [settings.OCT_SECRETARIAT_EMAIL] and told.subject == "Extension requested: WG 7: Human rights"


def test_oct_approves_another_date_and_the_due_date_moves(
    report_period, oct_officer, chair, vice_chair, requested, api_for
):
    review = api_for(oct_officer).get(f"{EXTENSIONS}{requested['id']}/").json()
    assert [(m["action"], m["comment"]) for m in review["available_actions"]] == [
        ("approve", "optional"),
        ("decline", "required"),
    ]
    deliver_emails().clear()
    response = act(api_for, oct_officer, requested["id"], "approve", until="2026-07-22", comment="Granted.")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["granted_until"], body["due_on"]) == ("approved", "2026-07-22", "2026-07-22")
    assert body["decided_by"] == "Officer Tester" and body["decision_comment"] == "Granted."
    assert body["available_actions"] == []
    report = group_submission(report_period, 7)
    assert report.extended_until == datetime.date(2026, 7, 22) and report.due_on == datetime.date(2026, 7, 22)
    assert group_submission(report_period, 2).due_on == datetime.date(2026, 7, 15)
    assert AuditEvent.objects.filter(verb="reporting.extension_approve", object_id=str(report.pk)).exists()
    decision = deliver_emails()
    assert sorted(address for email in decision for address in email.to) == [
        "chair@example.org",
        "vicechair@example.org",
    ]
    assert all("now due 22 July 2026" in email.subject for email in decision)


def test_an_approval_without_a_date_grants_what_was_asked(report_period, oct_officer, requested, api_for):
    body = act(api_for, oct_officer, requested["id"], "approve").json()
    assert (body["granted_until"], body["due_on"]) == ("2026-07-29", "2026-07-29")


def test_oct_declines_with_a_reason_and_the_due_date_stays(report_period, oct_officer, requested, api_for):
    silent = act(api_for, oct_officer, requested["id"], "decline", comment="  ")
    assert silent.status_code == 400 and "comment" in silent.json()
    assert ExtensionRequest.objects.get(pk=requested["id"]).status == "requested"
    response = act(api_for, oct_officer, requested["id"], "decline", comment="The Committee meets on the 20th.")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["granted_until"], body["due_on"]) == ("declined", None, "2026-07-15")
    assert group_submission(report_period, 7).extended_until is None


def test_a_vice_chair_withdraws_and_oct_can_no_longer_decide(
    report_period, vice_chair, oct_officer, requested, api_for
):
    withdrawn = act(api_for, vice_chair, requested["id"], "withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    late = act(api_for, oct_officer, requested["id"], "approve")
    assert late.status_code == 409
    assert late.json() == {
        "detail": "“Approve” is not possible while the request is “Withdrawn”.",
        "status": "withdrawn",
        "available_actions": [],
    }
    assert group_submission(report_period, 7).extended_until is None


def test_a_decided_request_cannot_be_decided_again(report_period, oct_officer, requested, api_for):
    assert act(api_for, oct_officer, requested["id"], "decline", comment="No.").status_code == 200
    declined = ExtensionRequest.objects.filter(pk=requested["id"]).values().get()
    again = act(api_for, oct_officer, requested["id"], "approve")
    assert again.status_code == 409 and again.json()["status"] == "declined"
    assert ExtensionRequest.objects.filter(pk=requested["id"]).values().get() == declined
    assert group_submission(report_period, 7).extended_until is None


def test_each_party_makes_only_its_own_moves(report_period, chair, oct_officer, requested, api_for):
    assert act(api_for, chair, requested["id"], "approve").status_code == 403
    assert act(api_for, oct_officer, requested["id"], "withdraw").status_code == 403
    assert ExtensionRequest.objects.get(pk=requested["id"]).status == "requested"
    assert group_submission(report_period, 7).extended_until is None


def test_a_date_goes_with_an_approval_only(oct_officer, requested, api_for):
    response = act(api_for, oct_officer, requested["id"], "decline", comment="No.", until="2026-07-20")
    assert response.status_code == 400 and "until" in response.json()
    assert act(api_for, oct_officer, requested["id"], "publish").status_code == 400
    assert ExtensionRequest.objects.get(pk=requested["id"]).status == "requested"


def test_an_approved_date_must_be_after_the_due_date(report_period, oct_officer, requested, api_for):
    response = act(api_for, oct_officer, requested["id"], "approve", until="2026-07-10")
    assert response.status_code == 400 and "until" in response.json()
    assert ExtensionRequest.objects.get(pk=requested["id"]).status == "requested"


def test_a_move_someone_else_made_first_is_a_409(report_period, oct_officer, requested, api_for):
    # The vice-chair's withdrawal is committed after the API loaded the request and before the
    # decision's transaction (its first savepoint) starts, as it would be from another process.
    def withdraw_first(execute, sql, params, many, context):
        if sql.startswith("SAVEPOINT") and not raced:
            raced.append(True)
            ExtensionRequest.objects.filter(pk=requested["id"]).update(status="withdrawn")
        return execute(sql, params, many, context)

    raced: list[bool] = []
    with connection.execute_wrapper(withdraw_first):
        response = act(api_for, oct_officer, requested["id"], "approve")
    assert raced and response.status_code == 409
    assert response.json() == {
        "detail": "This request was changed by someone else meanwhile; reload it.",
        "status": "withdrawn",
        "available_actions": [],
    }
    assert group_submission(report_period, 7).extended_until is None


@pytest.mark.parametrize(
    ("until", "reason", "field"),
    [
        ("2026-07-15", "A mission.", "until"),
        ("2026-07-01", "A mission.", "until"),
        ("soon", "A mission.", "until"),
        ("2026-07-29", "   ", "reason"),
    ],
)
def test_a_bad_request_is_refused_on_its_field(report_period, chair, api_for, before_due, until, reason, field):
    response = ask(api_for, chair, group_submission(report_period, 7), until=until, reason=reason)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ExtensionRequest.objects.exists()


def test_one_request_waits_at_a_time(report_period, chair, vice_chair, requested, api_for):
    second = ask(api_for, vice_chair, group_submission(report_period, 7), until="2026-08-01")
    assert second.status_code == 400 and "non_field_errors" in second.json()
    assert ExtensionRequest.objects.count() == 1


def test_a_submitted_report_gets_no_more_time(report_period, chair, api_for, before_due):
    report = group_submission(report_period, 7)
    transitions = f"/api/v1/submissions/{report.pk}/transitions/"
    assert api_for(chair).post(transitions, {"action": "submit"}, format="json").status_code == 200
    response = ask(api_for, chair, report)
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("persona", ["chair", "outsider", "focal_point", "committee_member", "usg"])
def test_a_submission_the_caller_may_not_read_is_no_such_submission(
    request, report_period, api_for, before_due, persona
):
    response = ask(api_for, request.getfixturevalue(persona), group_submission(report_period, 2))
    assert response.status_code == 400
    assert response.json() == {"submission": ["There is no such submission."]}
    missing = ask(api_for, request.getfixturevalue(persona), Submission(pk=999999))
    assert missing.json() == {"submission": ["There is no such submission."]}
    assert not ExtensionRequest.objects.exists()


def test_oct_may_not_ask_on_a_groups_behalf(report_period, oct_officer, api_for, before_due):
    assert ask(api_for, oct_officer, group_submission(report_period, 7)).status_code == 403
    assert not ExtensionRequest.objects.exists()


def test_oct_reads_every_request_and_leaders_their_groups(
    report_period, oct_officer, chair, vice_chair, requested, other_groups_request, api_for
):
    assert ids(api_for(oct_officer).get(EXTENSIONS)) == [other_groups_request.pk, requested["id"]]
    for leader in (chair, vice_chair):
        assert ids(api_for(leader).get(EXTENSIONS)) == [requested["id"]]
        assert api_for(leader).get(f"{EXTENSIONS}{other_groups_request.pk}/").status_code == 404
        assert act(api_for, leader, other_groups_request.pk, "withdraw").status_code == 404
    other_groups_request.refresh_from_db()
    assert other_groups_request.status == ExtensionRequest.Status.REQUESTED
    assert api_for(chair).get(f"{EXTENSIONS}{requested['id']}/").json()["reason"] == "A field mission in July."


@pytest.mark.parametrize("persona", NOT_LEADERS)
def test_those_who_lead_no_group_find_no_request(request, report_period, requested, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    assert ids(api.get(EXTENSIONS)) == []
    assert api.get(f"{EXTENSIONS}{requested['id']}/").status_code == 404
    assert act(api_for, request.getfixturevalue(persona), requested["id"], "approve").status_code == 404
    assert ExtensionRequest.objects.get(pk=requested["id"]).status == "requested"


def test_a_request_above_an_officers_clearance_is_hidden(report_period, requested, api_for):
    Submission.objects.filter(pk=requested["submission"]).update(classification="confidential")
    junior = oct_person("junior", "unclassified")
    assert ids(api_for(junior).get(EXTENSIONS)) == []
    assert act(api_for, junior, requested["id"], "approve").status_code == 404
    assert ExtensionRequest.objects.get(pk=requested["id"]).status == ExtensionRequest.Status.REQUESTED
    assert group_submission(report_period, 7).extended_until is None
    senior = oct_person("senior", "confidential")
    assert ids(api_for(senior).get(EXTENSIONS)) == [requested["id"]]


def test_requests_filter_by_status_submission_and_period(
    report_period, briefing_period, oct_officer, requested, other_groups_request, api_for
):
    api = api_for(oct_officer)
    assert act(api_for, oct_officer, requested["id"], "decline", comment="No.").status_code == 200
    assert ids(api.get(EXTENSIONS, {"status": "requested"})) == [other_groups_request.pk]
    assert ids(api.get(EXTENSIONS, {"status": "declined"})) == [requested["id"]]
    assert ids(api.get(EXTENSIONS, {"submission": requested["submission"]})) == [requested["id"]]
    assert len(ids(api.get(EXTENSIONS, {"period": report_period.pk}))) == 2
    assert ids(api.get(EXTENSIONS, {"period": briefing_period.pk})) == []
    assert api.get(EXTENSIONS, {"status": "lost"}).status_code == 400
    assert api.get(EXTENSIONS, {"period": "mid-year"}).status_code == 400


# --- The scheduler's log ---------------------------------------------------------------------------


def test_oct_reads_what_the_scheduler_did(report_period, oct_officer, chair, vice_chair, api_for, before_due):
    from reporting.calendar.scheduler import scheduler_tick

    scheduler_tick()
    api = api_for(oct_officer)
    reminders = api.get(EVENTS, {"kind": "reminder", "period": report_period.pk}).json()["results"]
    by_group = {item["working_group"]["number"]: item for item in reminders}
    assert set(by_group) == {2, 7}
    wg7 = by_group[7]
    assert wg7["submission"] == group_submission(report_period, 7).pk and wg7["period"]["id"] == report_period.pk
    assert sorted(wg7["recipients"]) == ["chair@example.org", "vicechair@example.org"]
    assert wg7["label"] == "Reminder" and wg7["key"].startswith("reminder:")
    detail = api.get(f"{EVENTS}{wg7['id']}/").json()
    assert detail == wg7
    scheduled = api.get(EVENTS, {"kind": "period-created"}).json()["results"]
    assert scheduled and all(item["submission"] is None and item["working_group"] is None for item in scheduled)


@pytest.mark.parametrize("persona", OTHERS)
def test_the_log_is_not_found_for_anyone_but_oct(request, report_period, api_for, persona):
    logged = event("reminder:1", period=report_period, submission=group_submission(report_period, 7))
    api = api_for(request.getfixturevalue(persona))
    assert api.get(EVENTS).json()["count"] == 0
    assert api.get(f"{EVENTS}{logged.pk}/").status_code == 404


def test_the_log_is_read_only(report_period, oct_officer, api_for):
    logged = event("reminder:1", period=report_period)
    api = api_for(oct_officer)
    before = list(SchedulerEvent.objects.order_by("pk").values())
    assert api.post(EVENTS, {"key": "x", "kind": "reminder"}, format="json").status_code == 405
    assert api.patch(f"{EVENTS}{logged.pk}/", {"detail": "x"}, format="json").status_code == 405
    assert api.delete(f"{EVENTS}{logged.pk}/").status_code == 405
    assert list(SchedulerEvent.objects.order_by("pk").values()) == before


def test_the_log_filters_by_kind_period_submission_and_time(report_period, briefing_period, oct_officer, api_for):
    moment = datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)
    report = group_submission(report_period, 7)
    opened = event("period-opened:b", SchedulerEvent.Kind.PERIOD_OPENED, period=briefing_period, created_at=moment)
    reminded = event(
        "reminder:r", period=report_period, submission=report, created_at=moment + datetime.timedelta(days=1)
    )
    escalated = event(
        "escalation:r",
        SchedulerEvent.Kind.ESCALATION,
        period=report_period,
        submission=report,
        created_at=moment + datetime.timedelta(days=20),
    )
    digest = event("oct-digest:w", SchedulerEvent.Kind.OCT_DIGEST, created_at=moment + datetime.timedelta(days=2))
    api = api_for(oct_officer)
    assert ids(api.get(EVENTS)) == [escalated.pk, digest.pk, reminded.pk, opened.pk]
    assert ids(api.get(EVENTS, {"kind": "escalation"})) == [escalated.pk]
    assert ids(api.get(EVENTS, {"period": report_period.pk})) == [escalated.pk, reminded.pk]
    assert ids(api.get(EVENTS, {"submission": report.pk, "kind": "reminder"})) == [reminded.pk]
    assert ids(api.get(EVENTS, {"created_after": "2026-07-02", "created_before": "2026-07-05"})) == [
        digest.pk,
        reminded.pk,
    ]
    assert ids(api.get(EVENTS, {"created_before": "2026-07-01T12:00:00Z"})) == []
    assert ids(api.get(EVENTS, {"created_after": "2026-07-21T00:00:00+02:00"})) == [escalated.pk]


@pytest.mark.parametrize(
    "query", [{"kind": "birthday"}, {"created_after": "soon"}, {"period": "q3"}, {"submission": "1.5"}]
)
def test_a_bad_log_filter_is_a_400_not_everything(report_period, oct_officer, api_for, query):
    event("reminder:1", period=report_period)
    response = api_for(oct_officer).get(EVENTS, query)
    assert response.status_code == 400 and set(response.json()) == set(query)


def test_the_log_takes_the_same_queries_however_long_it_is(report_period, briefing_period, oct_officer, api_for):
    def log_some(count: int, start: int) -> None:
        for n in range(start, start + count):
            period = report_period if n % 2 else briefing_period
            submission = Submission.objects.filter(period=period).order_by("pk")[n % 2]
            event(f"reminder:{n}", period=period, submission=submission, recipients=[f"p{n}@example.org"])
            event(f"digest:{n}", SchedulerEvent.Kind.OCT_DIGEST, created_at=timezone.now())

    log_some(2, 0)
    api = api_for(fresh(oct_officer))
    with CaptureQueriesContext(connection) as few:
        assert api.get(EVENTS).json()["count"] == 4
    log_some(20, 2)
    api = api_for(fresh(oct_officer))
    with CaptureQueriesContext(connection) as many:
        assert api.get(EVENTS).json()["count"] == 44
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 3  # who the caller is, the count, the page
