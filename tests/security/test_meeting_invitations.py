"""Attacks on what meetings people can attend added: the .ics download and the join link for
people who may not see the meeting, a marked meeting's e-mail to people without clearance,
links that are not https, and text that tries to add lines to an .ics or an e-mail."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.core.models import Classification, OutboundEmail
from reporting.committee.models import Meeting
from reporting.committee.services import meeting_create, meeting_update

pytestmark = pytest.mark.django_db
T = datetime.time
LINK = "https://meet.example.org/secret-room-8812"


@pytest.fixture(autouse=True)
def before_the_meeting(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 15, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def meeting(oct_officer, usg) -> Meeting:
    return meeting_create(
        actor=oct_officer,
        date=datetime.date(2027, 4, 12),
        start_time=T(10),
        end_time=T(12),
        place="Conference Room 7",
        join_url=LINK,
    )


@pytest.mark.parametrize("who", ["outsider", "focal_point"])
def test_people_outside_the_committee_get_neither_the_ics_nor_the_link(request, client_for, api_for, meeting, who):
    user = request.getfixturevalue(who)
    ics = client_for(user).get(reverse("committee-meeting-ics", args=[meeting.pk]))
    assert ics.status_code == 404 and b"BEGIN:VCALENDAR" not in ics.content
    page = client_for(user).get(reverse("committee-meeting", args=[meeting.pk]))
    assert page.status_code == 404 and LINK not in page.content.decode()
    api = api_for(user).get(f"/api/v1/committee-meetings/{meeting.pk}/")
    assert api.status_code == 404 and LINK not in api.content.decode()
    assert LINK not in client_for(user).get(reverse("home")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_for_the_ics(client, meeting):
    response = client.get(reverse("committee-meeting-ics", args=[meeting.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_ics_download_takes_no_post(client_for, committee_member, meeting):
    assert client_for(committee_member).post(reverse("committee-meeting-ics", args=[meeting.pk])).status_code == 405


def test_a_marked_meetings_change_goes_only_to_cleared_people(oct_officer, usg, committee_member, chair, meeting):
    # A meeting is marked by its minutes (``object_marking``); whoever is not cleared for the
    # marking is not written to, as for the briefing pack.
    Meeting.objects.filter(pk=meeting.pk).update(minutes_classification=Classification.CONFIDENTIAL)
    meeting.refresh_from_db()
    meeting_update(meeting=meeting, actor=oct_officer, place="Room 9")
    changed = OutboundEmail.objects.filter(occasion=f"meeting:{meeting.pk}:change:1")
    assert set(changed.values_list("recipient", flat=True)) == {
        usg.email,
        committee_member.email,
        settings.OCT_SECRETARIAT_EMAIL,
    }
    assert chair.email not in set(changed.values_list("recipient", flat=True))
    assert set(changed.values_list("classification", flat=True)) == {Classification.CONFIDENTIAL}


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "http://meet.example.org/cc",
        "data:text/html,<script>alert(1)</script>",
        "https://",
        "ftp://meet.example.org/cc",
    ],
)
def test_links_that_are_not_https_are_refused_everywhere(client_for, api_for, oct_officer, usg, meeting, link):
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, actor=oct_officer, join_url=link)
    api = api_for(oct_officer).patch(f"/api/v1/committee-meetings/{meeting.pk}/", {"join_url": link}, format="json")
    assert api.status_code == 400 and "join_url" in api.json()
    form = {
        "date": "2027-04-12",
        "start_time": "10:00",
        "end_time": "12:00",
        "time_zone": "America/New_York",
        "place": "Room 9",
        "join_url": link,
    }
    page = client_for(oct_officer).post(reverse("committee-meeting-edit", args=[meeting.pk]), form)
    assert page.status_code == 400
    meeting.refresh_from_db()
    assert meeting.join_url == LINK and meeting.place == "Conference Room 7" and meeting.invitation_sequence == 0


def test_text_cannot_add_lines_to_the_ics_or_the_subject(oct_officer, usg, client_for, committee_member):
    place = "Room 7\r\nATTENDEE:mailto:evil@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged;x=1,y"
    details = "Dial in\nORGANIZER:mailto:evil@example.org"
    meeting = meeting_create(
        actor=oct_officer,
        date=datetime.date(2027, 4, 12),
        start_time=T(10),
        end_time=T(12),
        place=place,
        join_details=details,
    )
    for body in (
        OutboundEmail.objects.filter(occasion__startswith=f"meeting:{meeting.pk}:")[0].attachments[0]["content"],
        client_for(committee_member).get(reverse("committee-meeting-ics", args=[meeting.pk])).content,
    ):
        calendar = icalendar.Calendar.from_ical(body)
        (event,) = calendar.walk("VEVENT")
        assert str(event["LOCATION"]) == " ".join(place.split())  # one line, its ";" "," ":" kept
        assert str(event["UID"]) == meeting.ical_uid
        assert "forged" not in str(event["UID"]) and "Dial in ORGANIZER:" in str(event["DESCRIPTION"])
        assert "ATTENDEE" not in event and str(event["ORGANIZER"]) == f"mailto:{settings.OCT_SECRETARIAT_EMAIL}"
    for email in OutboundEmail.objects.filter(occasion__startswith=f"meeting:{meeting.pk}:"):
        assert "\n" not in email.subject and "\r" not in email.subject
