"""iCalendar (RFC 5545) files of deadlines, for the private calendar feeds.

Pure: takes anything shaped like ``reporting.calendar.deadlines.Deadline`` and returns bytes, so it can
be tested without the database. Every deadline is an all-day event (a due date is a day in the
period's time zone, not a moment) that does not block the reader's time.
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


class CalendarEntry(Protocol):
    uid: str
    title: str
    date: datetime.date
    description: str
    url: str

    @property
    def alarm(self) -> bool: ...


def calendar_ics(entries: Iterable[CalendarEntry], *, name: str, stamp: datetime.datetime) -> bytes:
    """The feed as an .ics file named ``name``; ``stamp`` (aware) is when it was generated."""
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
    return calendar.to_ical()


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
