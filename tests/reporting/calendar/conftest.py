"""The calendar tests start from the Compact's default calendar, set up here rather than trusted
from the migration that wrote it: a transactional test (a live server, a thread or process race)
that ran earlier on the same worker flushes every table, migration-written rows included."""

from __future__ import annotations

import importlib

import pytest

from reporting.models import CalendarRule

DEFAULT_CALENDAR = importlib.import_module("reporting.migrations.0003_default_calendar").DEFAULTS


@pytest.fixture(autouse=True)
def default_calendar(request: pytest.FixtureRequest) -> None:
    """The six default rules, as migration 0003 writes them (tests that need no database skip)."""
    wanted = set(request.fixturenames)
    if not {"db", "transactional_db"} & wanted and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in wanted else "db")
    for kind, month, day, following, opens in DEFAULT_CALENDAR:
        CalendarRule.objects.get_or_create(
            kind=kind,
            defaults={
                "due_month": month,
                "due_day": day,
                "due_following_year": following,
                "opens_days_before_due": opens,
                "closes_days_after_due": 30,
                "reminder_days": [14, 7, 1],
                "escalation_days": [1, 7],
                "time_zone": "America/New_York",
            },
        )
