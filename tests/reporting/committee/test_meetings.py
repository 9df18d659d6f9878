"""Coordination Committee meetings: the agenda built from the groups' briefings, the meeting's
workflow, attendance, minutes, decisions, action points (owners, reminders and escalation
exactly once), the cascade of policy briefings (V.15), and who may see every page."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from compact.core.models import AuditEvent, Classification, OutboundEmail
from compact.lib.workflow import TransitionNotAllowedError
from reporting.committee.chasing import action_points_chase
from reporting.committee.models import ActionPoint, AgendaItem, Attendance, CascadeBriefing, Meeting
from reporting.committee.selectors import open_action_points_for
from reporting.committee.services import (
    action_point_act,
    action_point_add,
    agenda_build_from_briefings,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    attendance_set,
    cascade_record,
    decision_add,
    meeting_act,
    meeting_create,
    minutes_save,
)
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS
from reporting.submissions.services import submission_act, submission_save_draft

pytestmark = pytest.mark.django_db
D = datetime.date


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


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
        meeting=held, actor=oct_officer, text="Share the toolkit.", due_on=D(2026, 11, 10), owner_entity=roster.unesco
    )


def audited(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- Meetings and their workflow ----------------------------------------------------------------------


def test_a_meeting_is_chaired_by_the_usg_by_default_and_audited(meeting, usg):
    assert meeting.chair == usg
    assert meeting.state == Meeting.State.PLANNED
    assert audited("committee.meeting_created") == 1


def test_a_meeting_needs_a_place_unless_virtual(oct_officer):
    with pytest.raises(ValidationError):
        meeting_create(
            start_time=datetime.time(10), end_time=datetime.time(12), actor=oct_officer, date=D(2026, 10, 20), place=" "
        )
    assert (
        meeting_create(
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            actor=oct_officer,
            date=D(2026, 10, 20),
            is_virtual=True,
            join_url="https://meet.example.org/committee",
        ).where
        == "Virtual"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(date=D(2026, 1, 1), place="")


def test_only_oct_creates_meetings(committee_member, chair):
    for person in (committee_member, chair):
        with pytest.raises(PermissionDenied):
            meeting_create(
                start_time=datetime.time(10),
                end_time=datetime.time(12),
                actor=person,
                date=D(2026, 10, 20),
                place="Geneva",
            )


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(Meeting.State.values, MEETING_TRANSITIONS.actions()))
)
def test_meeting_transitions_follow_the_table_exhaustively(meeting, oct_officer, state, action):
    Meeting.objects.filter(pk=meeting.pk).update(state=state, minutes="Met and agreed.")
    meeting.refresh_from_db()
    allowed = state in MEETING_TRANSITIONS.get(action).sources
    if allowed:
        meeting_act(meeting=meeting, action=action, actor=oct_officer)
        meeting.refresh_from_db()
        assert meeting.state == MEETING_TRANSITIONS.get(action).target
        assert audited(f"committee.meeting_{action}") == 1
    else:
        with pytest.raises(TransitionNotAllowedError):
            meeting_act(meeting=meeting, action=action, actor=oct_officer)
        meeting.refresh_from_db()
        assert meeting.state == state


@pytest.mark.parametrize("action", MEETING_TRANSITIONS.actions())
def test_only_oct_moves_a_meeting(meeting, usg, committee_member, action):
    for person in (usg, committee_member):
        with pytest.raises(PermissionDenied):
            meeting_act(meeting=meeting, action=action, actor=person)


def test_minutes_are_approved_only_once_written(held, oct_officer):
    with pytest.raises(ValidationError):
        meeting_act(meeting=held, action="approve_minutes", actor=oct_officer)
    minutes_save(meeting=held, actor=oct_officer, minutes="The Committee met.", classification="confidential")
    held = meeting_act(meeting=held, action="approve_minutes", actor=oct_officer)
    assert held.state == Meeting.State.MINUTES_APPROVED
    with pytest.raises(ValidationError):
        minutes_save(meeting=held, actor=oct_officer, minutes="Changed.", classification="unclassified")
    assert audited("committee.minutes_saved") == 1


def test_minutes_decisions_and_action_points_wait_for_the_meeting(meeting, oct_officer, roster):
    with pytest.raises(ValidationError):
        minutes_save(meeting=meeting, actor=oct_officer, minutes="Too early.", classification="unclassified")
    with pytest.raises(ValidationError):
        decision_add(meeting=meeting, actor=oct_officer, text="Too early.")
    with pytest.raises(ValidationError):
        action_point_add(meeting=meeting, actor=oct_officer, text="x", due_on=D(2026, 12, 1), owner_group=roster.group)


def test_decisions_are_numbered_within_the_meeting(held, oct_officer):
    first = decision_add(meeting=held, actor=oct_officer, text="Adopt the programme of work.")
    second = decision_add(meeting=held, actor=oct_officer, text="Meet again in January.")
    assert (first.number, second.number) == (1, 2)
    assert audited("committee.decision_added") == 2


def test_attendance_is_one_row_per_entity(meeting, oct_officer, roster, committee_member):
    attendance_set(meeting=meeting, entity=roster.cted, actor=oct_officer, person_name="A. Delegate")
    attendance_set(meeting=meeting, entity=roster.cted, actor=oct_officer, person=committee_member)
    row = Attendance.objects.get(meeting=meeting)
    assert row.person == committee_member and row.present
    with pytest.raises(ValidationError):
        attendance_set(meeting=meeting, entity=roster.ohchr, actor=oct_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, entity=roster.cted, person_name="Someone else")
    assert audited("committee.attendance_set") == 2


# --- The agenda ---------------------------------------------------------------------------------------


def test_the_agenda_takes_only_the_accepted_briefings_of_the_period_once(
    meeting, briefing_period, roster, chair, oct_officer
):
    wg7 = briefing_period.submissions.get(working_group=roster.group)
    accept(wg7, chair, oct_officer)  # WG 2's briefing stays a draft
    assert agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer) == 1
    assert agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer) == 0
    item = meeting.agenda.get()
    assert item.kind == AgendaItem.Kind.WG_BRIEFING
    assert item.submission == wg7
    assert item.presenter == roster.ohchr  # the group's chair
    assert item.position == 1
    assert audited("committee.agenda_built") == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, position=9, kind="wg-briefing", title="again", submission=wg7)


def test_the_agenda_refuses_a_progress_report_period(meeting, report_period, oct_officer):
    with pytest.raises(ValidationError):
        agenda_build_from_briefings(meeting=meeting, period=report_period, actor=oct_officer)


def test_only_oct_builds_the_agenda(meeting, briefing_period, committee_member):
    with pytest.raises(PermissionDenied):
        agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=committee_member)


def test_oct_adds_moves_and_removes_items(meeting, oct_officer, roster):
    policy = agenda_item_add(
        meeting=meeting, actor=oct_officer, kind="policy-briefing", title="New GA resolution", presenter=roster.unoct
    )
    other = agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    with pytest.raises(ValidationError):
        agenda_item_add(meeting=meeting, actor=oct_officer, kind="policy-briefing", title="Who presents?")
    with pytest.raises(ValidationError):
        agenda_item_add(meeting=meeting, actor=oct_officer, kind="wg-briefing", title="By hand")
    agenda_item_move(item=other, actor=oct_officer, direction="up")
    assert list(meeting.agenda.order_by("position").values_list("pk", flat=True)) == [other.pk, policy.pk]
    agenda_item_remove(item=other, actor=oct_officer)
    policy.refresh_from_db()
    assert policy.position == 1
    assert audited("committee.agenda_item_removed") == 1


# --- Action points ------------------------------------------------------------------------------------


def test_an_action_point_has_exactly_one_owner(held, oct_officer, roster):
    with pytest.raises(ValidationError):
        action_point_add(
            meeting=held,
            actor=oct_officer,
            text="x",
            due_on=D(2026, 12, 1),
            owner_group=roster.group,
            owner_entity=roster.cted,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPoint.objects.create(meeting=held, text="nobody's", due_on=D(2026, 12, 1))


def test_the_groups_leaders_mark_its_action_point_done(group_point, vice_chair, chair, committee_member, focal_point):
    for person in (committee_member, focal_point):
        with pytest.raises(PermissionDenied):
            action_point_act(point=group_point, action="mark_done", actor=person)
    with pytest.raises(PermissionDenied):
        action_point_act(point=group_point, action="drop", actor=chair)
    action_point_act(point=group_point, action="mark_done", actor=vice_chair)
    group_point.refresh_from_db()
    assert group_point.status == "done" and group_point.done_by == vice_chair and group_point.done_at
    assert audited("committee.action_point_mark_done") == 1


def test_the_entitys_focal_points_mark_its_action_point_done(entity_point, focal_point, chair, oct_officer):
    with pytest.raises(PermissionDenied):
        action_point_act(point=entity_point, action="mark_done", actor=chair)
    action_point_act(point=entity_point, action="mark_done", actor=focal_point)
    with pytest.raises(TransitionNotAllowedError):
        action_point_act(point=entity_point, action="mark_done", actor=focal_point)
    action_point_act(point=entity_point, action="reopen", actor=oct_officer)
    entity_point.refresh_from_db()
    assert entity_point.status == "open" and entity_point.done_by is None


@pytest.mark.parametrize(
    ("status", "action"), list(itertools.product(ActionPoint.Status.values, ACTION_TRANSITIONS.actions()))
)
def test_action_point_transitions_follow_the_table_exhaustively(group_point, oct_officer, status, action):
    ActionPoint.objects.filter(pk=group_point.pk).update(status=status)
    group_point.refresh_from_db()
    if status in ACTION_TRANSITIONS.get(action).sources:
        action_point_act(point=group_point, action=action, actor=oct_officer)
        group_point.refresh_from_db()
        assert group_point.status == ACTION_TRANSITIONS.get(action).target
    else:
        with pytest.raises(TransitionNotAllowedError):
            action_point_act(point=group_point, action=action, actor=oct_officer)


def test_owners_see_their_open_action_points(group_point, entity_point, chair, focal_point, outsider, oct_officer):
    assert list(open_action_points_for(chair)) == [group_point]
    assert list(open_action_points_for(focal_point)) == [entity_point]
    assert list(open_action_points_for(outsider)) == []
    action_point_act(point=group_point, action="mark_done", actor=chair)
    assert list(open_action_points_for(chair)) == []


def _sent(point: ActionPoint) -> dict[str, set[str]]:
    emails: dict[str, set[str]] = {}
    for email in OutboundEmail.objects.filter(occasion__contains=f":{point.pk}:"):
        emails.setdefault(email.occasion, set()).add(email.recipient)
    return emails


def test_action_points_are_chased_exactly_once_per_offset(group_point, chair, vice_chair, time_machine):
    leaders = {chair.email, vice_chair.email}
    time_machine.move_to(utc(2026, 10, 30, 12), tick=False)
    assert action_points_chase(now=utc(2026, 10, 30, 12)) == 0  # 11 days ahead: nothing yet
    for day, key in [
        (3, "action-reminder:{pk}:2026-11-10:7"),
        (9, "action-reminder:{pk}:2026-11-10:1"),
        (11, "action-escalation:{pk}:2026-11-10:1"),
        (17, "action-escalation:{pk}:2026-11-10:7"),
    ]:
        now = utc(2026, 11, day, 12)
        time_machine.move_to(now, tick=False)
        assert action_points_chase(now=now) == 1
        assert action_points_chase(now=now) == 0  # the second call sends nothing
        expected = leaders | ({settings.OCT_SECRETARIAT_EMAIL} if "escalation" in key else set())
        assert _sent(group_point)[key.format(pk=group_point.pk)] == expected
    assert len(_sent(group_point)) == 4
    email = OutboundEmail.objects.get(
        occasion=f"action-escalation:{group_point.pk}:2026-11-10:7", recipient=chair.email
    )
    assert "Circulate the guidance." in email.body_text and "7 days ago" in email.body_text


def test_a_closed_action_point_is_not_chased(entity_point, focal_point, time_machine):
    action_point_act(point=entity_point, action="mark_done", actor=focal_point)
    now = utc(2026, 11, 12, 12)
    time_machine.move_to(now, tick=False)
    assert action_points_chase(now=now) == 0
    assert not OutboundEmail.objects.filter(occasion__startswith="action-").exists()


def test_an_entitys_action_point_reminds_its_focal_points(entity_point, focal_point, time_machine):
    now = utc(2026, 11, 9, 12)
    time_machine.move_to(now, tick=False)
    assert action_points_chase(now=now) == 1
    assert _sent(entity_point) == {f"action-reminder:{entity_point.pk}:2026-11-10:1": {focal_point.email}}


# --- The cascade (V.15) -------------------------------------------------------------------------------


@pytest.fixture
def policy_item(held, oct_officer, roster) -> AgendaItem:
    return agenda_item_add(
        meeting=held, actor=oct_officer, kind="policy-briefing", title="New GA resolution", presenter=roster.unoct
    )


def test_a_committee_member_records_briefing_their_group_once(policy_item, chair, roster, outsider):
    cascade_record(
        item=policy_item, group=roster.group, briefed_on=D(2026, 10, 25), note="At our meeting.", actor=chair
    )
    with pytest.raises(ValidationError):
        cascade_record(item=policy_item, group=roster.group, briefed_on=D(2026, 10, 26), note="", actor=chair)
    with pytest.raises(ValidationError):
        cascade_record(item=policy_item, group=roster.other_group, briefed_on=D(2026, 10, 26), note="", actor=chair)
    with pytest.raises(PermissionDenied):
        cascade_record(item=policy_item, group=roster.group, briefed_on=D(2026, 10, 26), note="", actor=outsider)
    assert CascadeBriefing.objects.count() == 1
    assert audited("committee.cascade_recorded") == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        CascadeBriefing.objects.create(
            agenda_item=policy_item, working_group=roster.group, briefed_on=D(2026, 11, 1), recorded_by=chair
        )


def test_the_cascade_is_for_policy_items_only(held, oct_officer, chair, roster):
    other = agenda_item_add(meeting=held, actor=oct_officer, kind="other", title="AOB")
    with pytest.raises(PermissionDenied):
        cascade_record(item=other, group=roster.group, briefed_on=D(2026, 10, 25), note="", actor=chair)


# --- Pages ----------------------------------------------------------------------------------------------


READERS = ("oct_officer", "usg", "committee_member", "chair")
NOT_READERS = ("focal_point", "outsider")


@pytest.mark.parametrize("persona", READERS + NOT_READERS)
def test_the_meeting_pages_are_for_the_committee_and_oct(request, client_for, meeting, persona):
    client = client_for(request.getfixturevalue(persona))
    expected = 200 if persona in READERS else 404
    assert client.get(reverse("committee-meetings")).status_code == expected
    assert client.get(reverse("committee-meeting", args=[meeting.pk])).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client_for, meeting):
    response = client_for(None).get(reverse("committee-meeting", args=[meeting.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_missing_meeting_is_a_404(client_for, oct_officer):
    assert client_for(oct_officer).get(reverse("committee-meeting", args=[999])).status_code == 404


def _oct_pages(meeting: Meeting, item: AgendaItem, attendance: Attendance) -> list[tuple[str, str]]:
    return [
        ("get", reverse("committee-meeting-create")),
        ("post", reverse("committee-meeting-create")),
        ("get", reverse("committee-meeting-edit", args=[meeting.pk])),
        ("post", reverse("committee-meeting-act", args=[meeting.pk])),
        ("get", reverse("committee-minutes", args=[meeting.pk])),
        ("post", reverse("committee-agenda-build", args=[meeting.pk])),
        ("post", reverse("committee-item-add", args=[meeting.pk])),
        ("get", reverse("committee-item-edit", args=[item.pk])),
        ("post", reverse("committee-item-remove", args=[item.pk])),
        ("post", reverse("committee-item-move", args=[item.pk])),
        ("post", reverse("committee-attendance-set", args=[meeting.pk])),
        ("post", reverse("committee-attendance-remove", args=[meeting.pk, attendance.pk])),
        ("post", reverse("committee-decision-add", args=[meeting.pk])),
        ("post", reverse("committee-action-add", args=[meeting.pk])),
    ]


@pytest.mark.parametrize("persona", ("usg", "committee_member", "chair", "focal_point", "outsider"))
def test_the_editing_pages_are_octs_alone(request, client_for, held, oct_officer, roster, persona):
    item = agenda_item_add(meeting=held, actor=oct_officer, kind="other", title="AOB")
    row = attendance_set(meeting=held, entity=roster.cted, actor=oct_officer, person_name="A. Delegate")
    client = client_for(request.getfixturevalue(persona))
    for method, url in _oct_pages(held, item, row):
        assert getattr(client, method)(url, {"action": "approve_minutes"}).status_code == 404, url
    assert AgendaItem.objects.filter(pk=item.pk).exists() and Attendance.objects.filter(pk=row.pk).exists()


def test_oct_prepares_a_meeting_through_the_pages(client_for, oct_officer, usg, briefing_period, roster, chair):
    accept(briefing_period.submissions.get(working_group=roster.group), chair, oct_officer)
    client = client_for(oct_officer)
    response = client.post(
        reverse("committee-meeting-create"),
        {
            "date": "2026-10-20",
            "start_time": "10:00",
            "end_time": "12:00",
            "time_zone": "America/New_York",
            "is_virtual": "on",
            "join_details": "Dial +1 212 555 0100, code 4242.",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.chair == usg
    url = reverse("committee-meeting", args=[meeting.pk])
    client.post(reverse("committee-agenda-build", args=[meeting.pk]), {"period": briefing_period.pk})
    client.post(
        reverse("committee-item-add", args=[meeting.pk]),
        {"kind": "policy-briefing", "title": "New GA resolution", "presenter": roster.unoct.pk},
    )
    client.post(
        reverse("committee-attendance-set", args=[meeting.pk]), {"entity": roster.cted.pk, "person_name": "A. Delegate"}
    )
    held = client.post(reverse("committee-meeting-act", args=[meeting.pk]), {"action": "hold"}, follow=True)
    assert "The meeting is now “Held (minutes being written)”." in held.content.decode()
    client.post(reverse("committee-decision-add", args=[meeting.pk]), {"text": "Adopt the programme."})
    client.post(
        reverse("committee-action-add", args=[meeting.pk]),
        {"text": "Circulate it.", "owner_group": roster.group.pk, "due_on": "2026-11-10"},
    )
    client.post(
        reverse("committee-minutes", args=[meeting.pk]),
        {"minutes": "The Committee met.", "classification": "unclassified"},
    )
    client.post(reverse("committee-meeting-act", args=[meeting.pk]), {"action": "approve_minutes"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_APPROVED
    assert meeting.agenda.count() == 2 and meeting.decisions.count() == 1 and meeting.action_points.count() == 1
    page = client.get(url).content.decode()
    assert "Briefing by working group 7" in page and "A. Delegate" in page and "The Committee met." in page


def test_a_form_with_two_owners_comes_back_with_a_message_and_saves_nothing(client_for, held, oct_officer, roster):
    response = client_for(oct_officer).post(
        reverse("committee-action-add", args=[held.pk]),
        {"text": "x", "owner_group": roster.group.pk, "owner_entity": roster.cted.pk, "due_on": "2026-11-10"},
    )
    assert response.status_code == 400
    assert "Choose one owner" in response.content.decode()
    assert not ActionPoint.objects.exists()


def test_draft_minutes_are_octs_and_approved_ones_respect_clearance(
    client_for, held, oct_officer, committee_member, chair
):
    minutes_save(meeting=held, actor=oct_officer, minutes="Secret deliberations.", classification="confidential")
    url = reverse("committee-meeting", args=[held.pk])
    assert "Secret deliberations." in client_for(oct_officer).get(url).content.decode()
    assert "Secret deliberations." not in client_for(committee_member).get(url).content.decode()
    meeting_act(meeting=held, action="approve_minutes", actor=oct_officer)
    assert "Secret deliberations." in client_for(committee_member).get(url).content.decode()
    assert "Secret deliberations." not in client_for(chair).get(url).content.decode()  # unclassified clearance


def test_briefings_are_linked_only_for_readers_who_may_read_them(
    client_for, meeting, briefing_period, roster, chair, oct_officer, committee_member
):
    submission = briefing_period.submissions.get(working_group=roster.group)
    accept(submission, chair, oct_officer)
    agenda_build_from_briefings(meeting=meeting, period=briefing_period, actor=oct_officer)
    link = reverse("reporting-submission", args=[submission.pk])
    assert link in client_for(committee_member).get(reverse("committee-meeting", args=[meeting.pk])).content.decode()
    # Reopened by OCT: no longer accepted, so a Committee member may not read it.
    submission_act(submission=submission, action="reopen", actor=oct_officer, comment="Fix the figures.")
    page = client_for(committee_member).get(reverse("committee-meeting", args=[meeting.pk])).content.decode()
    assert link not in page and "not available to you" in page


def test_owners_mark_done_from_the_page_and_others_get_404(client_for, group_point, chair, focal_point):
    url = reverse("committee-action-act", args=[group_point.pk])
    page = client_for(chair).get(reverse("committee-meeting", args=[group_point.meeting_id])).content.decode()
    assert url in page
    assert client_for(focal_point).post(url, {"action": "mark_done"}).status_code == 404
    assert client_for(chair).post(url, {"action": "drop"}).status_code == 404
    assert client_for(chair).post(url, {"action": "mark_done"}).status_code == 302
    group_point.refresh_from_db()
    assert group_point.status == "done"


def test_committee_members_record_the_cascade_from_the_page(client_for, policy_item, chair, roster, focal_point):
    url = reverse("committee-cascade", args=[policy_item.pk])
    data = {"group": roster.group.pk, "briefed_on": "2026-10-25", "note": "Done."}
    assert client_for(focal_point).post(url, data).status_code == 404
    assert client_for(chair).post(url, data).status_code == 302
    response = client_for(chair).post(url, data)
    assert response.status_code == 400 and "recorded already" in response.content.decode()
    assert CascadeBriefing.objects.count() == 1


def test_oct_edits_a_planned_meeting_and_the_change_is_audited(meeting, oct_officer):
    from reporting.committee.services import meeting_update

    meeting = meeting_update(meeting=meeting, actor=oct_officer, place="Geneva", quorum_note="Quorum reached.")
    assert (meeting.place, meeting.date, meeting.quorum_note) == ("Geneva", D(2026, 10, 20), "Quorum reached.")
    event = AuditEvent.objects.get(verb="committee.meeting_updated")
    assert event.after == {"place": "Geneva", "quorum_note": "Quorum reached."}


def test_a_focal_point_outside_the_committee_closes_their_entitys_point_from_home(
    client_for, entity_point, focal_point, outsider
):
    """UNESCO's focal point reads no meeting, yet owns the action point: it shows on their
    home page with its own button, and closing it brings them back home, not to a 404."""
    client = client_for(focal_point)
    assert client.get(reverse("committee-meeting", args=[entity_point.meeting_id])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    act_url = reverse("committee-action-act", args=[entity_point.pk])
    assert act_url in home
    assert client_for(outsider).post(act_url, {"action": "mark_done"}).status_code == 404
    response = client.post(act_url, {"action": "mark_done"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "The action point is now “Done”." in response.content.decode()
    entity_point.refresh_from_db()
    assert entity_point.status == ActionPoint.Status.DONE
