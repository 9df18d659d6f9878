"""Several scheduler ticks at once do the calendar's work exactly once (PostgreSQL).

Beat should fire one tick at a time, but a second beat, a redelivered task or a slow tick
overlapping the next one all run ticks side by side. The scenario below makes every kind of
work due at once; the race runs it in 2–4 threads (and in processes), all released together
by a barrier, and checks that what they did adds up to what one tick does, with nothing
twice: one period opened, one draft per group, one event per key, one e-mail per occasion
and recipient.
"""

from __future__ import annotations

import dataclasses
import datetime
import multiprocessing
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.db.models.functions import Lower

from compact.core.models import OutboundEmail
from compact.registry.services import person_create
from reporting.calendar import scheduler
from reporting.calendar.models import SchedulerEvent
from reporting.calendar.scheduler import TickReport, scheduler_tick
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_create
from tests.conftest import require_or_skip
from tests.factories import COMPACT_SIGNED, EntityFactory, MembershipFactory, WorkingGroupFactory
from tests.helpers import calendar_only, open_period
from workinggroups.services import role_assign

Event = SchedulerEvent.Kind
# A Monday (the digest weekday), 10:00 in New York: the scheduler's day is 6 January 2031.
NOW = datetime.datetime(2031, 1, 6, 15, 0, tzinfo=datetime.UTC)
EXTRA_GROUPS = 4  # on top of the roster's WG 7 (chair and vice-chair) and WG 2 (no representative)


@dataclass
class Scenario:
    groups: int
    created: tuple[str, datetime.date]  # the period the calendar rule creates: kind, covers_from
    scheduled: ReportingPeriod  # scheduled by hand, opening today
    late: ReportingPeriod  # open, 17 days late: escalations, consolidated and annual report
    closing: ReportingPeriod  # open, its closing day passed: escalations, then closed

    def expected(self) -> TickReport:
        """What one tick does at NOW (the single-tick test below checks it)."""
        return TickReport(
            periods_created=1,  # Q4 2030, by the calendar rule
            periods_opened=2,  # that one and the hand-scheduled Q1 2031
            drafts_created=2 * self.groups,
            reminders=self.groups,  # Q4 2030 is due in 9 days: the 14-day reminder
            escalations=2 * self.groups,  # the late and the closing period, 7 days or more late
            digests=2,  # OCT's, and the Committee chair's (groups more than 7 days late)
            periods_closed=1,
            reports_started=2,  # the late round's consolidated report, and the 2029 annual report
        )


def scenario(roster, chair, vice_chair, usg) -> Scenario:
    """Work of every kind due at NOW, for six working groups."""
    for number in range(EXTRA_GROUPS):
        entity = EntityFactory(acronym=f"RACE{number}")
        MembershipFactory(entity=entity)
        person = person_create(
            username=f"racechair{number}",
            email=f"racechair{number}@example.org",
            first_name="Race",
            last_name=f"Chair {number}",
            entity=entity,
            actor=None,
        )
        group = WorkingGroupFactory(number=40 + number)
        role_assign(group=group, entity=entity, role="chair", starts_on=COMPACT_SIGNED, person=person, actor=None)
    # Only the Q4 rule is active (with the default dates), so that the calendar creates exactly
    # one period here.
    calendar_only("q4")
    scheduled = period_create(
        kind="q1",
        covers_from=datetime.date(2031, 1, 1),
        covers_until=datetime.date(2031, 3, 31),
        opens_on=datetime.date(2031, 1, 6),
        due_on=datetime.date(2031, 4, 15),
        actor=None,
    )
    late = open_period(
        "end-of-year",
        (datetime.date(2029, 1, 1), datetime.date(2029, 12, 31)),
        datetime.date(2029, 12, 1),
        datetime.date(2030, 12, 20),
    )
    closing = open_period(
        "q2",
        (datetime.date(2030, 4, 1), datetime.date(2030, 6, 30)),
        datetime.date(2030, 6, 15),
        datetime.date(2030, 7, 15),
    )
    ReportingPeriod.objects.filter(pk=closing.pk).update(closes_on=datetime.date(2030, 8, 14))
    assert usg.email  # the Committee chair's digest goes to the USG
    return Scenario(
        groups=2 + EXTRA_GROUPS,
        created=("q4", datetime.date(2030, 10, 1)),
        scheduled=scheduled,
        late=late,
        closing=closing,
    )


