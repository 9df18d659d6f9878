"""The scheduler's tick: the reporting calendar, run exactly once.

Celery beat fires ``scheduler_tick`` every few minutes. Each tick looks at the calendar and
the open periods and does whatever is due *and not done yet*:

1. create the periods whose opening day has come, and open them (a draft per active group);
2. create drafts for groups that became active while a period was open;
3. remind chairs and vice-chairs before their due date, escalate to them and OCT after it;
4. start the consolidated report of a round, and the annual report, when their inputs are due;
5. close periods after their closing day (or once every input is accepted);
6. send OCT's weekly digest and the Committee chair's digest of groups more than a week late;
7. remind the owners of the Committee's open action points, and escalate overdue ones;
   remind the member entities that have not commented on an open biennial review of the
   Compact, and escalate after its deadline;
8. queue again the report editions no worker took (the broker was down) or whose worker died.

Exactly once: every action runs in a transaction that first inserts a ``SchedulerEvent``
whose unique key names the action (``reminder:<submission>:<due date>:<days>``). A second
tick, a concurrent tick or a tick after a crash cannot insert the key again, so it skips the
action; the e-mails the action queues are unique per occasion and recipient as well. If an
action fails, its transaction (and so its claim) is rolled back and the next tick retries.
Reminders and escalations, the only actions a tick may owe by the thousand, go in chunks of
``CHASE_CHUNK``: one transaction claims a chunk's keys in one statement (``INSERT … ON
CONFLICT DO NOTHING RETURNING``), queues the e-mails of the claimed ones in bulk and commits;
a crash rolls back at most the chunk in flight.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from compact.core.categories import EmailCategory
from compact.core.models import User
from compact.core.outbox import OutgoingMessage, email_queue, emails_queue_many
from compact.core.permissions import can_read_classification
from compact.core.roles import Role, role_emails
from compact.lib.emails import absolute_url
from compact.registry.services import heartbeat_record
from reporting.calendar.claims import chase_reached, scheduler_claim_many
from reporting.calendar.claims import scheduler_claim as _claim
from reporting.calendar.models import (
    DEFAULT_ESCALATION_DAYS,
    DEFAULT_REMINDER_DAYS,
    CalendarRule,
    ExtensionRequest,
    SchedulerEvent,
)
from reporting.calendar.services import calendar_rules, rule_plan, scheduler_day
from reporting.committee.chasing import action_points_chase
from reporting.compiled.editions import editions_requeue_lost
from reporting.compiled.services import annual_report_start, consolidated_report_start
from reporting.review.reminders import review_comments_chase
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_close, period_create, period_open
from reporting.submissions.services import submission_draft_create
from workinggroups.models import RoleAssignment, WorkingGroup

logger = logging.getLogger(__name__)

Event = SchedulerEvent.Kind
State = ReportingPeriod.State
# How far back a tick still starts a consolidated report for a round whose inputs fell due:
# enough to survive a long outage, not so much that a new installation fills in history.
SHELL_LOOKBACK = datetime.timedelta(days=90)
DIGEST_DUE_SOON = datetime.timedelta(days=14)
# Reminders and escalations claimed, queued and committed together: large enough that a tick
# owing a thousand spends a few dozen statements and commits on them, small enough that a
# crash redoes little and a transaction holds its claims (which a racing tick waits for) briefly.
CHASE_CHUNK = 100


@dataclass
class TickReport:
    """What one tick did (for the task's log line, the benchmark and tests)."""

    periods_created: int = 0
    periods_opened: int = 0
    drafts_created: int = 0
    reminders: int = 0
    escalations: int = 0
    digests: int = 0
    periods_closed: int = 0
    reports_started: int = 0
    action_points_chased: int = 0
    review_comments_chased: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def scheduler_tick(*, now: datetime.datetime | None = None) -> TickReport:
    """Do everything the calendar says is due at ``now`` and has not been done yet."""
    now = now or timezone.now()
    report = TickReport()
    rules = calendar_rules()
    _periods_create(rules, now, report)
    _periods_open(now, report)
    _drafts_ensure(report)
    _reminders_and_escalations(rules, now, report)
    _reports_start(now, report)
    _periods_close(now, report)
    _digests_send(now, report)
    report.action_points_chased += action_points_chase(now=now)
    report.review_comments_chased += review_comments_chase(now=now)
    editions_requeue_lost(now=now)
    heartbeat_record(name="scheduler")
    return report


class _SkippedError(Exception):
    """Roll back an action's transaction, claim included: someone did it another way."""


# --- Periods ----------------------------------------------------------------------------------


def _periods_create(rules: dict[str, CalendarRule], now: datetime.datetime, report: TickReport) -> None:
    existing = set(ReportingPeriod.objects.values_list("kind", "covers_from"))
    for rule in rules.values():
        if not rule.active:
            continue
        today = scheduler_day(now, rule.time_zone)
        for year in (today.year - 1, today.year, today.year + 1):
            plan = rule_plan(rule, year)
            if (plan.kind, plan.covers_from) in existing or not plan.opens_on <= today <= plan.closes_on:
                continue
            try:
                with transaction.atomic():
                    if _claim(f"period-created:{plan.kind}:{plan.covers_from}", Event.PERIOD_CREATED) is None:
                        continue
                    period_create(
                        kind=plan.kind,
                        covers_from=plan.covers_from,
                        covers_until=plan.covers_until,
                        opens_on=plan.opens_on,
                        due_on=plan.due_on,
                        closes_on=plan.closes_on,
                        time_zone=plan.time_zone,
                        actor=None,
                    )
            except (ValidationError, IntegrityError):
                # OCT scheduled the same period by hand meanwhile: theirs stands.
                logger.info("Period %s %s exists already; not created.", plan.kind, plan.covers_from)
                continue
            report.periods_created += 1


def _periods_open(now: datetime.datetime, report: TickReport) -> None:
    for period in ReportingPeriod.objects.filter(state=State.SCHEDULED).order_by("opens_on", "pk"):
        if period.opens_on > scheduler_day(now, period.time_zone):
            continue
        groups = WorkingGroup.objects.active_on(period.covers_until).count()
        try:
            with transaction.atomic():
                event = _claim(
                    f"period-opened:{period.pk}",
                    Event.PERIOD_OPENED,
                    period=period,
                    detail=ngettext(
                        "A draft for %(count)s working group.", "Drafts for %(count)s working groups.", groups
                    )
                    % {"count": groups},
                )
                if event is None:
                    continue
                try:
                    report.drafts_created += period_open(period=period, actor=None)
                except ValidationError as error:
                    raise _SkippedError from error
        except _SkippedError:
            continue  # OCT opened it by hand meanwhile
        report.periods_opened += 1


def _drafts_ensure(report: TickReport) -> None:
    """A group established while a period is open gets its draft too."""
    for period in ReportingPeriod.objects.filter(state=State.OPEN):
        missing = WorkingGroup.objects.active_on(period.covers_until).exclude(submissions__period=period)
        for group in missing:
            with transaction.atomic():
                if _claim(f"draft:{period.pk}:{group.pk}", Event.DRAFTS_CREATED, period=period, detail=str(group)):
                    report.drafts_created += submission_draft_create(period=period, group=group)[1]


def _periods_close(now: datetime.datetime, report: TickReport) -> None:
    for period in ReportingPeriod.objects.filter(state=State.OPEN):
        today = scheduler_day(now, period.time_zone)
        statuses = set(period.submissions.values_list("status", flat=True))
        # Inputs closed with their group (a reorganisation) are not waited for.
        finished = statuses - {Submission.Status.CLOSED} == {Submission.Status.ACCEPTED} and today > period.due_on
        if not (finished or (period.closes_on is not None and today > period.closes_on)):
            continue
        detail = _("Every input accepted.") if finished else _("Closing day passed.")
        # One claim per closing, numbered: a period OCT reopened is closed again by a later tick.
        closings = SchedulerEvent.objects.filter(kind=Event.PERIOD_CLOSED, period=period).count()
        key = f"period-closed:{period.pk}:{closings}"
        try:
            with transaction.atomic():
                if _claim(key, Event.PERIOD_CLOSED, period=period, detail=detail) is None:
                    continue
                try:
                    period_close(period=period, actor=None)
                except ValidationError as error:
                    raise _SkippedError from error
        except _SkippedError:
            continue
        report.periods_closed += 1


def _reports_start(now: datetime.datetime, report: TickReport) -> None:
    """Start the consolidated report of each round, and the year's annual report, once the
    inputs they are compiled from are due."""
    earliest = (now - SHELL_LOOKBACK).date()
    rounds = ReportingPeriod.objects.filter(
        state__in=(State.OPEN, State.CLOSED), due_on__gte=earliest, consolidated_report__isnull=True
    )
    for period in rounds:
        if scheduler_day(now, period.time_zone) <= period.due_on:
            continue
        with transaction.atomic():
            if _claim(f"consolidated:{period.pk}", Event.CONSOLIDATED_SHELL, period=period, detail=str(period)):
                consolidated_report_start(period=period, actor=None)
                report.reports_started += 1
        if period.kind == ReportingPeriod.Kind.END_OF_YEAR:
            year = period.covers_from.year
            with transaction.atomic():
                if _claim(f"annual:{year}", Event.ANNUAL_SHELL, period=period, detail=str(year)):
                    annual_report_start(year=year, actor=None)
                    report.reports_started += 1


# --- Reminders and escalations ------------------------------------------------------------------


@dataclass(frozen=True)
class _Chase:
    """A reminder or escalation owed for one submission."""

    submission: Submission
    kind: str
    days: int  # the calendar's offset that was reached
    due_on: datetime.date
    today: datetime.date

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.submission.pk}:{self.due_on}:{self.days}"


