"""The Coordination Committee's meetings API: every endpoint for every persona, the meeting's
and the action points' workflows through the API, minutes within clearance, refused input
leaving nothing half-saved, owners marking their action points done, and the schema."""

from __future__ import annotations

import datetime
import itertools

import pytest

from compact.core.models import AuditEvent, Classification
from reporting.committee.models import ActionPoint, AgendaItem, Attendance, CascadeBriefing, Decision, Meeting
from reporting.committee.services import (
    action_point_add,
    agenda_item_add,
    attendance_set,
    cascade_record,
    meeting_act,
    meeting_create,
    minutes_save,
)
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import oct_person

pytestmark = pytest.mark.django_db
D = datetime.date

MEETINGS = "/api/v1/committee-meetings/"
ITEMS = "/api/v1/committee-agenda-items/"
POINTS = "/api/v1/committee-action-points/"
CASCADE = "/api/v1/committee-cascade-briefings/"
READERS = ["oct_officer", "usg", "committee_member", "chair", "vice_chair"]
NOT_READERS = ["focal_point", "outsider"]
NOT_OCT = ["usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]


def accept(submission, leader, oct_officer) -> None:
    submission_save_draft(
        submission=submission,
        actor=leader,
        base_revision=submission.revision,
        fields={"work_plan_progress": "Guidance drafted."},
        classification=Classification.UNCLASSIFIED,
    )
    submission_act(submission=submission, action="submit", actor=leader)
    submission_act(submission=submission, action="accept", actor=oct_officer)


def audits() -> int:
    return AuditEvent.objects.filter(verb__startswith="committee.").count()


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def post(api, url: str, body: dict | None = None):
    return api.post(url, body or {}, format="json")


@pytest.fixture
def meeting(oct_officer, usg) -> Meeting:
    return meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=D(2026, 10, 20),
        place="New York",
    )


@pytest.fixture
def held(meeting, oct_officer) -> Meeting:
    return meeting_act(meeting=meeting, action="hold", actor=oct_officer)


@pytest.fixture
def policy_item(held, oct_officer, roster) -> AgendaItem:
    return agenda_item_add(
        meeting=held, actor=oct_officer, kind="policy-briefing", title="New GA resolution", presenter=roster.unoct
    )


@pytest.fixture
def group_point(held, oct_officer, roster) -> ActionPoint:
    return action_point_add(
        meeting=held,
        actor=oct_officer,
        text="Circulate the guidance.",
        due_on=D(2026, 11, 10),
        owner_group=roster.group,
    )


@pytest.fixture
def entity_point(held, oct_officer, roster) -> ActionPoint:
    return action_point_add(
        meeting=held, actor=oct_officer, text="Share the toolkit.", due_on=D(2026, 11, 20), owner_entity=roster.unesco
    )


# --- Anonymous callers and the schema -----------------------------------------------------------------

ENDPOINTS = [
    ("get", MEETINGS),
    ("post", MEETINGS),
    ("get", f"{MEETINGS}1/"),
    ("patch", f"{MEETINGS}1/"),
    ("post", f"{MEETINGS}1/transitions/"),
    ("put", f"{MEETINGS}1/minutes/"),
    ("post", f"{MEETINGS}1/agenda/"),
    ("post", f"{MEETINGS}1/agenda/build/"),
    ("post", f"{MEETINGS}1/attendance/"),
    ("delete", f"{MEETINGS}1/attendance/1/"),
    ("post", f"{MEETINGS}1/decisions/"),
    ("post", f"{MEETINGS}1/action-points/"),
    ("post", f"{MEETINGS}1/briefing-pack/"),
    ("patch", f"{ITEMS}1/"),
    ("delete", f"{ITEMS}1/"),
    ("post", f"{ITEMS}1/move/"),
    ("post", f"{ITEMS}1/cascade/"),
    ("get", POINTS),
    ("get", f"{POINTS}1/"),
    ("post", f"{POINTS}1/transitions/"),
    ("get", CASCADE),
    ("get", f"{CASCADE}1/"),
    ("get", f"{CASCADE}groups/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_refused(roster, api_for, method, path):
    api = api_for(None)
    response = api.get(path) if method == "get" else getattr(api, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_documents_every_committee_endpoint(roster, outsider, api_for):
    schema = api_for(outsider).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/committee-meetings/"]) == {"get", "post"}
    assert set(paths["/api/v1/committee-meetings/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/committee-meetings/{id}/transitions/"]["post"]["responses"]) >= {"200", "404", "409"}
    assert set(paths["/api/v1/committee-meetings/{id}/attendance/{attendance_pk}/"]) == {"delete"}
    assert set(paths["/api/v1/committee-agenda-items/{id}/"]) == {"patch", "delete"}
    assert set(paths["/api/v1/committee-action-points/{id}/transitions/"]["post"]["responses"]) >= {"200", "409"}
    assert "/api/v1/committee-cascade-briefings/groups/" in paths
    enums = schema["components"]["schemas"]
    assert enums["MeetingActionEnum"]["enum"] == ["hold", "approve_minutes", "cancel"]
    assert enums["ActionPointActionEnum"]["enum"] == ["mark_done", "drop", "reopen"]


def schema_warnings(urlconf: str) -> tuple[dict, dict]:
    """drf-spectacular's warnings and errors for the routes of ``urlconf`` (under /api/v1/,
    with the project's enum overrides), the schema validated against OpenAPI 3."""
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(urlconf))]).get_schema(request=None, public=True)
    validate_schema(schema)
    found = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    return found


