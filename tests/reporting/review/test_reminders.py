"""Reminders and escalations of the biennial review's comments, from the scheduler's tick:
14, 7 and 1 days before the deadline to the focal points of each member entity that has not
commented, 1 and 7 days after it to them, with one summary per offset to OCT (every
escalation, and reminders when some members have no focal point) — exactly once per offset,
however often (or however concurrently) the tick runs, on the scheduler's day (which starts at
07:00 in New York). Entities that commented, observers and closed reviews are not chased."""

from __future__ import annotations

import datetime
import threading
import traceback

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compact.core.models import OutboundEmail
from compact.registry.models import Membership
from compact.registry.services import focal_point_appoint, person_create
from reporting.calendar.models import SchedulerEvent
from reporting.calendar.scheduler import scheduler_tick
from reporting.review.models import BiennialReview
from reporting.review.reminders import review_comments_chase
from reporting.review.services import comment_create, review_act, review_create, review_update
from tests.conftest import require_or_skip
from tests.factories import EntityFactory, MembershipFactory

D = datetime.date
OCT = settings.OCT_SECRETARIAT_EMAIL
DUE = D(2026, 11, 10)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def focal(username: str, entity):
    user = person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        last_name="Tester",
        entity=entity,
        password="pw",
        actor=None,
    )
    focal_point_appoint(user=user, entity=entity, actor=None)
    return user


def _open_review(oct_officer) -> BiennialReview:
    review = review_create(
        actor=oct_officer,
        biennium=2027,
        title="Review of the Compact 2027–2028",
        resolution_symbol="A/RES/77/298",
        opens_on=D(2026, 10, 20),
        comments_due_on=DUE,
    )
    return review_act(review=review, action="open", actor=oct_officer)


@pytest.fixture
def world(db, roster, oct_officer, focal_point, time_machine):
    """An open review due 10 November 2026. Members: UNESCO (focal point), OHCHR (focal
    point), UNOCT and UNODC (none: OCT is told instead) and CTED, which has commented.
    INTERPOL, an observer with a focal point, is not chased."""
    time_machine.move_to(utc(2026, 10, 20, 15), tick=False)
    ohchr = focal("ohchr.focal", roster.ohchr)
    interpol = EntityFactory(acronym="INTERPOL")
    MembershipFactory(entity=interpol, status=Membership.Status.OBSERVER)
    observer = focal("interpol.focal", interpol)
    review = _open_review(oct_officer)
    comment_create(
        review=review, entity=roster.cted, actor=oct_officer, text="By letter.", classification="unclassified"
    )
    return {"review": review, "unesco": focal_point, "ohchr": ohchr, "observer": observer, "roster": roster}


def sent(prefix: str = "review-") -> dict[str, set[str]]:
    """The chase e-mails queued, by occasion: {occasion: {recipients}} (opening e-mails left out)."""
    emails: dict[str, set[str]] = {}
    for email in OutboundEmail.objects.filter(occasion__startswith=prefix).exclude(
        occasion__startswith="review-opened"
    ):
        emails.setdefault(email.occasion, set()).add(email.recipient)
    return emails


def expected(world, kind: str, days: int) -> dict[str, set[str]]:
    """UNESCO's and OHCHR's focal points are written to; UNOCT and UNODC have none, so OCT's
    summary (sent for every offset here) names them."""
    roster, review = world["roster"], world["review"]
    return {
        f"review-{kind}:{review.pk}:{roster.unesco.pk}:{DUE}:{days}": {world["unesco"].email},
        f"review-{kind}:{review.pk}:{roster.ohchr.pk}:{DUE}:{days}": {world["ohchr"].email},
        f"review-oct-{kind}:{review.pk}:{DUE}:{days}": {OCT},
    }


def test_reminders_and_escalations_go_out_exactly_once_per_offset(world, time_machine):
    time_machine.move_to(utc(2026, 10, 26, 15), tick=False)
    assert review_comments_chase(now=utc(2026, 10, 26, 15)) == 0  # 15 days ahead: nothing yet
    everything: dict[str, set[str]] = {}
    for now, kind, days in [
        (utc(2026, 10, 27, 15), "reminder", 14),
        (utc(2026, 11, 3, 15), "reminder", 7),
        (utc(2026, 11, 9, 15), "reminder", 1),
        (utc(2026, 11, 11, 15), "escalation", 1),
        (utc(2026, 11, 17, 15), "escalation", 7),
    ]:
        time_machine.move_to(now, tick=False)
        assert review_comments_chase(now=now) == 3
        assert review_comments_chase(now=now) == 0  # the second run sends nothing
        owed = expected(world, kind, days)
        assert {occasion: who for occasion, who in sent().items() if occasion in owed} == owed
        everything.update(owed)
    assert sent() == everything  # and nothing else: not CTED (commented), not INTERPOL (observer)
    # Five offsets, each: four silent members (two with no one to write to) and OCT's summary.
    assert SchedulerEvent.objects.filter(key__startswith="review-").count() == 25