def _chase_for(submission: Submission, rule: CalendarRule | None, today: datetime.date) -> _Chase | None:
    """The latest reminder or escalation the calendar has reached for this draft."""
    reached = chase_reached(
        due_on=submission.due_on,
        today=today,
        reminder_days=rule.reminder_days if rule else DEFAULT_REMINDER_DAYS,
        escalation_days=rule.escalation_days if rule else DEFAULT_ESCALATION_DAYS,
    )
    if reached is None:
        return None
    kind = Event.REMINDER if reached[0] == "reminder" else Event.ESCALATION
    return _Chase(submission, kind, reached[1], submission.due_on, today)


def _leaders_by_group(group_ids: Iterable[int], day: datetime.date) -> dict[int, list[User]]:
    leaders: dict[int, list[User]] = defaultdict(list)
    assignments = (
        RoleAssignment.objects.in_force_on(day)
        .leading()
        .filter(working_group_id__in=set(group_ids), person__isnull=False, person__is_active=True)
        .select_related("person__profile")
        .order_by("working_group_id", "role", "pk")
    )
    for assignment in assignments:
        if assignment.person.email and assignment.person not in leaders[assignment.working_group_id]:
            leaders[assignment.working_group_id].append(assignment.person)
    return leaders


def _reminders_and_escalations(rules: dict[str, CalendarRule], now: datetime.datetime, report: TickReport) -> None:
    drafts = Submission.objects.filter(period__state=State.OPEN, status=Submission.Status.DRAFT).select_related(
        "period", "working_group"
    )
    chases = []
    for submission in drafts:
        chase = _chase_for(
            submission, rules.get(submission.period.kind), scheduler_day(now, submission.period.time_zone)
        )
        if chase is not None:
            chases.append(chase)
    done = set(SchedulerEvent.objects.filter(key__in=[c.key for c in chases]).values_list("key", flat=True))
    # In the order of their keys: the claims of every tick then come in one order, so that two
    # ticks racing over the same chunks wait for each other instead of deadlocking.
    chases = sorted((c for c in chases if c.key not in done), key=lambda c: c.key)
    if not chases:
        return
    leaders = _leaders_by_group({c.submission.working_group_id for c in chases}, timezone.localdate(now))
    names = _Names()
    for start in range(0, len(chases), CHASE_CHUNK):
        _chases_send([_owed(chase, leaders) for chase in chases[start : start + CHASE_CHUNK]], names, report)


