"""The time zones a person may choose: the IANA names this system's tz database knows."""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings


@functools.cache
def time_zone_names() -> frozenset[str]:
    """Every IANA zone name known here (read from disk once per process)."""
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def zone_of(user: object) -> zoneinfo.ZoneInfo:
    """The zone ``user`` reads times in: the one on their account if it is known, else the site's."""
    name = getattr(user, "time_zone", "") or ""
    return zoneinfo.ZoneInfo(name if is_time_zone(name) else settings.TIME_ZONE)