def test_the_committee_schema_generates_without_warnings(roster):
    assert schema_warnings("reporting.committee.api_urls") == ({}, {})


# --- Reading meetings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS + NOT_READERS)
def test_the_committee_and_oct_read_meetings_and_no_one_else(request, api_for, meeting, persona):
    api = api_for(request.getfixturevalue(persona))
    listing = api.get(MEETINGS)
    detail = api.get(f"{MEETINGS}{meeting.pk}/")
    if persona in READERS:
        assert ids(listing) == [meeting.pk]
        assert detail.status_code == 200
        assert detail.json()["chair"]["username"] == "usg"
        assert detail.json()["where"] == "New York"
    else:
        assert ids(listing) == []
        assert detail.status_code == 404


def test_a_missing_meeting_is_a_404(api_for, oct_officer):
    assert api_for(oct_officer).get(f"{MEETINGS}999/").status_code == 404


def test_only_oct_is_offered_moves(api_for, meeting, oct_officer, committee_member):
    assert api_for(oct_officer).get(f"{MEETINGS}{meeting.pk}/").json()["available_actions"] == [
        {"action": "hold", "label": "Mark as held"},
        {"action": "cancel", "label": "Cancel the meeting"},
    ]
    assert api_for(committee_member).get(MEETINGS).json()["results"][0]["available_actions"] == []


def test_meetings_filter_by_state_and_dates(api_for, oct_officer, meeting, held):
    other = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=D(2027, 1, 15),
        is_virtual=True,
        join_url="https://meet.example.org/committee",
    )
    api = api_for(oct_officer)
    assert ids(api.get(MEETINGS, {"state": "planned"})) == [other.pk]
    assert ids(api.get(MEETINGS, {"state": "held"})) == [held.pk]
    assert ids(api.get(MEETINGS, {"date_after": "2026-10-21"})) == [other.pk]
    assert ids(api.get(MEETINGS, {"date_after": "2026-10-20", "date_before": "2027-01-15"})) == [held.pk]
    assert api.get(MEETINGS, {"state": "adjourned"}).status_code == 400
    assert api.get(MEETINGS, {"date_after": "soon"}).status_code == 400


# --- OCT alone writes -------------------------------------------------------------------------------


def _writes(meeting: Meeting, item: AgendaItem, row: Attendance, period_id: int) -> list[tuple[str, str, dict]]:
    m = f"{MEETINGS}{meeting.pk}/"
    return [
        ("post", MEETINGS, {"date": "2026-12-01", "place": "Geneva"}),
        ("patch", m, {"place": "Vienna"}),
        ("post", f"{m}transitions/", {"action": "approve_minutes"}),
        ("put", f"{m}minutes/", {"minutes": "Leaked?", "classification": "unclassified"}),
        ("post", f"{m}agenda/", {"kind": "other", "title": "AOB"}),
        ("post", f"{m}agenda/build/", {"period": period_id}),
        ("post", f"{m}attendance/", {"entity": "OHCHR", "person_name": "Someone"}),
        ("delete", f"{m}attendance/{row.pk}/", {}),
        ("post", f"{m}decisions/", {"text": "Decided."}),
        ("post", f"{m}action-points/", {"text": "Do it.", "due_on": "2026-12-01", "owner_entity": "CTED"}),
        ("patch", f"{ITEMS}{item.pk}/", {"title": "Renamed"}),
        ("delete", f"{ITEMS}{item.pk}/", {}),
        ("post", f"{ITEMS}{item.pk}/move/", {"direction": "up"}),
    ]


