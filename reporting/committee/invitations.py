"""Invitations to Committee meetings: who is invited, the e-mails, and the meeting's iCalendar
event (the same UID in every invitation, in the .ics download and in the calendar feeds).

The services queue these inside their transaction. Each e-mail's occasion carries the
invitation's SEQUENCE, so a service run twice sends nothing twice, while every change people
can see is announced once, with the event's SEQUENCE one higher: calendars then move the
event they have instead of adding another.

Clearance: the Committee and OCT read every meeting, so its date, place and link go to all of
them; the e-mail is marked like the meeting (``object_marking``: its minutes' marking), and
someone whose clearance does not reach that marking is left out, as for the briefing pack.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compact.core.categories import EmailCategory
from compact.core.models import Classification, object_marking
from compact.core.outbox import EmailAttachment, email_queue
from compact.core.permissions import can_read_classification
from compact.lib.emails import absolute_url
from reporting.committee.models import Meeting
from reporting.lib.ical import invitation_ics
from workinggroups.composition import committee_on


@dataclass(frozen=True)
class MeetingEntry:
    """A meeting as ``reporting.lib.ical`` writes it (``TimedEntry``)."""

    uid: str
    title: str
    date: datetime.date
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    location: str
    description: str
    url: str
    sequence: int


def meeting_page_url(meeting: Meeting) -> str:
    return absolute_url(reverse("committee-meeting", args=[meeting.pk]))


def meeting_entry(meeting: Meeting) -> MeetingEntry:
    """The meeting's calendar event, in the active language."""
    url = meeting_page_url(meeting)
    lines = [meeting.when]
    if meeting.place:
        lines.append(_("Place: %(place)s") % {"place": meeting.place})
    if meeting.join_url:
        lines.append(_("Join: %(url)s") % {"url": meeting.join_url})
    if meeting.join_details:
        lines.append(_("How to join: %(details)s") % {"details": meeting.join_details})
    # Some calendars show the description but not the URL property: the page is repeated.
    lines += ["", _("The meeting's page, with its agenda: %(url)s") % {"url": url}]
    return MeetingEntry(
        uid=meeting.ical_uid,
        title=_("Coordination Committee meeting"),
        date=meeting.date,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.place or meeting.join_url,
        description="\n".join(lines),
        url=url,
        sequence=meeting.invitation_sequence,
    )


def meeting_ics(meeting: Meeting, *, method: str = "REQUEST", language: str | None = None) -> bytes:
    """The meeting's .ics: an invitation (``REQUEST``; in the site's language, one file goes
    to every recipient), a cancellation (``CANCEL``) or the page's download (``PUBLISH``)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        entry = meeting_entry(meeting)
    return invitation_ics(entry, organizer=settings.OCT_SECRETARIAT_EMAIL, stamp=timezone.now(), method=method)


def invitees(meeting: Meeting, marking: str = Classification.UNCLASSIFIED) -> list[str]:
    """The Committee's members on the meeting's day (their seats, as for the briefing pack)
    whose clearance reaches ``marking``, and the OCT secretariat's address."""
    people = [seat.person for seat in committee_on(meeting.date).seats if seat.person is not None]
    members = [p.email for p in people if p.is_active and p.email and can_read_classification(p, marking)]
    return [*members, settings.OCT_SECRETARIAT_EMAIL]


def _queue(meeting: Meeting, *, occasion: str, template: str, context: dict, method: str = "REQUEST") -> None:
    marking = object_marking(meeting)
    email_queue(
        occasion=occasion,
        recipients=invitees(meeting, marking),
        template=template,
        context={"meeting": meeting, "url": meeting_page_url(meeting), **context},
        classification=marking,
        category=EmailCategory.MEETINGS,
        attachments=[
            EmailAttachment(
                filename="invitation.ics",
                content=meeting_ics(meeting, method=method).decode(),
                content_type=f"text/calendar; method={method}",
            )
        ],
    )


def meeting_invitation_queue(meeting: Meeting) -> None:
    """Invite the Committee and OCT to a meeting just planned (one e-mail each, ever)."""
    occasion = f"meeting:{meeting.pk}:invitation:{meeting.invitation_sequence}"
    _queue(meeting, occasion=occasion, template="meeting-invitation", context={})


def meeting_cancellation_queue(meeting: Meeting) -> None:
    """Tell the invitees the meeting is cancelled, with a ``METHOD:CANCEL`` .ics (the
    meeting's SEQUENCE, one higher than its last invitation's, makes the occasion)."""
    _queue(
        meeting,
        occasion=f"meeting:{meeting.pk}:cancel:{meeting.invitation_sequence}",
        template="meeting-cancelled",
        context={},
        method="CANCEL",
    )


def visible_changes(before: Meeting, after: Meeting) -> list[str]:
    """The names of what the invitation shows that differ: "when" (date, times, zone),
    "where", "join_url", "join_details". The chair, the quorum note and the agenda are not in
    the invitation: changing them is not announced."""
    pairs = {
        "when": (before.when, after.when),
        "where": ((before.where, before.is_virtual), (after.where, after.is_virtual)),
        "join_url": (before.join_url, after.join_url),
        "join_details": (before.join_details, after.join_details),
    }
    return [name for name, (old, new) in pairs.items() if old != new]


def meeting_change_queue(meeting: Meeting, *, before: Meeting, changed: Iterable[str]) -> None:
    """Tell the invitees what changed (old → new), with the updated event. ``meeting`` has
    its new SEQUENCE already, which makes the occasion: each change is announced once."""
    _queue(
        meeting,
        occasion=f"meeting:{meeting.pk}:change:{meeting.invitation_sequence}",
        template="meeting-changed",
        context={"before": before, "changed": list(changed)},
    )