class _Names:
    """The names of the groups and periods a tick's reminders quote, each worked out once per
    language: a period's name formats two dates and a translated kind, and a thousand
    reminders of one round would otherwise do that six thousand times for four periods."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, int], _Name] = {}

    def of(self, record: WorkingGroup | ReportingPeriod) -> _Name:
        key = (record._meta.label, record.pk)
        if key not in self._names:
            self._names[key] = _Name(record)
        return self._names[key]


class _Name:
    """``str(record)`` in the language active when a template prints it, remembered per language."""

    def __init__(self, record: WorkingGroup | ReportingPeriod) -> None:
        self.record = record
        self._by_language: dict[str | None, str] = {}

    def __str__(self) -> str:
        language = get_language()
        if language not in self._by_language:
            self._by_language[language] = str(self.record)
        return self._by_language[language]


@dataclass(frozen=True)
class _Owed:
    """A chase with the people it goes to, and the note for the scheduler's log."""

    chase: _Chase
    recipients: list[str]
    detail: str


def _owed(chase: _Chase, leaders: dict[int, list[User]]) -> _Owed:
    """Who is told: the group's chairs and vice-chairs cleared for the input, and OCT for an
    escalation or when the group has none of them."""
    submission = chase.submission
    leader_emails = [
        p.email
        for p in leaders.get(submission.working_group_id, [])
        if can_read_classification(p, submission.classification)
    ]
    recipients = list(leader_emails)
    if chase.kind == Event.ESCALATION or not recipients:
        recipients.append(settings.OCT_SECRETARIAT_EMAIL)
    detail = ""
    if not leader_emails:
        detail = _("The group has no chair or vice-chair with an e-mail address: OCT was told instead.")
    return _Owed(chase, recipients, detail)


