"""Reads of reporting data, scoped to what the asking user may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from compact.core.models import Classification
from compact.core.permissions import can_read_classification, is_oct, objects_permitted
from compact.registry.permissions import can_read_registry
from reporting.submissions.models import ReportingPeriod, Submission, SubmissionVersion
from reporting.submissions.permissions import reads_for_committee
from workinggroups.models import WorkingGroup
from workinggroups.permissions import LEAD_PERMISSION

if TYPE_CHECKING:
    pass


AnyUser = AbstractBaseUser | AnonymousUser
# What a group wrote, as opposed to where its input stands.
CONTENT_FIELDS = (*Submission.BRIEFING_FIELDS, *Submission.REPORT_FIELDS)


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


def _expected_groups(period: ReportingPeriod) -> QuerySet[WorkingGroup]:
    """The groups expected to report for ``period``, by number: those active at its end, and
    any other group that has a submission for it."""
    return WorkingGroup.objects.filter(
        Q(pk__in=WorkingGroup.objects.active_on(period.covers_until))
        | Q(pk__in=period.submissions.values("working_group"))
    ).order_by("number")


def _group_rows(
    period: ReportingPeriod, groups: Iterable[WorkingGroup], today: datetime.date, *, only_these: bool
) -> list[GroupRow]:
    """Where each of ``groups`` stands for ``period``. Where each group stands, not what it
    wrote: the inputs' texts stay in the database (a report's worth of text per group)."""
    groups = list(groups)
    inputs = period.submissions.defer(*CONTENT_FIELDS)
    if only_these:
        inputs = inputs.filter(working_group__in=[group.pk for group in groups])
    submissions = {submission.working_group_id: submission for submission in inputs}
    rows = []
    for group in groups:
        submission = submissions.get(group.pk)
        if submission is not None:
            submission.working_group = group
        progress, late = submission_progress(submission, period, today)
        rows.append(GroupRow(group, submission, progress, late))
    return rows


def period_dashboard(period: ReportingPeriod, *, today: datetime.date | None = None) -> PeriodDashboard:
    """Every group expected to report for ``period`` × where it stands, with the reporting
    rate (groups that submitted / groups expected) and the on-time rate (submitted by the due
    date / submitted). Groups expected: those active at the period's end, and any other group
    that has a submission for it."""
    rows = _group_rows(period, _expected_groups(period), today or timezone.localdate(), only_these=False)
    reported = [row for row in rows if row.submission is not None and row.submission.submitted_at is not None]
    return PeriodDashboard(
        period=period,
        rows=rows,
        expected=len(rows),
        reported=len(reported),
        on_time=sum(1 for row in reported if row.submission.on_time),
    )


def period_dashboard_page(
    period: ReportingPeriod, *, page_number: str | int | None, per_page: int, today: datetime.date | None = None
) -> tuple[PeriodDashboard, Page]:
    """``period_dashboard`` for one page of groups: the figures count every group (in the
    database), the rows are only the page's, so that the period's page does the same work
    whatever the number of groups."""
    page = Paginator(_expected_groups(period), per_page).get_page(page_number)
    rows = _group_rows(period, page.object_list, today or timezone.localdate(), only_these=True)
    submitted = Q(submitted_at__isnull=False)
    figures = period.submissions.aggregate(
        reported=Count("pk", filter=submitted), on_time=Count("pk", filter=submitted & Q(on_time=True))
    )
    dashboard = PeriodDashboard(
        period=period,
        rows=rows,
        expected=page.paginator.count,
        reported=figures["reported"],
        on_time=figures["on_time"],
    )
    return dashboard, page


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