@pytest.mark.parametrize("persona", NOT_OCT)
def test_every_write_is_octs_alone(request, api_for, held, oct_officer, roster, briefing_period, persona):
    item = agenda_item_add(meeting=held, actor=oct_officer, kind="other", title="AOB")
    row = attendance_set(meeting=held, entity=roster.cted, actor=oct_officer, person_name="A. Delegate")
    before = audits()
    api = api_for(request.getfixturevalue(persona))
    for method, url, body in _writes(held, item, row, briefing_period.pk):
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 404, (url, response.status_code)
    held.refresh_from_db()
    assert (held.state, held.place, held.minutes) == ("held", "New York", "")
    assert AgendaItem.objects.get(pk=item.pk).title == "AOB"
    assert Attendance.objects.filter(pk=row.pk).exists() and Meeting.objects.count() == 1
    assert not Decision.objects.exists() and not ActionPoint.objects.exists()
    assert audits() == before


def test_oct_prepares_and_records_a_meeting_through_the_api(
    api_for, oct_officer, usg, briefing_period, roster, chair, committee_member
):
    accept(briefing_period.submissions.get(working_group=roster.group), chair, oct_officer)
    api = api_for(oct_officer)
    created = post(
        api,
        MEETINGS,
        {
            "date": "2026-10-20",
            "start_time": "10:00",
            "end_time": "12:00",
            "is_virtual": True,
            "join_url": "https://meet.example.org/cc",
        },
    )
    assert created.status_code == 201, created.json()
    meeting = created.json()
    m = f"{MEETINGS}{meeting['id']}/"
    assert meeting["chair"]["id"] == usg.pk and meeting["state"] == "planned" and meeting["where"] == "Virtual"
    changed = api.patch(m, {"place": "Geneva", "quorum_note": "Quorum reached."}, format="json")
    assert changed.status_code == 200 and changed.json()["place"] == "Geneva"
    assert changed.json()["date"] == "2026-10-20"  # left out: kept

    built = post(api, f"{m}agenda/build/", {"period": briefing_period.pk})
    assert built.status_code == 200 and built.json()["added"] == 1
    assert post(api, f"{m}agenda/build/", {"period": briefing_period.pk}).json()["added"] == 0
    added = post(api, f"{m}agenda/", {"kind": "policy-briefing", "title": "New GA resolution", "presenter": "unoct"})
    assert added.status_code == 201
    agenda = added.json()["agenda"]
    assert [(row["position"], row["kind"]) for row in agenda] == [(1, "wg-briefing"), (2, "policy-briefing")]
    assert agenda[1]["presenter"]["acronym"] == "UNOCT"
    assert agenda[0]["presenter"]["acronym"] == "OHCHR"  # WG 7's chair presents its briefing
    policy_id = agenda[1]["id"]
    moved = post(api, f"{ITEMS}{policy_id}/move/", {"direction": "up"})
    assert [row["id"] for row in moved.json()["agenda"]] == [policy_id, agenda[0]["id"]]
    renamed = api.patch(f"{ITEMS}{policy_id}/", {"title": "GA resolution 79/1", "presenter": "CTED"}, format="json")
    assert renamed.json()["agenda"][0]["title"] == "GA resolution 79/1"
    other = post(api, f"{m}agenda/", {"kind": "other", "title": "AOB"}).json()["agenda"][-1]["id"]
    assert [row["id"] for row in api.delete(f"{ITEMS}{other}/").json()["agenda"]] == [policy_id, agenda[0]["id"]]

    present = post(api, f"{m}attendance/", {"entity": "CTED", "person": committee_member.pk})
    assert present.json()["attendance"][0]["present"] == "Cted Tester"
    post(api, f"{m}attendance/", {"entity": "OHCHR", "person_name": "A. Delegate"})
    row = next(r for r in api.get(m).json()["attendance"] if r["entity"]["acronym"] == "OHCHR")
    assert [r["entity"]["acronym"] for r in api.delete(f"{m}attendance/{row['id']}/").json()["attendance"]] == ["CTED"]

    assert post(api, f"{m}transitions/", {"action": "hold"}).json()["state"] == "held"
    decision = post(api, f"{m}decisions/", {"text": "Adopt the programme."})
    assert decision.status_code == 201 and decision.json()["decisions"] == [
        {"id": Decision.objects.get().pk, "number": 1, "text": "Adopt the programme."}
    ]
    point = post(
        api, f"{m}action-points/", {"text": "Circulate it.", "owner_group": roster.group.pk, "due_on": "2026-11-10"}
    )
    assert point.status_code == 201 and point.json()["owner_group"]["number"] == 7
    assert point.json()["available_actions"] == [
        {"action": "mark_done", "label": "Mark done"},
        {"action": "drop", "label": "Drop"},
    ]
    minutes = api.put(
        f"{m}minutes/", {"minutes": "The Committee met.", "classification": "unclassified"}, format="json"
    )
    assert minutes.status_code == 200 and minutes.json()["minutes"] == "The Committee met."
    approved = post(api, f"{m}transitions/", {"action": "approve_minutes"})
    assert approved.json()["state"] == "minutes-approved" and approved.json()["available_actions"] == []
    verbs = set(AuditEvent.objects.filter(verb__startswith="committee.").values_list("verb", flat=True))
    assert verbs >= {
        "committee.meeting_created",
        "committee.meeting_updated",
        "committee.agenda_built",
        "committee.agenda_item_added",
        "committee.agenda_item_moved",
        "committee.agenda_item_updated",
        "committee.agenda_item_removed",
        "committee.attendance_set",
        "committee.attendance_removed",
        "committee.meeting_hold",
        "committee.decision_added",
        "committee.action_point_added",
        "committee.minutes_saved",
        "committee.meeting_approve_minutes",
    }
    # The record is closed: changes are refused with a message, nothing saved.
    closed = api.patch(m, {"place": "Vienna"}, format="json")
    assert closed.status_code == 400 and "approved" in closed.json()["non_field_errors"][0]
    assert Meeting.objects.get().place == "Geneva"


