"""Benchmark of the scheduler's tick: 1,000 drafts all due for a reminder, one tick.

    .venv/bin/python bench/scheduler.py [--groups 250] [--periods 4] [--database-url URL] [--target 5]

It creates a throwaway test database (in-memory SQLite by default, ``test_<name>`` on
PostgreSQL with ``--database-url postgres://…``), then N working groups, each chaired by an
entity whose representative has an e-mail address, and P open reporting periods due in five
days, so that every one of the N × P drafts is owed its 7-day reminder. It times ONE
``scheduler_tick`` (seconds, SQL queries, reminders sent, e-mails queued, send tasks published)
against the target (≤ 5 s for 1,000 reminders, issue 19) and the machine's load, runs a second
tick and checks that it sends nothing more, then checks that every submission got exactly one
reminder event and one e-mail per recipient; it prints an "OK" or "FAILED" line for each check
and exits non-zero if one fails. Finally it times the worker's side: sending the queued e-mails (Django's
in-memory test backend, so the mail server's own time is left out). See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

# Kinds of period, cycled; each (kind, year) is a distinct period.
KINDS = ["q1", "q2", "q3", "q4", "mid-year", "end-of-year"]
DUE_IN_DAYS = 5  # the 7-day reminder is the one owed
# Queries the tick may spend besides its chunks (the calendar, the other steps, the digest),
# and per chunk of reminders (claim, languages, accounts, e-mails already queued,
# notifications, e-mails, savepoints): a bound that fails if a query per reminder comes back.
QUERIES_FIXED, QUERIES_PER_CHUNK = 60, 10


class Checks:
    """Prints an "OK" or "FAILED" line per check and remembers whether all passed."""

    def __init__(self) -> None:
        self.failed = 0

    def __call__(self, passed: bool, what: str) -> None:
        print(f"{'OK' if passed else 'FAILED':<7} {what}")
        self.failed += not passed


def roster(groups: int) -> None:
    """N working groups, each chaired by its own entity, represented by a person with an e-mail."""
    from compact.registry.models import Entity, Evidence, Membership
    from compact.registry.services import person_create
    from workinggroups.models import WorkingGroup
    from workinggroups.services import role_assign

    signed = datetime.date(2018, 2, 23)
    for number in range(1, groups + 1):
        entity = Entity.objects.create(
            acronym=f"B{number:04d}",
            name=f"Bench entity {number}",
            kind=Entity.Kind.SECRETARIAT,
            evidence=Evidence.SEED,
        )
        Membership.objects.create(
            entity=entity, status=Membership.Status.MEMBER, effective_from=signed, evidence=Evidence.SEED
        )
        chair = person_create(
            username=f"bench-chair-{number}",
            email=f"chair{number}@bench.example.org",
            first_name="Bench",
            last_name=f"Chair {number}",
            entity=entity,
            actor=None,
        )
        group = WorkingGroup.objects.create(
            number=number, name=f"Bench group {number}", short_name=f"Group {number}", evidence=Evidence.SEED
        )
        role_assign(group=group, entity=entity, role="chair", starts_on=signed, person=chair, actor=None)


def periods(count: int, today: datetime.date) -> list[Any]:
    """``count`` open periods due in DUE_IN_DAYS days, each with a draft for every group."""
    from reporting.calendar.models import period_span
    from reporting.submissions.periods.services import period_create, period_open

    opened = []
    for index in range(count):
        kind, year = KINDS[index % len(KINDS)], 2030 - index // len(KINDS)
        covers_from, covers_until = period_span(kind, year)
        period = period_create(
            kind=kind,
            covers_from=covers_from,
            covers_until=covers_until,
            opens_on=today - datetime.timedelta(days=20),
            due_on=today + datetime.timedelta(days=DUE_IN_DAYS),
            actor=None,
        )
        period_open(period=period, actor=None)
        opened.append(period)
    return opened


def timed_tick(now: datetime.datetime) -> tuple[Any, float, float, int, int]:
    """One tick: its report, seconds (and seconds of this process's CPU), SQL queries (counted
    with an execute wrapper: Django's query log keeps only the last 9,000) and send tasks
    handed to the broker."""
    from django.db import connection

    from compact.core import outbox
    from reporting.calendar.scheduler import scheduler_tick

    queries = publishes = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def counted(publish: Any) -> Any:
        def wrapper(*args: Any) -> None:
            nonlocal publishes
            publishes += 1
            publish(*args)

        return wrapper

    one, many = outbox._enqueue_send, outbox._enqueue_send_many
    outbox._enqueue_send, outbox._enqueue_send_many = counted(one), counted(many)
    try:
        with connection.execute_wrapper(count):
            began, cpu = time.perf_counter(), time.process_time()
            report = scheduler_tick(now=now)
            elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    finally:
        outbox._enqueue_send, outbox._enqueue_send_many = one, many
    return report, elapsed, cpu, queries, publishes


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 1)[0]
    except OSError:
        return "unknown"


def run(groups: int, period_count: int, target: float) -> int:
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from compact.core.models import OutboundEmail
    from compact.core.outbox import emails_send_pending
    from reporting.calendar.models import CalendarRule, SchedulerEvent
    from reporting.calendar.scheduler import CHASE_CHUNK
    from reporting.calendar.services import scheduler_day
    from reporting.submissions.models import Submission

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); broker: {settings.CELERY_BROKER_URL}")
    now = timezone.now()
    today = scheduler_day(now, settings.TIME_ZONE)
    # Only the periods below are due: the calendar's own rules would create this year's too.
    CalendarRule.objects.update(active=False)
    began = time.perf_counter()
    roster(groups)
    opened = periods(period_count, today)
    OutboundEmail.objects.update(sent_at=now)  # the "period opened" notices went out long ago
    drafts = Submission.objects.filter(period__in=opened).count()
    due = today + datetime.timedelta(days=DUE_IN_DAYS)
    print(
        f"Set-up: {groups} groups, {period_count} open periods, {drafts:,} drafts due {due} "
        f"(today is {today}) in {time.perf_counter() - began:.1f} s\n"
    )

    emails_before = OutboundEmail.objects.count()
    load_before = load_average()
    report, elapsed, cpu, queries, publishes = timed_tick(now)
    queued = OutboundEmail.objects.count() - emails_before
    reminder_emails = OutboundEmail.objects.filter(occasion__startswith="reminder:").count()
    chunks = -(-report.reminders // CHASE_CHUNK)
    print(f"First tick (load average {load_before} before, {load_average()} after)")
    print(f"  {elapsed:8.2f} s   {queries:,} SQL queries ({queries / max(report.reminders, 1):.2f} a reminder)")
    print(f"  {cpu:8.2f} s   of this process's CPU (inflated least by a busy machine; the rest is the database, waits)")
    print(f"  {publishes:8,} send tasks published ({chunks} chunks of at most {CHASE_CHUNK} reminders, and the digest)")
    print(
        f"  {report.reminders:8,} reminders sent, {queued:,} e-mails queued ({reminder_emails:,} reminders, "
        f"{queued - reminder_emails} digest)"
    )
    print(f"  {'':8} {report}")
    print(f"  {elapsed / max(report.reminders, 1) * 1000:8.1f} ms a reminder\n")

    emails_before = OutboundEmail.objects.count()
    again, elapsed_again, _cpu, queries_again, _publishes = timed_tick(now)
    queued_again = OutboundEmail.objects.count() - emails_before
    print("Second tick (nothing left to do)")
    print(
        f"  {elapsed_again:8.2f} s   {queries_again:,} SQL queries; "
        f"{again.reminders} reminders, {queued_again} e-mails\n"
    )

    check = Checks()
    per_thousand = elapsed * 1000 / max(report.reminders, 1)
    check(
        per_thousand <= target,
        f"the tick took {elapsed:.2f} s for {report.reminders:,} reminders, {per_thousand:.2f} s a thousand "
        f"(target ≤ {target:g} s; load average {load_before})",
    )
    budget = QUERIES_FIXED + QUERIES_PER_CHUNK * chunks
    check(queries <= budget, f"it spent {queries:,} SQL queries (at most {budget:,}: a fixed number per chunk)")
    check(publishes <= chunks + report.digests, f"it published {publishes} send tasks: one per chunk, not per e-mail")
    check(report.reminders == drafts, f"the first tick sent {report.reminders:,} reminders for {drafts:,} drafts")
    check(reminder_emails == drafts, f"it queued {reminder_emails:,} reminder e-mails: one to each group's chair")
    check(queued - reminder_emails == report.digests, f"and {report.digests} digest e-mail(s) to OCT")
    check(again.reminders == 0 and queued_again == 0, "the second tick sent nothing more")
    reminded = Counter(
        SchedulerEvent.objects.filter(kind=SchedulerEvent.Kind.REMINDER).values_list("submission_id", flat=True)
    )
    every = set(Submission.objects.filter(period__in=opened).values_list("pk", flat=True))
    check(set(reminded) == every and set(reminded.values()) == {1}, "every submission has exactly one reminder event")
    mismatched = [
        event.key
        for event in SchedulerEvent.objects.filter(kind=SchedulerEvent.Kind.REMINDER)
        if sorted(OutboundEmail.objects.filter(occasion=event.key).values_list("recipient", flat=True))
        != sorted(event.recipients)
    ]
    check(not mismatched, f"each reminder queued one e-mail per recipient ({len(mismatched)} did not)")
    check(
        all(event.recipients == [f"chair{number}@bench.example.org"] for number, event in _events_by_group()),
        "each reminder went to its own group's chair",
    )

    mail.outbox = []
    began = time.perf_counter()
    sent = 0
    while batch := emails_send_pending(limit=200):
        sent += batch
    elapsed_send = time.perf_counter() - began
    print(
        f"\nSending the {sent:,} e-mails (sweeps of 200, in-memory mail backend): {elapsed_send:.1f} s, "
        f"{elapsed_send / max(sent, 1) * 1000:.1f} ms an e-mail"
    )
    check(sent == queued and len(mail.outbox) == queued, f"each queued reminder was sent once ({len(mail.outbox):,})")
    return check.failed


def _events_by_group() -> list[tuple[int, Any]]:
    from reporting.calendar.models import SchedulerEvent

    events = SchedulerEvent.objects.filter(kind=SchedulerEvent.Kind.REMINDER).select_related(
        "submission__working_group"
    )
    return [(event.submission.working_group.number, event) for event in events]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=250, help="working groups, each with a chair (default 250)")
    parser.add_argument("--periods", type=int, default=4, help="open periods, a draft per group in each (default 4)")
    parser.add_argument(
        "--database-url", help="e.g. postgres://user:pw@127.0.0.1/compact (the benchmark uses test_<name>)"
    )
    parser.add_argument(
        "--target", type=float, default=5.0, help="seconds a tick may take per 1,000 reminders (default 5)"
    )
    parser.add_argument(
        "--broker-url",
        default="memory://localhost/",
        help="where the tick hands its e-mails (default: Celery's in-memory broker; redis://… to include Redis)",
    )
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["CELERY_BROKER_URL"] = args.broker_url

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        failed = run(max(1, args.groups), max(1, args.periods), args.target)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
    if failed:
        print(f"\n{failed} check(s) failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
