"""How a Committee meeting's time reads: "12 March 2027, 10:00–12:00 (New York time, UTC-4)"
(with a true minus sign, U+2212), and the same moment in the reader's own time zone when theirs is another.

Pure (no ORM): the model's ``when`` properties and the e-mails call it. Only the named date
and time formats of ``config/formats`` are used, so each language writes dates its own way.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format, get_format, time_format
from django.utils.translation import gettext as _

MINUS = "\u2212"  # a true minus sign in "UTC-4", not a hyphen
# The zone at the end of a named time format ("H:i T", Arabic's isolated "H:i \u2066T\u2069").
ZONE_IN_FORMAT = re.compile(r"\s*\u2066?(?<!\\)[TeO]\u2069?")


def clock_time(moment: datetime.time) -> str:
    """A time of day in the language's own time format but without the zone the named format
    ends in: a meeting's span names its zone once, in words ("New York time, UTC-4")."""
    return time_format(moment, ZONE_IN_FORMAT.sub("", get_format("TIME_FORMAT")))


def zone_city(zone: datetime.tzinfo) -> str:
    """ "America/New_York" → "New York"; a zone without a city ("UTC") keeps its name."""
    key = getattr(zone, "key", None) or str(zone)
    return key.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset_label(moment: datetime.datetime) -> str:
    """ "UTC-4" (with ``MINUS``), "UTC+5:30", "UTC" for ``moment``'s offset from UTC."""
    offset = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


@dataclass(frozen=True)
class MeetingWhen:
    in_meeting_zone: str
    in_viewer_zone: str  # empty when the viewer's zone shows the same clock times


def _span(start: datetime.datetime, end: datetime.datetime) -> tuple[str, str, str]:
    """The date, start and end as shown; an end on another day carries its date."""
    day = date_format(start.date(), "DATE_FORMAT")
    begins = clock_time(start.time())
    if end.date() == start.date():
        return day, begins, clock_time(end.time())
    return day, begins, f"{date_format(end.date(), 'DATE_FORMAT')} {clock_time(end.time())}"


def _zoned(start: datetime.datetime, end: datetime.datetime) -> str:
    day, begins, ends = _span(start, end)
    return _("%(date)s, %(start)s–%(end)s (%(city)s time, %(offset)s)") % {
        "date": day,
        "start": begins,
        "end": ends,
        "city": zone_city(start.tzinfo),
        "offset": utc_offset_label(start),
    }


def meeting_when(
    day: datetime.date,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    *,
    viewer_zone: datetime.tzinfo | None = None,
) -> MeetingWhen:
    """The meeting's date and times in its own zone, and in ``viewer_zone`` (the active time
    zone by default) when the clock there reads otherwise."""
    if starts_at is None or ends_at is None:
        return MeetingWhen(_("%(date)s, time not set") % {"date": date_format(day, "DATE_FORMAT")}, "")
    viewer_zone = viewer_zone or timezone.get_current_timezone()
    own = _zoned(starts_at, ends_at)
    local_start, local_end = starts_at.astimezone(viewer_zone), ends_at.astimezone(viewer_zone)
    if local_start.replace(tzinfo=None) == starts_at.replace(tzinfo=None):
        return MeetingWhen(own, "")
    return MeetingWhen(own, _zoned(local_start, local_end))
