"""Reminders of a consultation round, from the beat's hourly task: the focal points of each
consulted entity that has not commented are reminded 14, 7 and 1 days before the deadline,
exactly once per offset (a second run, a second tick of the same day, the Celery task itself:
nothing more); entities that commented and entities not consulted are not reminded; the round
closes once its deadline day is over, and a closed round reminds nobody."""

from __future__ import annotations

import datetime

import pytest

from compact.core.models import OutboundEmail
from reporting.calendar.models import SchedulerEvent
from reporting.consultation.chasing import consultations_chase
from reporting.consultation.services import consultation_comment_create
from reporting.tasks import consultations_chase_task
from tests.reporting.consultation.helpers import NOW, focal, programme_draft, round_on

pytestmark = pytest.mark.django_db


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def reminders() -> list[tuple[str, str]]:
    rows = OutboundEmail.objects.filter(occasion__startswith="consultation-reminder:")
    return sorted(rows.values_list("occasion", "recipient"))


@pytest.fixture
def world(roster, oct_officer, focal_point, time_machine):
    """A round due 20 October 2026 consulting UNESCO (which has a focal point and has not
    commented), OHCHR (a focal point; it has commented) and UNODC (no focal point). CTED has a
    focal point but is not consulted."""
    time_machine.move_to(NOW, tick=False)
    ohchr = focal("ohchr.focal", roster.ohchr)
    focal("cted.focal", roster.cted)
    programme, _priority = programme_draft(oct_officer)
    round_ = round_on(oct_officer, programme, [roster.unesco, roster.ohchr, roster.unodc])
    consultation_comment_create(
        round=round_,
        entity=roster.ohchr,
        section_key="introduction",
        actor=ohchr,
        text="Fine.",
        classification="unclassified",
    )
    return round_


def test_nothing_before_the_first_reminder_day(world, time_machine):
    time_machine.move_to(utc(2026, 10, 5, 15), tick=False)  # 15 days before
    assert consultations_chase() == {"closed": 0, "reminded": 0}
    assert reminders() == []


def test_each_silent_entity_is_reminded_once_per_offset(world, roster, focal_point, time_machine):
    time_machine.move_to(utc(2026, 10, 13, 15), tick=False)  # 7 days before
    assert consultations_chase() == {"closed": 0, "reminded": 1}
    key = f"consultation-reminder:{world.pk}:{roster.unesco.pk}:2026-10-20:7"
    assert reminders() == [(key, focal_point.email)]
    # UNODC has no focal point: the claim says so, nobody is written to.
    unodc = SchedulerEvent.objects.get(key=f"consultation-reminder:{world.pk}:{roster.unodc.pk}:2026-10-20:7")
    assert unodc.recipients == []
    # A second run, a later tick of the same day and the beat's task send nothing more.
    assert consultations_chase() == {"closed": 0, "reminded": 0}
    time_machine.move_to(utc(2026, 10, 13, 22), tick=False)
    assert consultations_chase_task.apply().get() == {"closed": 0, "reminded": 0}
    assert len(reminders()) == 1
    # The next offset is a new reminder, once.
    time_machine.move_to(utc(2026, 10, 19, 15), tick=False)
    assert consultations_chase()["reminded"] == 1
    assert consultations_chase()["reminded"] == 0
    assert [occasion.rsplit(":", 1)[1] for occasion, _ in reminders()] == ["1", "7"]


def test_the_reminder_carries_no_document_text(world, focal_point, time_machine):
    time_machine.move_to(utc(2026, 10, 13, 15), tick=False)
    consultations_chase()
    email = OutboundEmail.objects.get(occasion__startswith="consultation-reminder:")
    assert "MK-INTRO" not in email.body_text and "UNESCO has not yet commented" in email.body_text
    assert f"/reporting/consultations/{world.pk}/" in email.body_text


def test_an_entity_that_comments_is_no_longer_reminded(world, roster, focal_point, time_machine):
    time_machine.move_to(utc(2026, 10, 12, 15), tick=False)
    consultation_comment_create(
        round=world,
        entity=roster.unesco,
        section_key="introduction",
        actor=focal_point,
        text="Ours.",
        classification="unclassified",
    )
    time_machine.move_to(utc(2026, 10, 13, 15), tick=False)
    assert consultations_chase()["reminded"] == 0
    assert reminders() == []


def test_the_round_closes_after_its_deadline_day_and_reminds_nobody_after(world, time_machine):
    time_machine.move_to(utc(2026, 10, 20, 23), tick=False)  # 19:00 on the deadline day in New York
    assert consultations_chase()["closed"] == 0
    time_machine.move_to(utc(2026, 10, 21, 5), tick=False)
    assert consultations_chase() == {"closed": 1, "reminded": 0}
    assert consultations_chase() == {"closed": 0, "reminded": 0}
    world.refresh_from_db()
    assert world.state == "closed"


def test_the_beat_runs_the_task_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["every-hour-close-and-remind-consultation-rounds"]
    assert entry["task"] == "reporting.tasks.consultations_chase" and entry["schedule"] == 3600.0


def test_reminders_arrive_in_new_yorks_morning_not_at_midnight(world, roster, focal_point, time_machine):
    time_machine.move_to(utc(2026, 10, 8, 15), tick=False)  # 12 days before: the 14-day reminder
    assert consultations_chase()["reminded"] == 1
    # 00:30 on 13 October in New York: the scheduler's day (from 07:00) is still the 12th.
    time_machine.move_to(utc(2026, 10, 13, 4, 30), tick=False)
    assert consultations_chase() == {"closed": 0, "reminded": 0}
    time_machine.move_to(utc(2026, 10, 13, 11, 5), tick=False)  # 07:05 in New York
    assert consultations_chase()["reminded"] == 1
    assert [occasion.rsplit(":", 1)[1] for occasion, _ in reminders()] == ["14", "7"]


def test_the_round_is_locked_while_a_reminder_is_claimed(world, roster, focal_point, time_machine):
    """A close (or a comment) racing the reminder waits for its claim: the round's state is read
    under a row lock in the claim's transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.consultation.chasing import _remind

    time_machine.move_to(utc(2026, 10, 13, 15), tick=False)
    with CaptureQueriesContext(connection) as queries:
        assert _remind(world, roster.unesco, [focal_point.email], days=7, today=datetime.date(2026, 10, 13)) == 1
    table = world._meta.db_table
    assert any(table in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries)