def _chases_send(chunk: list[_Owed], names: _Names, report: TickReport) -> None:
    """Send a chunk of reminders and escalations in one transaction: claim their events in one
    statement, queue the e-mails of those this tick claimed in bulk, commit. A crash loses at
    most this chunk's work, rolled back with its claims and redone by the next tick; a chunk
    another tick claimed (part of) is skipped (in part)."""
    with transaction.atomic():
        claimed = {event.key for event in scheduler_claim_many([_chase_event(owed) for owed in chunk])}
        sent = [owed for owed in chunk if owed.chase.key in claimed]
        emails_queue_many(messages=[_chase_message(owed, names) for owed in sent])
    for owed in sent:
        if owed.chase.kind == Event.REMINDER:
            report.reminders += 1
        else:
            report.escalations += 1


def _chase_event(owed: _Owed) -> SchedulerEvent:
    submission = owed.chase.submission
    return SchedulerEvent(
        key=owed.chase.key,
        kind=owed.chase.kind,
        period=submission.period,
        submission=submission,
        recipients=owed.recipients,
        detail=owed.detail,
    )


def _chase_message(owed: _Owed, names: _Names) -> OutgoingMessage:
    chase, submission = owed.chase, owed.chase.submission
    days_left = (chase.due_on - chase.today).days
    return OutgoingMessage(
        occasion=chase.key,
        recipients=owed.recipients,
        template=f"reporting-{chase.kind}",
        category=EmailCategory.DEADLINES,
        context={
            "submission": submission,
            "group": names.of(submission.working_group),
            "period": names.of(submission.period),
            "due_on": chase.due_on,
            "days_left": days_left,
            "days_late": -days_left,
            "extended": submission.extended_until is not None,
            "url": absolute_url(reverse("reporting-submission", args=[submission.pk])),
        },
    )