def report_sum(reports: list[TickReport]) -> TickReport:
    return TickReport(**{f.name: sum(getattr(r, f.name) for r in reports) for f in dataclasses.fields(TickReport)})


def assert_done_once(world: Scenario) -> None:
    """The database holds each piece of work exactly once."""
    created = ReportingPeriod.objects.get(kind=world.created[0], covers_from=world.created[1])
    periods = {p.pk: p for p in ReportingPeriod.objects.all()}
    assert len(periods) == 4
    assert periods[created.pk].state == ReportingPeriod.State.OPEN
    assert periods[world.scheduled.pk].state == ReportingPeriod.State.OPEN
    assert periods[world.late.pk].state == ReportingPeriod.State.OPEN
    assert periods[world.closing.pk].state == ReportingPeriod.State.CLOSED
    drafts = Counter(Submission.objects.values_list("period_id", "working_group_id"))
    assert set(drafts.values()) == {1}
    assert Counter(period for period, _group in drafts) == dict.fromkeys(periods, world.groups)

    kinds = Counter(SchedulerEvent.objects.values_list("kind", flat=True))
    assert kinds == {
        Event.PERIOD_CREATED: 1,
        Event.PERIOD_OPENED: 2,
        Event.REMINDER: world.groups,
        Event.ESCALATION: 2 * world.groups,
        Event.OCT_DIGEST: 1,
        Event.COMMITTEE_DIGEST: 1,
        Event.PERIOD_CLOSED: 1,
        Event.CONSOLIDATED_SHELL: 1,
        Event.ANNUAL_SHELL: 1,
    }
    chased = Counter(
        SchedulerEvent.objects.filter(kind__in=(Event.REMINDER, Event.ESCALATION)).values_list(
            "submission_id", flat=True
        )
    )
    assert set(chased.values()) == {1}  # one reminder or escalation per draft, never two
    assert ConsolidatedReport.objects.count() == 1 and AnnualReport.objects.count() == 1

    twice = OutboundEmail.objects.values("occasion", email=Lower("recipient")).annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists(), list(twice)
    # Every event that names recipients queued exactly one e-mail to each of them.
    for event in SchedulerEvent.objects.exclude(recipients=[]):
        sent_to = sorted(OutboundEmail.objects.filter(occasion=event.key).values_list("recipient", flat=True))
        assert sent_to == sorted(event.recipients), event.key
    # And each new draft's "period opened" notice went out once to each of its leaders.
    opened = OutboundEmail.objects.filter(occasion__endswith=":opened")
    assert opened.values("occasion", "recipient").distinct().count() == opened.count()


# --- One tick: the baseline the races are compared with -------------------------------------------


def test_one_tick_does_the_scenario_and_a_second_does_nothing(roster, chair, vice_chair, usg):
    world = scenario(roster, chair, vice_chair, usg)
    assert scheduler_tick(now=NOW) == world.expected()
    assert_done_once(world)
    emails = OutboundEmail.objects.count()
    assert scheduler_tick(now=NOW) == TickReport()
    assert OutboundEmail.objects.count() == emails


# --- Races ------------------------------------------------------------------------------------------


