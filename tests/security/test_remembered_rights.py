"""What pages remember to be quick must never outlive a right or cross between people: the
leading roles read once per user object, and the menu's task count kept for a minute."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reporting.submissions.models import Submission
from workinggroups.selectors import workinggroups_led_by
from workinggroups.services import role_end

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _early_july(time_machine):
    """1 July 2026: the mid-year report (due 15 July) is being written."""
    time_machine.move_to("2026-07-01 14:00Z", tick=False)


def wg7(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def test_a_chair_whose_role_ended_loses_the_editor_at_once(client_for, report_period, chair, roster):
    client = client_for(chair)
    editor = reverse("reporting-submission-edit", args=[wg7(report_period).pk])
    assert client.get(editor).status_code == 200
    assert workinggroups_led_by(chair)  # remembered on this object
    role_end(assignment=roster.chair_role, ends_on=datetime.date(2026, 6, 30), actor=None)
    assert workinggroups_led_by(chair) == []
    assert client.get(editor).status_code != 200
    autosave = reverse("reporting-submission-autosave", args=[wg7(report_period).pk])
    assert client.post(autosave, {"base_revision": "0", "classification": "unclassified"}).status_code in (403, 404)


def test_one_persons_task_count_never_shows_on_anothers_menu(client_for, report_period, chair, outsider):
    assert 'class="nav-count"' in client_for(chair).get("/reporting/").content.decode()  # remembered
    page = client_for(outsider).get("/").content.decode()
    assert 'class="nav-count"' not in page


def test_a_visitor_cannot_drop_a_persons_count(client, client_for, report_period, chair):
    from django.core.cache import cache

    client_for(chair).get("/reporting/")
    keys_before = cache.get(f"portal:task-count:{chair.pk}")
    client.post("/accounts/login/", {"username": chair.username, "password": "wrong"})
    client.post("/notifications/read-all/")
    assert keys_before == 1 and cache.get(f"portal:task-count:{chair.pk}") == 1
