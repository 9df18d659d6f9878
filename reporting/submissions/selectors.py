"""Reads of reporting data, scoped to what the asking user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from compact.models import Classification, Heartbeat
from compact.permissions import can_read_classification, can_read_registry, is_oct, objects_permitted
from reporting.models import (
    CalendarRule,
    ExtensionRequest,
    ReportingPeriod,
    SchedulerEvent,
    Submission,
    SubmissionVersion,
)
from reporting.submissions.permissions import can_manage_calendar, reads_for_committee
from workinggroups.models import WorkingGroup
from workinggroups.permissions import LEAD_PERMISSION

if TYPE_CHECKING:
    from reporting.calendar.services import PlannedPeriod

AnyUser = AbstractBaseUser | AnonymousUser


def _readable_levels(user: AnyUser) -> list[str]:
    return [level for level in Classification.values if can_read_classification(user, level)]


def groups_led_by(user: AnyUser) -> QuerySet[WorkingGroup]:
    """The groups ``user`` may edit and submit for (the object permission, not the role list)."""
    return objects_permitted(user, LEAD_PERMISSION, WorkingGroup)


def submissions_visible_to(user: AnyUser) -> QuerySet[Submission]:
    """OCT reads everything within its clearance; leaders read their groups' submissions in any
    status; Committee members read accepted ones. Nobody reads above their clearance."""
    levels = _readable_levels(user)
    if not levels:
        return Submission.objects.none()
    submissions = Submission.objects.filter(classification__in=levels).select_related("period", "working_group")
    if is_oct(user):
        return submissions
    scope = Q(working_group__in=groups_led_by(user))
    if reads_for_committee(user):
        scope |= Q(status=Submission.Status.ACCEPTED)
    return submissions.filter(scope)


def get_submission_for_user_or_404(user: AnyUser, pk: int) -> Submission:
    """One submission; the same 404 whether it is missing or hidden from ``user``."""
    submission = submissions_visible_to(user).filter(pk=pk).first()
    if submission is None:
        raise Http404("No such submission.")
    return submission


def versions_of(submission: Submission, user: AnyUser) -> QuerySet[SubmissionVersion]:
    """The submitted versions ``user`` may read: a version keeps the classification it was
    submitted with, which may be above the submission's classification today."""
    return (
        submission.versions.filter(classification__in=_readable_levels(user))
        .select_related("submitted_by")
        .order_by("number")
    )


def submission_content(submission: Submission) -> dict[str, Any]:
    """The content as a plain dict, in the shape versions freeze and diffs compare."""
    return {
        "fields": {name: getattr(submission, name) for name in submission.content_fields},
        "activities": [
            {"title": line.title, "status": line.status, "narrative": line.narrative}
            for line in submission.activity_progress.order_by("position", "id")
        ],
        "classification": submission.classification,
        "attachments": list(submission.attachments.order_by("uploaded_at", "id").values_list("name", flat=True)),
    }


def content_labels() -> dict[str, str]:
    """The content's sections named for people (the headings of a diff)."""
    names = (*Submission.BRIEFING_FIELDS, *Submission.REPORT_FIELDS)
    labels = {name: capfirst(Submission._meta.get_field(name).verbose_name) for name in names}
    return {**labels, "classification": _("Classification"), "attachments": _("Attachments")}


def periods_visible_to(user: AnyUser) -> QuerySet[ReportingPeriod]:
    """Reporting periods are part of the (unclassified) calendar: any signed-in user."""
    if not can_read_registry(user):
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.order_by("-due_on", "kind")


def previous_submission(submission: Submission, user: AnyUser) -> Submission | None:
    """The group's submission of the same kind of report in the period before, if readable."""
    same_kind = (
        Q(period__kind__in=ReportingPeriod.BRIEFINGS)
        if submission.period.is_briefing
        else ~Q(period__kind__in=ReportingPeriod.BRIEFINGS)
    )
    return (
        submissions_visible_to(user)
        .filter(
            same_kind, working_group=submission.working_group, period__covers_until__lt=submission.period.covers_from
        )
        .order_by("-period__covers_until")
        .first()
    )