# --- Digests ----------------------------------------------------------------------------------


def _digest_week(now: datetime.datetime) -> str | None:
    """The ISO week whose digests are due, once the digest weekday has come (a tick that
    missed the day sends them later that week); None before it."""
    today = scheduler_day(now, settings.TIME_ZONE)
    if today.weekday() < settings.SCHEDULER_DIGEST_WEEKDAY:
        return None
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_contents(*, today: datetime.date) -> dict[str, list[Any]]:
    """What OCT's weekly digest lists: inputs due within two weeks, late, returned, waiting
    for review, and extension requests waiting for a decision."""
    drafts = list(
        Submission.objects.filter(period__state=State.OPEN, status=Submission.Status.DRAFT)
        .select_related("period", "working_group")
        .order_by("period__due_on", "working_group__number")
    )
    return {
        "due_soon": [s for s in drafts if today <= s.due_on <= today + DIGEST_DUE_SOON],
        "late": [s for s in drafts if s.due_on < today],
        "returned": list(
            Submission.objects.filter(status=Submission.Status.RETURNED)
            .exclude(period__state=State.CLOSED)
            .select_related("period", "working_group")
        ),
        "awaiting_review": list(
            Submission.objects.filter(status__in=Submission.AWAITING_REVIEW).select_related("period", "working_group")
        ),
        "extensions": list(
            ExtensionRequest.objects.filter(status=ExtensionRequest.Status.REQUESTED).select_related(
                "submission__period", "submission__working_group"
            )
        ),
    }


def _committee_chairs() -> list[str]:
    return role_emails(Role.USG)


def _digests_send(now: datetime.datetime, report: TickReport) -> None:
    week = _digest_week(now)
    if week is None:
        return
    keys = {f"oct-digest:{week}", f"committee-digest:{week}"}
    if set(SchedulerEvent.objects.filter(key__in=keys).values_list("key", flat=True)) == keys:
        return
    today = scheduler_day(now, settings.TIME_ZONE)
    contents = digest_contents(today=today)
    base = {"today": today, "week": week, "site": absolute_url(reverse("reporting-home"))}
    anything = any(contents.values())
    report.digests += _digest_send(
        key=f"oct-digest:{week}",
        kind=Event.OCT_DIGEST,
        recipients=[settings.OCT_SECRETARIAT_EMAIL] if anything else [],
        template="scheduler-oct-digest",
        context={**base, **contents},
        detail="" if anything else _("Nothing due, late or returned: not sent."),
    )
    late_days = settings.SCHEDULER_COMMITTEE_LATE_DAYS
    very_late = [s for s in contents["late"] if (today - s.due_on).days > late_days]
    chairs = _committee_chairs() if very_late else []
    detail = ""
    if not very_late:
        detail = _("No group more than %(days)s days late: not sent.") % {"days": late_days}
    elif not chairs:
        detail = _("No Committee chair with an e-mail address.")
    report.digests += _digest_send(
        key=f"committee-digest:{week}",
        kind=Event.COMMITTEE_DIGEST,
        recipients=chairs,
        template="scheduler-committee-digest",
        context={**base, "late": very_late, "late_days": late_days},
        detail=detail,
    )


def _digest_send(
    *, key: str, kind: str, recipients: list[str], template: str, context: dict[str, Any], detail: str
) -> int:
    with transaction.atomic():
        if _claim(key, kind, recipients=recipients, detail=detail) is None:
            return 0
        if recipients:
            email_queue(
                occasion=key,
                recipients=recipients,
                template=template,
                context=context,
                category=EmailCategory.DEADLINES,
                link=context.get("site", ""),
            )
    return 1 if recipients else 0
