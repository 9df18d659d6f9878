"""The calendar tests start from the Compact's default calendar, set up here rather than trusted
from the migration that wrote it: a transactional test (a live server, a thread or process race)
that ran earlier on the same worker flushes every table, migration-written rows included."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

# The migration's own function, run with the current models: the rules the Compact starts with.
create_default_calendar = importlib.import_module("reporting.migrations.0003_default_calendar").create_rules


@pytest.fixture(autouse=True)
def default_calendar(request: pytest.FixtureRequest) -> None:
    """The six default rules, as migration 0003 writes them (tests that need no database skip)."""
    wanted = set(request.fixturenames)
    if not {"db", "transactional_db"} & wanted and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in wanted else "db")
    create_default_calendar(django_apps, None)  # get_or_create: rules already there stay as they are