# --- The secretariat's view of a period ----------------------------------------------------------


class Progress:
    NOT_STARTED = "not-started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    LATE = "late"


@dataclass(frozen=True)
class GroupRow:
    group: WorkingGroup
    submission: Submission | None
    progress: str
    late: bool


@dataclass(frozen=True)
class PeriodDashboard:
    period: ReportingPeriod
    rows: list[GroupRow]
    expected: int
    reported: int
    on_time: int

    @property
    def reporting_rate(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.reported if self.reported else None


def submission_progress(
    submission: Submission | None, period: ReportingPeriod, today: datetime.date
) -> tuple[str, bool]:
    """Where a group stands for a period, and whether it is late: past the due date and never
    submitted (a report submitted after the due date is reported, but not on time)."""
    never_submitted = submission is None or submission.submitted_at is None
    due_on = submission.due_on if submission is not None else period.due_on  # extensions count
    late = never_submitted and today > due_on
    if late:
        return Progress.LATE, True
    if submission is None or (submission.status == Submission.Status.DRAFT and submission.last_edited_at is None):
        return Progress.NOT_STARTED, False
    status = submission.status
    if status == Submission.Status.RESUBMITTED:
        return Progress.SUBMITTED, False
    return status, False


def period_dashboard(period: ReportingPeriod, *, today: datetime.date | None = None) -> PeriodDashboard:
    """Every group expected to report for ``period`` × where it stands, with the reporting
    rate (groups that submitted / groups expected) and the on-time rate (submitted by the due
    date / submitted). Groups expected: those active at the period's end, and any other group
    that has a submission for it."""
    today = today or timezone.localdate()
    submissions = {s.working_group_id: s for s in period.submissions.select_related("working_group")}
    groups = WorkingGroup.objects.filter(
        Q(pk__in=WorkingGroup.objects.active_on(period.covers_until)) | Q(pk__in=submissions)
    ).order_by("number")
    rows = []
    for group in groups:
        submission = submissions.get(group.pk)
        progress, late = submission_progress(submission, period, today)
        rows.append(GroupRow(group, submission, progress, late))
    reported = [row for row in rows if row.submission is not None and row.submission.submitted_at is not None]
    return PeriodDashboard(
        period=period,
        rows=rows,
        expected=len(rows),
        reported=len(reported),
        on_time=sum(1 for row in reported if row.submission.on_time),
    )


# --- A chair's desk ------------------------------------------------------------------------------


def chair_desk(user: AnyUser) -> list[Submission]:
    """The submissions of the groups ``user`` leads that still need them, most urgent first:
    returned ones, then drafts of open periods by due date."""
    mine = submissions_visible_to(user).filter(working_group__in=groups_led_by(user))
    waiting = mine.filter(status__in=Submission.EDITABLE, period__state=ReportingPeriod.State.OPEN)
    returned_first = sorted(
        waiting, key=lambda s: (s.status != Submission.Status.RETURNED, s.period.due_on, s.working_group.number)
    )
    return returned_first


def accepted_reports(user: AnyUser) -> QuerySet[Submission]:
    """Accepted submissions ``user`` may read, by period (newest first) and group."""
    return (
        submissions_visible_to(user)
        .filter(status=Submission.Status.ACCEPTED)
        .order_by("-period__due_on", "period__kind", "working_group__number")
    )


# --- The calendar, extensions and the scheduler's log ------------------------------------------


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
        return f"{self.plan.covers_from:%d %b %Y}–{self.plan.covers_until:%d %b %Y}"


def calendar_upcoming_rows() -> list[UpcomingRow]:
    """The calendar's next periods, each with its period row if the scheduler created it."""
    from reporting.calendar.services import calendar_upcoming  # services read selectors too

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
