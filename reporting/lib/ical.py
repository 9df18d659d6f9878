"""iCalendar (RFC 5545) files: the private calendar feeds of deadlines and meetings, and the
invitations to Committee meetings (RFC 5546 ``REQUEST`` and ``CANCEL``).

Pure: takes anything shaped like ``reporting.calendar.deadlines.Deadline`` (all-day) or
``TimedEntry`` (a meeting) and returns bytes, so it can be tested without the database. A
deadline is an all-day event (a due date is a day in the period's time zone, not a moment)
that does not block the reader's time; a meeting is timed in its own zone (with its
VTIMEZONE) and does block it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

from icalendar import Alarm, Calendar, Event, vDuration

PRODID = "-//United Nations Global Counter-Terrorism Coordination Compact//Compact Tracker//EN"
# How often calendar clients should fetch the feed again (RFC 7986, and Outlook's older name).
REFRESH = datetime.timedelta(hours=1)
ALARM_BEFORE = datetime.timedelta(days=1)
# The right-hand side of every UID the product writes (RFC 5545 wants it globally unique).
UID_DOMAIN = "compact-tracker"


class CalendarEntry(Protocol):
    uid: str
    title: str
    date: datetime.date
    description: str
    url: str

    @property
    def alarm(self) -> bool: ...


class TimedEntry(Protocol):
    """A meeting: aware start and end (or None when its times were never set: then it is an
    all-day event on ``date``), where it is, and the SEQUENCE of its latest invitation."""

    uid: str
    title: str
    date: datetime.date
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    location: str
    description: str
    url: str
    sequence: int


def calendar_ics(
    entries: Iterable[CalendarEntry],
    *,
    name: str,
    stamp: datetime.datetime,
    timed: Iterable[TimedEntry] = (),
) -> bytes:
    """The feed as an .ics file named ``name``; ``stamp`` (aware) is when it was generated.
    ``timed`` are meetings, with the UIDs of their invitations."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # Without vDuration an X- property would be written as "1:00:00", which clients ignore.
    calendar.add("x-published-ttl", vDuration(REFRESH))
    utc_stamp = stamp.astimezone(datetime.UTC)
    for entry in entries:
        calendar.add_component(_event(entry, utc_stamp))
    for meeting in timed:
        calendar.add_component(_timed_event(meeting, utc_stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH"})


def invitation_ics(entry: TimedEntry, *, organizer: str, stamp: datetime.datetime, method: str = "REQUEST") -> bytes:
    """One event: an invitation (``METHOD:REQUEST``), its cancellation (``CANCEL``) or a copy
    to add to a calendar (``PUBLISH``, the download), organised by ``organizer`` (an e-mail
    address). A later one with the same UID and a higher SEQUENCE replaces the event in the
    reader's calendar."""
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}.")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = _timed_event(entry, stamp.astimezone(datetime.UTC))
    event.add("organizer", f"mailto:{organizer}")
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _timed_event(entry: TimedEntry, stamp: datetime.datetime) -> Event:
    """A meeting's VEVENT: DTSTART/DTEND with the TZID of its zone; the property values are
    escaped by ``icalendar`` (a newline or a semicolon in a place cannot add a property)."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    if entry.starts_at is not None and entry.ends_at is not None:
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.ends_at)
    else:
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + datetime.timedelta(days=1))
    event.add("summary", entry.title)
    if entry.location:
        event.add("location", entry.location)
    event.add("description", entry.description)
    event.add("url", entry.url)
    event.add("transp", "OPAQUE")
    return event


def _event(entry: CalendarEntry, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.date)
    event.add("dtend", entry.date + datetime.timedelta(days=1))
    event.add("summary", entry.title)
    event.add("description", entry.description)
    event.add("url", entry.url)
    # A deadline is not a meeting: the reader stays free that day.
    event.add("transp", "TRANSPARENT")
    if entry.alarm:
        event.add_component(_alarm(entry))
    return event


def _alarm(entry: CalendarEntry) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", entry.title)
    return alarm
