"""Reads of the reporting calendar: its rules, the upcoming periods, extension requests, the
scheduler's log and health, within what the reader may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from compact.core.models import Heartbeat
from compact.lib.languages import date_span
from reporting.calendar.models import CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.calendar.services import calendar_upcoming
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.permissions import can_manage_calendar
from reporting.submissions.selectors import AnyUser, groups_led_by, submissions_visible_to

if TYPE_CHECKING:
    from reporting.calendar.services import PlannedPeriod


def calendar_rules_visible_to(user: AnyUser) -> QuerySet[CalendarRule]:
    """OCT's rules in the calendar's order (briefings, then the reports); none for anyone else."""
    if not can_manage_calendar(user):
        return CalendarRule.objects.none()
    order = Case(*(When(kind=kind, then=Value(n)) for n, kind in enumerate(ReportingPeriod.Kind.values)))
    return CalendarRule.objects.select_related("updated_by").order_by(order)


def extension_requests_visible_to(user: AnyUser) -> QuerySet[ExtensionRequest]:
    """OCT reads every request for a submission within its clearance; a group's chair and
    vice-chairs read their group's; nobody else reads any (not even readers of the report)."""
    submissions = submissions_visible_to(user)
    if not can_manage_calendar(user):
        submissions = submissions.filter(working_group__in=groups_led_by(user))
    return ExtensionRequest.objects.filter(submission__in=submissions.values("pk")).select_related(
        "submission__period", "submission__working_group", "requested_by", "decided_by"
    )


def scheduler_events_visible_to(user: AnyUser) -> QuerySet[SchedulerEvent]:
    """The scheduler's log, newest first: OCT's only."""
    if not can_manage_calendar(user):
        return SchedulerEvent.objects.none()
    return SchedulerEvent.objects.select_related("period", "submission__working_group")


@dataclass(frozen=True)
class UpcomingRow:
    plan: PlannedPeriod
    period: ReportingPeriod | None

    @property
    def kind_label(self) -> str:
        return str(ReportingPeriod.Kind(self.plan.kind).label)

    @property
    def span(self) -> str:
        return date_span(self.plan.covers_from, self.plan.covers_until)


def calendar_upcoming_rows() -> list[UpcomingRow]:
    """The calendar's next periods, each with its period row if the scheduler created it."""

    plans = calendar_upcoming()
    existing = ReportingPeriod.objects.filter(
        kind__in={plan.kind for plan in plans}, covers_from__in={plan.covers_from for plan in plans}
    )
    by_key = {(period.kind, period.covers_from): period for period in existing}
    return [UpcomingRow(plan, by_key.get((plan.kind, plan.covers_from))) for plan in plans]


def open_periods_with_counts() -> QuerySet[ReportingPeriod]:
    """Open periods with how many groups stand where, and requests waiting for a decision."""
    status = "submissions__status__in"
    return (
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN)
        .annotate(
            groups=Count("submissions", distinct=True),
            drafts=Count("submissions", distinct=True, filter=Q(**{status: Submission.EDITABLE})),
            awaiting=Count("submissions", distinct=True, filter=Q(**{status: Submission.AWAITING_REVIEW})),
            accepted=Count("submissions", distinct=True, filter=Q(submissions__status=Submission.Status.ACCEPTED)),
            pending_extensions=Count(
                "submissions__extension_requests",
                distinct=True,
                filter=Q(submissions__extension_requests__status=ExtensionRequest.Status.REQUESTED),
            ),
        )
        .order_by("due_on", "kind")
    )


def scheduler_health(now: datetime.datetime | None = None) -> dict[str, Any]:
    """When the scheduler last ticked, and whether that is too long ago to trust."""
    now = now or timezone.now()
    # Three missed ticks (every five minutes by default) mean the scheduler is not running.
    stale_after = datetime.timedelta(seconds=3 * settings.SCHEDULER_TICK_SECONDS)
    beat = Heartbeat.objects.filter(name="scheduler").first()
    seen_at = beat.seen_at if beat else None
    return {
        "seen_at": seen_at,
        "stale": seen_at is None or now - seen_at > stale_after,
        "just_now": seen_at is not None and now - seen_at < datetime.timedelta(minutes=1),
    }


def scheduler_event_counts(*, since: datetime.datetime) -> list[dict[str, Any]]:
    """How many things of each kind the scheduler did since ``since`` (kinds it did)."""
    counts = dict(
        SchedulerEvent.objects.filter(created_at__gte=since).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return [
        {"kind": value, "label": label, "count": counts[value]}
        for value, label in SchedulerEvent.Kind.choices
        if counts.get(value)
    ]