def race_in_threads(workers: int) -> tuple[list[TickReport], list[str]]:
    barrier = threading.Barrier(workers)
    reports: list[TickReport] = []
    errors: list[str] = []

    def tick() -> None:
        try:
            barrier.wait(timeout=60)
            reports.append(scheduler_tick(now=NOW))
        except BaseException:
            errors.append(traceback.format_exc())
        finally:
            connection.close()  # this thread's own connection, or the test database cannot be dropped

    threads = [threading.Thread(target=tick) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a tick did not finish within 5 minutes"
    return reports, errors


def _tick_in_process(barrier, results) -> None:
    try:
        barrier.wait(timeout=60)
        results.put(("ok", dataclasses.asdict(scheduler_tick(now=NOW))))
    except BaseException:
        results.put(("error", traceback.format_exc()))
    finally:
        connections.close_all()


def race_in_processes(workers: int) -> tuple[list[TickReport], list[str]]:
    """The same race in forked processes, which run truly in parallel on several cores."""
    context = multiprocessing.get_context("fork")
    connections.close_all()  # a child must open its own connection, not share the parent's socket
    barrier = context.Barrier(workers)
    results = context.Queue()
    processes = [context.Process(target=_tick_in_process, args=(barrier, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    reports = [TickReport(**value) for status, value in outcomes if status == "ok"]
    return reports, [value for status, value in outcomes if status == "error"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.parametrize(("mode", "workers"), [("threads", 2), ("threads", 4), ("processes", 3)])
def test_concurrent_ticks_do_everything_exactly_once(roster, chair, vice_chair, usg, mode, workers, attempt):
    if connection.vendor != "postgresql":
        require_or_skip("concurrent ticks need PostgreSQL (SQLite serialises every writer)")
    world = scenario(roster, chair, vice_chair, usg)
    race = race_in_threads if mode == "threads" else race_in_processes
    reports, errors = race(workers)
    assert not errors, "\n".join(errors)
    assert len(reports) == workers
    # Between them the ticks did exactly what one tick does, each piece of work once.
    assert report_sum(reports) == world.expected(), [str(r) for r in reports]
    assert_done_once(world)
    # And a tick after the race finds nothing left to do.
    emails = OutboundEmail.objects.count()
    assert scheduler_tick(now=NOW) == TickReport()
    assert OutboundEmail.objects.count() == emails


# --- Chunks of reminders ------------------------------------------------------------------------
# The scenario owes 18 reminders and escalations; with chunks of 4 they are claimed, queued and
# committed in 5 transactions.


def chased() -> list[SchedulerEvent]:
    return list(SchedulerEvent.objects.filter(kind__in=(Event.REMINDER, Event.ESCALATION)))


def test_a_tick_that_dies_mid_way_loses_only_the_chunk_in_flight(roster, chair, vice_chair, usg, monkeypatch):
    world = scenario(roster, chair, vice_chair, usg)
    monkeypatch.setattr(scheduler, "CHASE_CHUNK", 4)
    queue_for_real = scheduler.emails_queue_many
    chunks = []

    def dies_in_the_second_chunk(*, messages):
        chunks.append(len(messages))
        queue_for_real(messages=messages)
        if len(chunks) == 2:
            raise RuntimeError("the worker was killed")

    monkeypatch.setattr(scheduler, "emails_queue_many", dies_in_the_second_chunk)
    with pytest.raises(RuntimeError):
        scheduler_tick(now=NOW)
    # The first chunk is committed, claims and e-mails together; the second left nothing.
    done = chased()
    assert chunks == [4, 4] and len(done) == 4
    assert OutboundEmail.objects.filter(occasion__in=[e.key for e in done]).count() == sum(
        len(e.recipients) for e in done
    )
    monkeypatch.setattr(scheduler, "emails_queue_many", queue_for_real)
    again = scheduler_tick(now=NOW)
    assert again.reminders + again.escalations == 3 * world.groups - 4
    assert_done_once(world)


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(2))
@pytest.mark.parametrize(("mode", "workers"), [("threads", 2), ("threads", 3), ("processes", 2)])
def test_ticks_racing_over_the_same_chunks_send_each_reminder_once(
    roster, chair, vice_chair, usg, monkeypatch, mode, workers, attempt
):
    """Each chunk holds its claims a while before committing, so the racing ticks reach the same
    chunks while they are in flight: a tick waits for the other's uncommitted claims, then
    skips those committed; claims come in one order, so no two ticks deadlock."""
    if connection.vendor != "postgresql":
        require_or_skip("concurrent ticks need PostgreSQL (SQLite serialises every writer)")
    world = scenario(roster, chair, vice_chair, usg)
    monkeypatch.setattr(scheduler, "CHASE_CHUNK", 4)
    queue_for_real = scheduler.emails_queue_many

    def slow_chunk(*, messages):
        queued = queue_for_real(messages=messages)
        time.sleep(0.2)  # the claims stay uncommitted meanwhile
        return queued

    monkeypatch.setattr(scheduler, "emails_queue_many", slow_chunk)
    race = race_in_threads if mode == "threads" else race_in_processes
    reports, errors = race(workers)
    assert not errors, "\n".join(errors)
    assert len(reports) == workers
    assert report_sum(reports) == world.expected(), [str(r) for r in reports]
    assert_done_once(world)
    assert len(chased()) == 3 * world.groups