# --- The meeting's workflow -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(Meeting.State.values, MEETING_TRANSITIONS.actions()))
)
def test_meeting_moves_follow_the_table_through_the_api(api_for, meeting, oct_officer, state, action):
    Meeting.objects.filter(pk=meeting.pk).update(state=state, minutes="Met and agreed.")
    response = post(api_for(oct_officer), f"{MEETINGS}{meeting.pk}/transitions/", {"action": action})
    meeting.refresh_from_db()
    if state in MEETING_TRANSITIONS.get(action).sources:
        assert response.status_code == 200
        assert meeting.state == MEETING_TRANSITIONS.get(action).target == response.json()["state"]
    else:
        assert response.status_code == 409
        body = response.json()
        assert body["state"] == state == meeting.state
        assert body["available_actions"] == [t.action for t in MEETING_TRANSITIONS.available(state, by="oct")]
        assert "is not possible while the meeting is" in body["detail"]


def test_unwritten_minutes_cannot_be_approved(api_for, held, oct_officer):
    response = post(api_for(oct_officer), f"{MEETINGS}{held.pk}/transitions/", {"action": "approve_minutes"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Write the minutes before approving them."]}
    assert Meeting.objects.get().state == "held"


def test_an_unknown_move_is_a_400(api_for, meeting, oct_officer):
    response = post(api_for(oct_officer), f"{MEETINGS}{meeting.pk}/transitions/", {"action": "adjourn"})
    assert response.status_code == 400 and "action" in response.json()


def test_an_officer_below_the_minutes_clearance_cannot_approve_them(api_for, held, oct_officer):
    minutes_save(meeting=held, actor=oct_officer, minutes="Strictly.", classification="strictly-confidential")
    junior = oct_person("junior", Classification.UNCLASSIFIED)
    assert post(api_for(junior), f"{MEETINGS}{held.pk}/transitions/", {"action": "approve_minutes"}).status_code == 404
    assert Meeting.objects.get().state == "held"


# --- Refused input leaves nothing half-saved ------------------------------------------------------------------


def test_a_meeting_without_a_place_is_refused(api_for, oct_officer):
    body = {"date": "2026-12-01", "start_time": "10:00", "end_time": "12:00", "place": "  "}
    response = post(api_for(oct_officer), MEETINGS, body)
    assert response.status_code == 400
    assert response.json() == {"place": ["Give the place, or mark the meeting as virtual."]}
    assert not Meeting.objects.exists() and audits() == 0


def test_bad_meeting_fields_are_named(api_for, oct_officer):
    response = post(api_for(oct_officer), MEETINGS, {"date": "someday", "chair": 99999})
    assert response.status_code == 400 and set(response.json()) == {"date", "chair"}
    assert not Meeting.objects.exists()


def test_an_action_point_with_two_owners_saves_nothing(api_for, held, oct_officer, roster):
    body = {"text": "x", "owner_group": roster.group.pk, "owner_entity": "CTED", "due_on": "2026-11-10"}
    before = audits()
    response = post(api_for(oct_officer), f"{MEETINGS}{held.pk}/action-points/", body)
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["An action point is owned by one entity or one working group, not both."]
    }
    assert not ActionPoint.objects.exists() and audits() == before


def test_minutes_decisions_and_action_points_wait_for_the_meeting(api_for, meeting, oct_officer, roster):
    api = api_for(oct_officer)
    m = f"{MEETINGS}{meeting.pk}/"
    minutes = api.put(f"{m}minutes/", {"minutes": "Too early.", "classification": "unclassified"}, format="json")
    assert minutes.status_code == 400 and "held" in minutes.json()["non_field_errors"][0]
    assert post(api, f"{m}decisions/", {"text": "Too early."}).status_code == 400
    point = {"text": "x", "owner_entity": "CTED", "due_on": "2026-11-10"}
    assert post(api, f"{m}action-points/", point).status_code == 400
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not Decision.objects.exists() and not ActionPoint.objects.exists()


def test_agenda_input_errors_are_named_and_save_nothing(api_for, meeting, oct_officer, report_period):
    api = api_for(oct_officer)
    m = f"{MEETINGS}{meeting.pk}/"
    no_presenter = post(api, f"{m}agenda/", {"kind": "policy-briefing", "title": "Who presents?"})
    assert no_presenter.status_code == 400 and "presenter" in no_presenter.json()
    by_hand = post(api, f"{m}agenda/", {"kind": "wg-briefing", "title": "By hand"})
    assert by_hand.status_code == 400 and "kind" in by_hand.json()
    unknown = post(api, f"{m}agenda/", {"kind": "policy-briefing", "title": "x", "presenter": "NOPE"})
    assert unknown.status_code == 400 and "presenter" in unknown.json()
    wrong_period = post(api, f"{m}agenda/build/", {"period": report_period.pk})
    assert wrong_period.status_code == 400
    assert wrong_period.json() == {"period": ["Choose a quarterly-briefing period."]}
    assert not AgendaItem.objects.exists()


def test_an_item_with_cascade_records_stays(api_for, policy_item, chair, roster, oct_officer):
    cascade_record(item=policy_item, group=roster.group, briefed_on=D(2026, 10, 25), note="", actor=chair)
    response = api_for(oct_officer).delete(f"{ITEMS}{policy_item.pk}/")
    assert response.status_code == 400 and "stays" in response.json()["non_field_errors"][0]
    assert AgendaItem.objects.filter(pk=policy_item.pk).exists()


def test_attendance_needs_someone_and_minutes_stay_within_clearance(api_for, held, oct_officer, roster):
    api = api_for(oct_officer)
    nobody = post(api, f"{MEETINGS}{held.pk}/attendance/", {"entity": "CTED"})
    assert nobody.status_code == 400 and "person_name" in nobody.json()
    assert not Attendance.objects.exists()
    junior = oct_person("junior", Classification.UNCLASSIFIED)
    too_high = api_for(junior).put(
        f"{MEETINGS}{held.pk}/minutes/", {"minutes": "x", "classification": "confidential"}, format="json"
    )
    assert too_high.status_code == 400 and "classification" in too_high.json()
    assert Meeting.objects.get().minutes == ""


def test_a_missing_attendance_row_or_item_is_a_404(api_for, held, oct_officer):
    api = api_for(oct_officer)
    assert api.delete(f"{MEETINGS}{held.pk}/attendance/999/").status_code == 404
    assert api.delete(f"{ITEMS}999/").status_code == 404


# --- Minutes and briefings within what the reader may read ----------------------------------------------------


def test_draft_minutes_are_octs_and_approved_ones_respect_clearance(
    api_for, held, oct_officer, usg, committee_member, chair
):
    minutes_save(meeting=held, actor=oct_officer, minutes="Secret deliberations.", classification="confidential")
    url = f"{MEETINGS}{held.pk}/"

    def minutes_of(user) -> tuple:
        body = api_for(user).get(url).json()
        return body["minutes_readable"], body["minutes"], body["minutes_classification"]

    assert minutes_of(oct_officer) == (True, "Secret deliberations.", "confidential")
    assert minutes_of(committee_member) == (False, None, None)  # a draft: OCT's alone
    assert minutes_of(usg) == (False, None, None)
    meeting_act(meeting=held, action="approve_minutes", actor=oct_officer)
    assert minutes_of(committee_member) == (True, "Secret deliberations.", "confidential")
    assert minutes_of(usg) == (True, "Secret deliberations.", "confidential")
    assert minutes_of(chair) == (False, None, None)  # unclassified clearance
    assert minutes_of(oct_person("junior", Classification.UNCLASSIFIED)) == (False, None, None)
    assert "Secret deliberations." not in api_for(chair).get(url).content.decode()
    assert "Secret deliberations." not in api_for(chair).get(MEETINGS).content.decode()


def test_briefings_are_linked_only_for_readers_who_may_read_them(
    api_for, meeting, briefing_period, roster, chair, oct_officer, committee_member
):
    submission = briefing_period.submissions.get(working_group=roster.group)
    accept(submission, chair, oct_officer)
    post(api_for(oct_officer), f"{MEETINGS}{meeting.pk}/agenda/build/", {"period": briefing_period.pk})
    url = f"{MEETINGS}{meeting.pk}/"
    assert api_for(committee_member).get(url).json()["agenda"][0]["submission"] == submission.pk
    submission_act(submission=submission, action="reopen", actor=oct_officer, comment="Fix the figures.")
    assert api_for(committee_member).get(url).json()["agenda"][0]["submission"] is None
    assert api_for(chair).get(url).json()["agenda"][0]["submission"] == submission.pk  # their own group's


# --- Action points -----------------------------------------------------------------------------------------


@pytest.fixture
def early_november(time_machine):
    time_machine.move_to("2026-11-01 12:00Z", tick=False)


@pytest.mark.usefixtures("early_november")
def test_action_points_are_read_by_the_committee_and_their_owners(
    api_for, group_point, entity_point, oct_officer, usg, committee_member, chair, focal_point, outsider
):
    for reader in (oct_officer, usg, committee_member, chair):
        assert ids(api_for(reader).get(POINTS)) == [group_point.pk, entity_point.pk]
    # A focal point outside the Committee reads their entity's open point, nothing else.
    assert ids(api_for(focal_point).get(POINTS)) == [entity_point.pk]
    assert api_for(focal_point).get(f"{POINTS}{entity_point.pk}/").status_code == 200
    assert api_for(focal_point).get(f"{POINTS}{group_point.pk}/").status_code == 404
    assert ids(api_for(outsider).get(POINTS)) == []
    assert api_for(outsider).get(f"{POINTS}{entity_point.pk}/").status_code == 404


def test_action_points_filter_by_status_owner_mine_and_overdue(
    api_for, group_point, entity_point, oct_officer, chair, time_machine
):
    time_machine.move_to("2026-11-12 12:00Z", tick=False)  # the group's point is late, the entity's not
    api = api_for(oct_officer)
    assert ids(api.get(POINTS, {"overdue": "true"})) == [group_point.pk]
    assert ids(api.get(POINTS, {"overdue": "false"})) == [entity_point.pk]
    assert api.get(f"{POINTS}{group_point.pk}/").json()["overdue"] is True
    assert ids(api.get(POINTS, {"owner_entity": "unesco"})) == [entity_point.pk]
    assert ids(api.get(POINTS, {"owner_group": group_point.owner_group_id})) == [group_point.pk]
    assert ids(api.get(POINTS, {"meeting": group_point.meeting_id})) == [group_point.pk, entity_point.pk]
    assert ids(api_for(chair).get(POINTS, {"mine": "true"})) == [group_point.pk]
    assert ids(api.get(POINTS, {"mine": "true"})) == []
    post(api_for(chair), f"{POINTS}{group_point.pk}/transitions/", {"action": "mark_done"})
    assert ids(api.get(POINTS, {"status": "done"})) == [group_point.pk]
    assert ids(api.get(POINTS, {"status": "open"})) == [entity_point.pk]
    assert ids(api.get(POINTS, {"overdue": "true"})) == []
    assert api.get(POINTS, {"status": "finished"}).status_code == 400


@pytest.mark.parametrize("leader", ["chair", "vice_chair"])
def test_the_groups_leaders_mark_its_action_point_done(request, api_for, group_point, leader):
    person = request.getfixturevalue(leader)
    api = api_for(person)
    assert api.get(f"{POINTS}{group_point.pk}/").json()["available_actions"] == [
        {"action": "mark_done", "label": "Mark done"}
    ]
    response = post(api, f"{POINTS}{group_point.pk}/transitions/", {"action": "mark_done"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done" and response.json()["done_by"]["id"] == person.pk
    assert response.json()["available_actions"] == []
    assert AuditEvent.objects.filter(verb="committee.action_point_mark_done", actor=person).count() == 1
    again = post(api, f"{POINTS}{group_point.pk}/transitions/", {"action": "mark_done"})
    assert again.status_code == 409 and again.json()["status"] == "done" and again.json()["available_actions"] == []


def test_the_entitys_focal_point_marks_its_action_point_done(api_for, entity_point, focal_point, oct_officer):
    response = post(api_for(focal_point), f"{POINTS}{entity_point.pk}/transitions/", {"action": "mark_done"})
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["done_by"]["id"] == focal_point.pk
    entity_point.refresh_from_db()
    assert entity_point.status == "done" and entity_point.done_at is not None
    # Closed, it stays in the owner's list (their record) but leaves "mine" (what is still to
    # do); OCT reopens it and it is to do again.
    assert ids(api_for(focal_point).get(POINTS)) == [entity_point.pk]
    assert ids(api_for(focal_point).get(POINTS, {"mine": "true"})) == []
    assert (
        post(api_for(oct_officer), f"{POINTS}{entity_point.pk}/transitions/", {"action": "reopen"}).status_code == 200
    )
    assert ids(api_for(focal_point).get(POINTS, {"mine": "true"})) == [entity_point.pk]


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("focal_point", "mark_done"),  # another owner's point: hidden
        ("committee_member", "mark_done"),  # reads it, does not own it
        ("usg", "mark_done"),
        ("chair", "drop"),  # owners mark done; only OCT drops
        ("vice_chair", "drop"),
        ("outsider", "mark_done"),
    ],
)
def test_others_cannot_move_an_action_point(request, api_for, group_point, persona, action):
    response = post(
        api_for(request.getfixturevalue(persona)), f"{POINTS}{group_point.pk}/transitions/", {"action": action}
    )
    assert response.status_code == 404
    group_point.refresh_from_db()
    assert group_point.status == "open" and group_point.done_by is None


def test_a_focal_point_cannot_drop_their_own_point(api_for, entity_point, focal_point):
    response = post(api_for(focal_point), f"{POINTS}{entity_point.pk}/transitions/", {"action": "drop"})
    assert response.status_code == 404
    assert ActionPoint.objects.get(pk=entity_point.pk).status == "open"


@pytest.mark.parametrize(
    ("status", "action"), list(itertools.product(ActionPoint.Status.values, ACTION_TRANSITIONS.actions()))
)
def test_action_point_moves_follow_the_table_through_the_api(api_for, group_point, oct_officer, status, action):
    ActionPoint.objects.filter(pk=group_point.pk).update(status=status)
    response = post(api_for(oct_officer), f"{POINTS}{group_point.pk}/transitions/", {"action": action})
    group_point.refresh_from_db()
    if status in ACTION_TRANSITIONS.get(action).sources:
        assert response.status_code == 200
        assert group_point.status == ACTION_TRANSITIONS.get(action).target == response.json()["status"]
    else:
        assert response.status_code == 409
        assert response.json()["status"] == status == group_point.status
        assert "is not possible while the action point is" in response.json()["detail"]


# --- The cascade (V.15) -------------------------------------------------------------------------------


def test_a_committee_member_records_briefing_their_group_once(api_for, policy_item, chair, roster):
    api = api_for(chair)
    assert [g["number"] for g in api.get(f"{CASCADE}groups/").json()] == [7]
    body = {"group": roster.group.pk, "briefed_on": "2026-10-25", "note": "At our meeting."}
    created = post(api, f"{ITEMS}{policy_item.pk}/cascade/", body)
    assert created.status_code == 201, created.json()
    assert created.json()["working_group"]["number"] == 7 and created.json()["recorded_by"]["id"] == chair.pk
    again = post(api, f"{ITEMS}{policy_item.pk}/cascade/", body)
    assert again.status_code == 400
    assert again.json() == {"group": ["This group's briefing on this item is recorded already."]}
    early = post(api, f"{ITEMS}{policy_item.pk}/cascade/", {**body, "briefed_on": "2026-10-01"})
    assert early.status_code == 400 and "briefed_on" in early.json()
    other = post(api, f"{ITEMS}{policy_item.pk}/cascade/", {**body, "group": roster.other_group.pk})
    assert other.status_code == 400 and "group" in other.json()
    assert CascadeBriefing.objects.count() == 1
    meeting_view = api.get(f"{MEETINGS}{policy_item.meeting_id}/").json()["agenda"][0]
    assert meeting_view["may_record_cascade"] is True and meeting_view["cascade"][0]["note"] == "At our meeting."


@pytest.mark.parametrize("persona", ["focal_point", "outsider"])
def test_people_outside_the_committee_cannot_record_the_cascade(request, api_for, policy_item, roster, persona):
    body = {"group": roster.group.pk, "briefed_on": "2026-10-25"}
    api = api_for(request.getfixturevalue(persona))
    assert post(api, f"{ITEMS}{policy_item.pk}/cascade/", body).status_code == 404
    assert api.get(f"{CASCADE}groups/").json() == []
    assert not CascadeBriefing.objects.exists()


def test_the_cascade_is_for_policy_items_of_held_meetings(api_for, meeting, held, oct_officer, chair, roster):
    other = agenda_item_add(meeting=held, actor=oct_officer, kind="other", title="AOB")
    body = {"group": roster.group.pk, "briefed_on": "2026-10-25"}
    assert post(api_for(chair), f"{ITEMS}{other.pk}/cascade/", body).status_code == 404
    planned = meeting_create(
        start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=D(2026, 12, 1), place="Geneva"
    )
    item = agenda_item_add(meeting=planned, actor=oct_officer, kind="policy-briefing", title="x", presenter=roster.cted)
    assert post(api_for(chair), f"{ITEMS}{item.pk}/cascade/", {**body, "briefed_on": "2026-12-02"}).status_code == 404
    assert not CascadeBriefing.objects.exists()


@pytest.mark.parametrize("persona", READERS + NOT_READERS)
def test_cascade_records_are_read_with_the_meetings(request, api_for, policy_item, chair, roster, persona):
    cascade = cascade_record(item=policy_item, group=roster.group, briefed_on=D(2026, 10, 25), note="", actor=chair)
    api = api_for(request.getfixturevalue(persona))
    if persona in READERS:
        assert ids(api.get(CASCADE)) == [cascade.pk]
        assert ids(api.get(CASCADE, {"meeting": policy_item.meeting_id, "working_group": roster.group.pk})) == [
            cascade.pk
        ]
        assert ids(api.get(CASCADE, {"working_group": roster.other_group.pk})) == []
        assert api.get(f"{CASCADE}{cascade.pk}/").json()["agenda_item"] == policy_item.pk
    else:
        assert ids(api.get(CASCADE)) == []
        assert api.get(f"{CASCADE}{cascade.pk}/").status_code == 404


# --- The briefing pack ----------------------------------------------------------------------------


def test_oct_asks_for_the_briefing_pack_and_the_committee_reads_it_once_generated(
    api_for, client_for, meeting, oct_officer, committee_member, chair, focal_point
):
    from reporting.compiled.editions import edition_render
    from reporting.compiled.models import ReportEdition

    url = f"{MEETINGS}{meeting.pk}/briefing-pack/"
    empty = post(api_for(oct_officer), url)
    assert empty.status_code == 400 and "agenda is empty" in str(empty.json())
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    for person in (committee_member, chair, focal_point):
        assert post(api_for(person), url).status_code == 404
    assert not ReportEdition.objects.exists()
    queued = post(api_for(oct_officer), url)
    assert queued.status_code == 202
    assert (queued.json()["number"], queued.json()["status"], queued.json()["download_url"]) == (1, "queued", None)
    assert post(api_for(oct_officer), url).status_code == 400  # one at a time
    detail = f"{MEETINGS}{meeting.pk}/"
    assert len(api_for(oct_officer).get(detail).json()["briefing_packs"]) == 1
    assert api_for(committee_member).get(detail).json()["briefing_packs"] == []  # not generated yet
    edition_render(edition_id=queued.json()["id"])
    packs = api_for(committee_member).get(detail).json()["briefing_packs"]
    assert [pack["status"] for pack in packs] == ["done"]
    download = client_for(committee_member).get(packs[0]["download_url"])  # the same download as the page
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
