"""A page asks many times which groups its user leads (the menu, the task inbox, the Committee's
and reviews' permission checks): it is read once per user object, and again after any change."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workinggroups.selectors import workinggroups_led_by
from workinggroups.services import role_end, role_representative_set

pytestmark = pytest.mark.django_db


def reads(action) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return result, sum("workinggroups_roleassignment" in q["sql"] for q in queries)


def test_the_leading_roles_are_read_once_per_user_object(chair, roster):
    led, count = reads(lambda: workinggroups_led_by(chair))
    assert [a.pk for a in led] == [roster.chair_role.pk] and count == 1
    again, count = reads(lambda: workinggroups_led_by(chair))
    assert [a.pk for a in again] == [roster.chair_role.pk] and count == 0
    again.clear()  # a caller changing its list does not change what is remembered
    assert reads(lambda: workinggroups_led_by(chair)) == ([roster.chair_role], 0)


def test_a_role_that_ends_is_read_again(chair, roster, time_machine):
    time_machine.move_to("2026-07-01 14:00Z", tick=False)
    assert workinggroups_led_by(chair) == [roster.chair_role]
    role_end(assignment=roster.chair_role, ends_on=datetime.date(2026, 6, 30), actor=None)
    assert reads(lambda: workinggroups_led_by(chair)) == ([], 1)


def test_a_new_representative_is_read_again(chair, roster):
    assert workinggroups_led_by(chair) == [roster.chair_role]
    role_representative_set(assignment=roster.chair_role, person=None, actor=None)
    assert workinggroups_led_by(chair) == []


def test_another_day_is_read_again(chair, roster, time_machine):
    time_machine.move_to("2026-07-01 14:00Z", tick=False)
    assert workinggroups_led_by(chair) == [roster.chair_role]
    assert reads(lambda: workinggroups_led_by(chair, on=datetime.date(1990, 1, 1))) == ([], 1)
    assert reads(lambda: workinggroups_led_by(chair)) == ([roster.chair_role], 1)


def test_a_chairs_page_reads_their_roles_once(client_for, chair, roster):
    client = client_for(chair)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifications/").status_code == 200
    led = [q for q in queries if 'FROM "workinggroups_roleassignment"' in q["sql"]]
    assert len(led) == 1, "\n".join(q["sql"] for q in led)