def test_the_deadline_day_and_the_days_between_offsets_send_nothing_new(world, time_machine):
    for day in (9, 10):  # the 1-day reminder is the latest due on the deadline day too
        now = utc(2026, 11, day, 15)
        time_machine.move_to(now, tick=False)
        assert review_comments_chase(now=now) == (3 if day == 9 else 0)


def test_the_scheduler_day_starts_at_seven_in_new_york(world, time_machine):
    # 27 October 2026 is in daylight-saving time: 07:00 in New York is 11:00 UTC.
    time_machine.move_to(utc(2026, 10, 27, 10, 30), tick=False)
    assert review_comments_chase(now=utc(2026, 10, 27, 10, 30)) == 0  # still the 26th for the scheduler
    time_machine.move_to(utc(2026, 10, 27, 11, 30), tick=False)
    assert review_comments_chase(now=utc(2026, 10, 27, 11, 30)) == 3


def test_two_ticks_at_the_same_moment_chase_once(world, time_machine):
    now = utc(2026, 11, 11, 15)
    time_machine.move_to(now, tick=False)
    first = scheduler_tick(now=now)
    emails = OutboundEmail.objects.count()
    second = scheduler_tick(now=now)
    assert (first.review_comments_chased, second.review_comments_chased) == (3, 0)
    assert OutboundEmail.objects.count() == emails
    assert sent() == expected(world, "escalation", 1)


def test_after_an_outage_only_the_latest_offset_is_sent(world, time_machine):
    now = utc(2026, 11, 12, 15)
    time_machine.move_to(now, tick=False)
    assert review_comments_chase(now=now) == 3
    assert set(sent()) == set(expected(world, "escalation", 1))


def test_an_entity_that_comments_is_no_longer_chased(world, time_machine):
    time_machine.move_to(utc(2026, 11, 3, 15), tick=False)
    comment_create(
        review=world["review"],
        entity=world["roster"].unesco,
        actor=world["unesco"],
        text="Our views.",
        classification="unclassified",
    )
    assert review_comments_chase(now=utc(2026, 11, 3, 15)) == 2  # OHCHR's focal point, and OCT
    assert world["unesco"].email not in set().union(*sent().values())
    summary = OutboundEmail.objects.get(occasion__startswith="review-oct-reminder")
    assert "OHCHR, UNOCT, UNODC" in summary.body_text and "UNESCO" not in summary.body_text


@pytest.mark.parametrize("state", ["closed", "concluded", "preparing"])
def test_a_review_that_is_not_open_is_not_chased(world, oct_officer, time_machine, state):
    BiennialReview.objects.filter(pk=world["review"].pk).update(state=state, outcome="Agreed.")
    now = utc(2026, 11, 11, 15)
    time_machine.move_to(now, tick=False)
    assert review_comments_chase(now=now) == 0
    assert sent() == {}


def test_closing_the_review_stops_the_escalations(world, oct_officer, time_machine):
    time_machine.move_to(utc(2026, 11, 11, 15), tick=False)
    assert review_comments_chase(now=utc(2026, 11, 11, 15)) == 3
    review_act(review=world["review"], action="close", actor=oct_officer)
    time_machine.move_to(utc(2026, 11, 17, 15), tick=False)
    assert review_comments_chase(now=utc(2026, 11, 17, 15)) == 0


def test_a_new_deadline_starts_the_reminders_again(world, oct_officer, time_machine):
    time_machine.move_to(utc(2026, 11, 9, 15), tick=False)
    assert review_comments_chase(now=utc(2026, 11, 9, 15)) == 3
    review_update(review=world["review"], actor=oct_officer, comments_due_on=D(2026, 11, 16))
    assert review_comments_chase(now=utc(2026, 11, 9, 15)) == 3  # 7 days before the new date
    assert f"review-reminder:{world['review'].pk}:{world['roster'].unesco.pk}:2026-11-16:7" in sent()


