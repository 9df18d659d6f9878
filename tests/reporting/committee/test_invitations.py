"""Committee meetings people can attend: times in a time zone, a link to join, the e-mailed
invitation with its .ics (exactly once), changes announced with SEQUENCE + 1, the .ics
download and the meeting in the personal calendar feed."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from compact.core.models import OutboundEmail
from compact.core.outbox import email_send_one
from compact.lib.workflow import TransitionNotAllowedError
from reporting.calendar.services import calendar_feed_for
from reporting.committee.models import Meeting
from reporting.committee.services import meeting_act, meeting_create, meeting_update
from reporting.committee.timing import meeting_when

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DAY = D(2027, 4, 12)  # New York keeps summer time (UTC-4)


@pytest.fixture(autouse=True)
def before_the_meeting(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 15, 0, tzinfo=datetime.UTC), tick=False)


def plan(actor, **fields) -> Meeting:
    values = {"date": DAY, "start_time": T(10), "end_time": T(12), "place": "Conference Room 7", **fields}
    return meeting_create(actor=actor, **values)


def emails(occasion_part: str = "") -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(occasion__contains=occasion_part).order_by("recipient"))


def ics_of(email: OutboundEmail) -> icalendar.Calendar:
    (attachment,) = email.attachments
    assert attachment["filename"] == "invitation.ics"
    return icalendar.Calendar.from_ical(attachment["content"])


def event_of(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


# --- Times, zone and link -------------------------------------------------------------------------


def test_a_meeting_reads_with_its_times_and_zone(oct_officer, usg):
    meeting = plan(oct_officer)
    assert meeting.starts_at == datetime.datetime(2027, 4, 12, 10, tzinfo=NEW_YORK)
    assert meeting.ends_at.astimezone(datetime.UTC) == datetime.datetime(2027, 4, 12, 16, tzinfo=datetime.UTC)
    assert meeting.when == "12 April 2027, 10:00–12:00 (New York time, UTC\u22124)"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert meeting.when_for_viewer == "12 April 2027, 23:00–13 April 2027 01:00 (Tokyo time, UTC+9)"
    with timezone.override(NEW_YORK):
        assert meeting.when_for_viewer == ""


def test_a_meeting_recorded_without_times_says_so():
    assert meeting_when(DAY, None, None).in_meeting_zone == "12 April 2027, time not set"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_time": None}, "start_time", "Give the time the meeting starts."),
        ({"end_time": None}, "end_time", "Give the time the meeting ends."),
        ({"end_time": T(10)}, "end_time", "The meeting ends after it starts, on the same day."),
        ({"end_time": T(9)}, "end_time", "The meeting ends after it starts, on the same day."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone by its name"),
        ({"join_url": "http://meet.example.org/cc"}, "join_url", "Give the link to join as a full https:// address."),
        ({"join_url": "javascript:alert(1)"}, "join_url", "Give the link to join as a full https:// address."),
        ({"is_virtual": True, "place": ""}, "join_url", "A virtual meeting needs a link to join, or say how to join."),
    ],
)
def test_bad_times_zone_or_link_are_refused_with_a_message(oct_officer, usg, fields, field, message):
    with pytest.raises(ValidationError) as error:
        plan(oct_officer, **fields)
    assert message in error.value.message_dict[field][0]
    assert not Meeting.objects.exists() and not OutboundEmail.objects.exists()


def test_a_virtual_meeting_may_say_how_to_join_instead_of_a_link(oct_officer, usg):
    meeting = plan(oct_officer, is_virtual=True, place="", join_details="Dial +1 212 555 0100, code 4242")
    assert meeting.where == "Virtual" and meeting.join_details == "Dial +1 212 555 0100, code 4242"


def test_the_database_refuses_an_end_before_the_start(oct_officer, usg):
    meeting = plan(oct_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end_time=T(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end_time=None)


def test_the_zone_defaults_to_the_committees_usual_one(oct_officer, usg):
    assert plan(oct_officer).time_zone == settings.TIME_ZONE
    assert plan(oct_officer, time_zone="Europe/Vienna").starts_at.utcoffset() == datetime.timedelta(hours=2)


# --- The invitation -------------------------------------------------------------------------------


def test_planning_invites_the_committee_and_oct_once_with_an_ics(oct_officer, usg, committee_member, chair, outsider):
    meeting = plan(oct_officer, join_url="https://meet.example.org/cc?id=42")
    invited = {email.recipient for email in emails(f"meeting:{meeting.pk}:invitation:0")}
    assert invited == {usg.email, committee_member.email, chair.email, settings.OCT_SECRETARIAT_EMAIL}
    assert outsider.email not in invited
    email = emails(f"meeting:{meeting.pk}:invitation")[0]
    assert "12 April 2027, 10:00–12:00 (New York time, UTC\u22124)" in email.body_text
    assert "https://meet.example.org/cc?id=42" in email.body_text
    calendar = ics_of(email)
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"committee-meeting-{meeting.pk}@compact-tracker"
    assert event["DTSTART"].dt == datetime.datetime(2027, 4, 12, 10, tzinfo=NEW_YORK)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTEND"].dt == datetime.datetime(2027, 4, 12, 12, tzinfo=NEW_YORK)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["LOCATION"]) == "Conference Room 7"
    assert "https://meet.example.org/cc?id=42" in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]) == f"mailto:{settings.OCT_SECRETARIAT_EMAIL}"
    assert calendar.walk("VTIMEZONE"), "the zone's rules travel with the event"


def test_the_invitation_goes_out_with_the_ics_attached(oct_officer, usg, mailoutbox):
    meeting = plan(oct_officer)
    email = OutboundEmail.objects.get(occasion=f"meeting:{meeting.pk}:invitation:0", recipient=usg.email)
    assert email_send_one(email_id=email.pk) is True
    (message,) = mailoutbox
    part = next(p for p in message.message().walk() if p.get_filename() == "invitation.ics")
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert event_of(icalendar.Calendar.from_ical(part.get_payload(decode=True)))["UID"] == meeting.ical_uid


def test_a_double_run_sends_nothing_twice(oct_officer, usg):
    from reporting.committee.invitations import meeting_change_queue, meeting_invitation_queue

    meeting = plan(oct_officer)
    count = OutboundEmail.objects.count()
    with transaction.atomic():
        meeting_invitation_queue(meeting)
        meeting_change_queue(meeting, before=meeting, changed=["when"])  # sequence 0: the invitation's
    assert OutboundEmail.objects.filter(occasion__contains="invitation").count() == count


def test_a_meeting_recorded_afterwards_invites_nobody(oct_officer, usg):
    plan(oct_officer, date=D(2027, 2, 1))
    assert not OutboundEmail.objects.exists()


# --- Changes --------------------------------------------------------------------------------------


def test_a_change_is_announced_once_with_the_next_sequence(oct_officer, usg, committee_member):
    meeting = plan(oct_officer)
    meeting_update(meeting=meeting, actor=oct_officer, start_time=T(14), end_time=T(16), place="Room 9")
    meeting.refresh_from_db()
    assert meeting.invitation_sequence == 1
    changed = emails(f"meeting:{meeting.pk}:change:1")
    assert {e.recipient for e in changed} == {usg.email, committee_member.email, settings.OCT_SECRETARIAT_EMAIL}
    text = changed[0].body_text
    assert "12 April 2027, 10:00–12:00 (New York time, UTC\u22124) → 12 April 2027, 14:00–16:00" in text
    assert "Conference Room 7 → Room 9" in text
    event = event_of(ics_of(changed[0]))
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == meeting.ical_uid
    assert event["DTSTART"].dt == datetime.datetime(2027, 4, 12, 14, tzinfo=NEW_YORK)

    meeting_update(meeting=meeting, actor=oct_officer, join_url="https://meet.example.org/new")
    meeting.refresh_from_db()
    assert meeting.invitation_sequence == 2
    assert len(emails(f"meeting:{meeting.pk}:change:2")) == 3
    assert len(emails(f"meeting:{meeting.pk}:change:1")) == 3  # the first change is not sent again


def test_a_change_nobody_sees_sends_nothing(oct_officer, usg):
    meeting = plan(oct_officer)
    before = OutboundEmail.objects.count()
    meeting_update(meeting=meeting, actor=oct_officer, quorum_note="Quorum expected.", chair=oct_officer)
    meeting_update(meeting=meeting, actor=oct_officer, start_time=T(10), place=" Conference Room 7 ")
    meeting.refresh_from_db()
    assert meeting.invitation_sequence == 0 and OutboundEmail.objects.count() == before


def test_a_held_meetings_record_is_corrected_without_announcement(oct_officer, usg):
    meeting = plan(oct_officer)
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    before = OutboundEmail.objects.count()
    meeting_update(meeting=meeting, actor=oct_officer, place="Room 9")
    assert OutboundEmail.objects.count() == before


def test_a_planned_meeting_without_times_must_be_given_them_when_edited(oct_officer, usg):
    meeting = plan(oct_officer)
    Meeting.objects.filter(pk=meeting.pk).update(start_time=None, end_time=None)  # recorded before times existed
    meeting.refresh_from_db()
    assert meeting.when == "12 April 2027, time not set"
    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=meeting, actor=oct_officer, place="Room 9")
    assert set(error.value.message_dict) == {"start_time", "end_time"}


# --- Pages, download, feed, API ---------------------------------------------------------------------


def test_the_meeting_page_shows_the_time_the_join_button_and_the_download(client_for, oct_officer, committee_member):
    meeting = plan(oct_officer, join_url="https://meet.example.org/cc")
    page = client_for(committee_member).get(reverse("committee-meeting", args=[meeting.pk])).content.decode()
    assert "12 April 2027, 10:00–12:00 (New York time, UTC\u22124)" in page
    assert 'href="https://meet.example.org/cc"' in page and "Join the meeting" in page
    assert reverse("committee-meeting-ics", args=[meeting.pk]) in page


def test_the_join_button_is_gone_once_the_meeting_is_past(client_for, oct_officer, committee_member, time_machine):
    meeting = plan(oct_officer, join_url="https://meet.example.org/cc")
    time_machine.move_to(datetime.datetime(2027, 4, 13, 15, tzinfo=datetime.UTC), tick=False)
    page = client_for(committee_member).get(reverse("committee-meeting", args=[meeting.pk])).content.decode()
    assert "Join the meeting" not in page


def test_the_home_page_offers_to_join_the_next_meeting(client_for, oct_officer, committee_member):
    plan(oct_officer, join_url="https://meet.example.org/cc")
    page = client_for(committee_member).get(reverse("home")).content.decode()
    assert "Coordination Committee meeting: 12 April 2027, 10:00–12:00 (New York time, UTC\u22124)" in page
    assert 'class="button-link task-action" href="https://meet.example.org/cc"' in page


def test_the_ics_download_is_the_invitations_event(client_for, oct_officer, committee_member):
    meeting = plan(oct_officer)
    response = client_for(committee_member).get(reverse("committee-meeting-ics", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH" and event_of(calendar)["UID"] == meeting.ical_uid


def test_the_feed_has_the_meeting_for_a_member_not_for_an_outsider(client, oct_officer, committee_member, outsider):
    meeting = plan(oct_officer, join_url="https://meet.example.org/cc")

    def feed_of(user) -> icalendar.Calendar:
        token = calendar_feed_for(user=user).token
        return icalendar.Calendar.from_ical(client.get(reverse("reporting-feed", args=[token])).content)

    (event,) = [e for e in feed_of(committee_member).walk("VEVENT") if e["UID"] == meeting.ical_uid]
    assert event["DTSTART"].dt == datetime.datetime(2027, 4, 12, 10, tzinfo=NEW_YORK)
    assert "https://meet.example.org/cc" in str(event["DESCRIPTION"])
    assert meeting.ical_uid in {str(e["UID"]) for e in feed_of(oct_officer).walk("VEVENT")}
    assert meeting.ical_uid not in {str(e["UID"]) for e in feed_of(outsider).walk("VEVENT")}


def test_the_api_takes_and_gives_the_new_fields(api_for, oct_officer, usg, committee_member):
    body = {
        "date": "2027-04-12",
        "start_time": "10:00",
        "end_time": "12:30",
        "time_zone": "Europe/Vienna",
        "is_virtual": True,
        "join_url": "https://meet.example.org/cc",
    }
    created = api_for(oct_officer).post("/api/v1/committee-meetings/", body, format="json")
    assert created.status_code == 201, created.json()
    meeting_id = created.json()["id"]
    read = api_for(committee_member).get(f"/api/v1/committee-meetings/{meeting_id}/").json()
    assert read["start_time"] == "10:00" and read["end_time"] == "12:30" and read["time_zone"] == "Europe/Vienna"
    assert datetime.datetime.fromisoformat(read["starts_at"]) == datetime.datetime(2027, 4, 12, 8, tzinfo=datetime.UTC)
    assert read["join_url"] == "https://meet.example.org/cc"
    assert read["when"] == "12 April 2027, 10:00–12:30 (Vienna time, UTC+2)"
    assert read["calendar_url"].endswith(reverse("committee-meeting-ics", args=[meeting_id]))
    bad = api_for(oct_officer).patch(
        f"/api/v1/committee-meetings/{meeting_id}/", {"join_url": "http://x.example"}, format="json"
    )
    assert bad.status_code == 400 and "join_url" in bad.json()
    missing = api_for(oct_officer).post("/api/v1/committee-meetings/", {"date": "2027-05-01", "place": "NY"})
    assert missing.status_code == 400 and {"start_time", "end_time"} <= set(missing.json())


# --- Cancellation ---------------------------------------------------------------------------------


def test_cancelling_tells_the_invitees_once_with_a_cancel_ics(client, oct_officer, usg, committee_member):
    meeting = plan(oct_officer)
    meeting_update(meeting=meeting, actor=oct_officer, place="Room 9")
    meeting = meeting_act(meeting=meeting, action="cancel", actor=oct_officer)
    assert meeting.state == Meeting.State.CANCELLED and meeting.invitation_sequence == 2
    cancelled = emails(f"meeting:{meeting.pk}:cancel:2")
    assert {e.recipient for e in cancelled} == {usg.email, committee_member.email, settings.OCT_SECRETARIAT_EMAIL}
    assert cancelled[0].subject == "Cancelled: Coordination Committee meeting, 12 April 2027"
    calendar = ics_of(cancelled[0])
    event = event_of(calendar)
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2 and event["UID"] == meeting.ical_uid
    with pytest.raises(TransitionNotAllowedError):
        meeting_act(meeting=meeting, action="cancel", actor=oct_officer)
    assert len(emails(f"meeting:{meeting.pk}:cancel")) == 3
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, actor=oct_officer, place="Room 10")
    token = calendar_feed_for(user=committee_member).token
    feed = icalendar.Calendar.from_ical(client.get(reverse("reporting-feed", args=[token])).content)
    assert meeting.ical_uid not in {str(e["UID"]) for e in feed.walk("VEVENT")}


def test_only_a_planned_meeting_is_cancelled(oct_officer, usg):
    meeting = meeting_act(meeting=plan(oct_officer), action="hold", actor=oct_officer)
    with pytest.raises(TransitionNotAllowedError):
        meeting_act(meeting=meeting, action="cancel", actor=oct_officer)
    assert not emails(f"meeting:{meeting.pk}:cancel")