def test_the_messages_say_how_things_stand(world, time_machine):
    time_machine.move_to(utc(2026, 11, 3, 15), tick=False)
    review_comments_chase(now=utc(2026, 11, 3, 15))
    reminder = OutboundEmail.objects.get(occasion__startswith="review-reminder", recipient=world["unesco"].email)
    assert "UNESCO" in reminder.subject and "10 November 2026" in reminder.body_text
    assert "in 7 days" in reminder.body_text and f"/review/{world['review'].pk}/" in reminder.body_text
    time_machine.move_to(utc(2026, 11, 17, 15), tick=False)
    review_comments_chase(now=utc(2026, 11, 17, 15))
    escalation = OutboundEmail.objects.get(occasion__startswith="review-escalation", recipient=world["ohchr"].email)
    assert "OHCHR" in escalation.body_text and "7 days ago" in escalation.body_text
    unodc = SchedulerEvent.objects.get(
        key__startswith=f"review-escalation:{world['review'].pk}:{world['roster'].unodc.pk}:"
    )
    assert unodc.recipients == [] and "UNODC" in unodc.detail  # no focal point: the log says so
    summary = OutboundEmail.objects.get(occasion__startswith="review-oct-escalation")
    assert summary.recipient == OCT and "OHCHR, UNESCO, UNOCT, UNODC" in summary.body_text
    assert "UNOCT, UNODC" in summary.body_text.split("another way:")[1]


def test_oct_is_not_written_to_before_the_deadline_when_every_member_has_a_focal_point(world, time_machine):
    roster = world["roster"]
    focal("unoct.focal", roster.unoct)
    focal("unodc.focal", roster.unodc)
    time_machine.move_to(utc(2026, 11, 3, 15), tick=False)
    assert review_comments_chase(now=utc(2026, 11, 3, 15)) == 4
    assert not OutboundEmail.objects.filter(recipient=OCT, occasion__startswith="review-oct-").exists()
    assert SchedulerEvent.objects.get(key__startswith="review-oct-reminder").recipients == []
    time_machine.move_to(utc(2026, 11, 11, 15), tick=False)
    assert review_comments_chase(now=utc(2026, 11, 11, 15)) == 5  # four members and OCT's summary
    assert OutboundEmail.objects.filter(recipient=OCT, occasion__startswith="review-oct-escalation").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_chases_send_each_message_once(roster, oct_officer, focal_point, workers, time_machine):
    if connection.vendor != "postgresql":
        require_or_skip("concurrent ticks need PostgreSQL (SQLite serialises every writer)")
    time_machine.move_to(utc(2026, 10, 20, 15), tick=False)
    review = _open_review(oct_officer)
    now = utc(2026, 11, 11, 15)
    barrier = threading.Barrier(workers)
    counts: list[int] = []
    errors: list[str] = []

    def chase() -> None:
        try:
            barrier.wait(timeout=60)
            counts.append(review_comments_chase(now=now))
        except BaseException:
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=chase) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, "\n".join(errors)
    # Five silent members, only UNESCO with a focal point; OCT's summary names the other four.
    assert sum(counts) == 2
    assert SchedulerEvent.objects.filter(key__startswith=f"review-escalation:{review.pk}:").count() == 5
    assert SchedulerEvent.objects.filter(key__startswith=f"review-oct-escalation:{review.pk}:").count() == 1
    mails = OutboundEmail.objects.filter(occasion__startswith="review-").exclude(occasion__startswith="review-opened")
    assert sorted(mails.values_list("occasion", "recipient")) == sorted(
        [
            (f"review-escalation:{review.pk}:{roster.unesco.pk}:{DUE}:1", focal_point.email),
            (f"review-oct-escalation:{review.pk}:{DUE}:1", OCT),
        ]
    )


def test_the_chase_is_cheap_when_idle(world, time_machine):
    now = utc(2026, 11, 3, 15)
    time_machine.move_to(now, tick=False)
    review_comments_chase(now=now)
    with CaptureQueriesContext(connection) as done:
        assert review_comments_chase(now=now) == 0
    # One query for the open reviews, then two per review (its silent members, their claims),
    # however many entities there are.
    assert len(done) == 3
    BiennialReview.objects.filter(pk=world["review"].pk).update(state="closed")
    with CaptureQueriesContext(connection) as idle:
        assert review_comments_chase(now=now) == 0
    assert len(idle) == 1
