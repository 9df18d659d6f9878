"""What waits on a person: one list, per role, of the things they are expected to do next,
each with its due date and the page where it is done (the home page's "Waiting for you", the
count in the menu, ``GET /api/v1/tasks/``).

Everything comes from the permission-scoped selectors of the domains, so a task never shows
what its reader could not open. A task is a pointer, not a record: it disappears when the
thing is done, and nothing is stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.core.permissions import is_oct
from compact.outreach.selectors import briefing_schedule_for
from compact.signon.models import SignOnRequest
from compact.signon.selectors import signon_requests_visible_to
from compact.visits.selectors import visits_awaiting_cted, visits_awaiting_follow_up
from reporting.calendar.models import ExtensionRequest
from reporting.calendar.selectors import extension_requests_visible_to
from reporting.committee.models import Meeting
from reporting.committee.selectors import (
    briefing_packs_visible_to,
    meeting_joinable,
    meetings_visible_to,
    open_action_points_for,
)
from reporting.compiled.models import AnnualReport, ReportEdition
from reporting.compiled.selectors import annual_reports_visible_to
from reporting.consultation.selectors import consultations_awaited_from
from reporting.review.selectors import comments_awaited_from
from reporting.submissions.models import Submission
from reporting.submissions.permissions import can_approve_annual_report
from reporting.submissions.selectors import chair_desk, submissions_visible_to

AnyUser = AbstractBaseUser | AnonymousUser
# How long a decision on a chair's extension request stays in their list, to be read.
DECISION_SHOWN_FOR = datetime.timedelta(days=14)
# The sign-on states where the next move is OCT's.
SIGNON_FOR_OCT = (SignOnRequest.State.NEW, SignOnRequest.State.IN_CONSULTATION)
# How long the menu may show a count of tasks worked out on an earlier page (task_count_of_request).
TASK_COUNT_SECONDS = 60


@dataclass(frozen=True)
class Task:
    """One thing waiting on the reader: what, where to do it, and by when (None: no date)."""

    kind: str
    title: str
    url: str
    due_on: datetime.date | None = None
    detail: str = ""
    # A button next to the task (a meeting's link to join), with its label.
    action_url: str = ""
    action_label: str = ""

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today


def tasks_of_request(request: HttpRequest) -> list[Task]:
    """The signed-in person's tasks, worked out once per request (the home page lists them);
    their number is kept for the menu of the next pages (``task_count_of_request``)."""
    if not hasattr(request, "_compact_tasks"):
        request._compact_tasks = tasks_for(request.user, today=timezone.localdate())
        if request.user.is_authenticated:
            cache.set(task_count_key(request.user), len(request._compact_tasks), TASK_COUNT_SECONDS)
    return request._compact_tasks


def task_count_of_request(request: HttpRequest) -> int:
    """How many things wait on the signed-in person, for the menu of every page.

    Working the tasks out reads seven to ten tables (over half of a simple page's time for a
    chair), so the menu shows the number last worked out, for at most TASK_COUNT_SECONDS: the
    home page always works the list out afresh (and with it the number), and a change the
    person makes (any POST of theirs: ``portal.middleware.TaskCountMiddleware``) drops it at
    once. A change someone else makes (OCT returning a draft) reaches their menu within
    TASK_COUNT_SECONDS. When nothing is remembered, OCT's review queue (a task per submission
    awaiting review, as many as there are groups) is counted in the database, not built."""
    if hasattr(request, "_compact_tasks"):
        return len(request._compact_tasks)
    if not request.user.is_authenticated:
        return 0
    counted = cache.get(task_count_key(request.user))
    if counted is None:
        counted = task_count_for(request.user, today=timezone.localdate())
        cache.set(task_count_key(request.user), counted, TASK_COUNT_SECONDS)
    return counted


def task_count_forget(user: AbstractBaseUser) -> None:
    """The person changed something: their menu counts their tasks again on the next page."""
    cache.delete(task_count_key(user))


def task_count_key(user: AbstractBaseUser) -> str:
    """Where the menu's count of ``user``'s tasks is remembered in the cache."""
    return f"portal:task-count:{user.pk}"


def tasks_for(user: AnyUser, *, today: datetime.date) -> list[Task]:
    """Everything waiting on ``user``, soonest due first (undated ones last)."""
    if not user.is_authenticated or not user.is_active:
        return []
    tasks = [*_bounded_tasks(user, today), *_reviews(user)]
    return sorted(tasks, key=lambda task: (task.due_on is None, task.due_on or today, task.title))


def task_count_for(user: AnyUser, *, today: datetime.date) -> int:
    """``len(tasks_for(user, today=today))``, with the review queue counted, not built."""
    if not user.is_authenticated or not user.is_active:
        return 0
    return len(_bounded_tasks(user, today)) + _awaiting_review(user).count()


def _bounded_tasks(user: AnyUser, today: datetime.date) -> list[Task]:
    """The tasks whose number does not grow with the number of groups: the reader's own
    approvals, meeting, drafts, answers, comments and action points, and OCT's counted queues."""
    return [
        *_approvals(user),
        *_meeting(user, today),
        *_chair_desk(user),
        *_extension_answers(user, today),
        *_comments_due(user),
        *_consultations_due(user),
        *_action_points(user),
        *_briefing_due(user, today),
        *_country_visits(user, today),
        *_oct_queues(user),
    ]


def _country_visits(user: AnyUser, today: datetime.date) -> list[Task]:
    """CTED's visits waiting on CTED (OCT to tell, an assessment to record) and on OCT (the
    follow-up consultation), counted: one task each, to the visits' page."""
    tasks = []
    cted = visits_awaiting_cted(user, today=today).count()
    if cted:
        title = ngettext(
            "%(count)s country visit to bring up to date (OCT to tell, assessment to record)",
            "%(count)s country visits to bring up to date (OCT to tell, assessments to record)",
            cted,
        )
        tasks.append(Task("visit", title % {"count": cted}, reverse("visit-list")))
    oct_ = visits_awaiting_follow_up(user).count()
    if oct_:
        title = ngettext(
            "%(count)s country visit awaiting OCT's follow-up consultation",
            "%(count)s country visits awaiting OCT's follow-up consultation",
            oct_,
        )
        tasks.append(Task("visit", title % {"count": oct_}, reverse("visit-list")))
    return tasks


# The next briefing to Member States shows in the USG's and OCT's lists this long before it is
# due when the cadence sends no reminder (reminders off or none set), and from the first
# reminder day otherwise.
BRIEFING_SHOWN_BEFORE_DAYS = 30


def _briefing_due(user: AnyUser, today: datetime.date) -> list[Task]:
    """The next briefing to Member States, from its cadence, while none is planned."""
    schedule = briefing_schedule_for(user, today=today)
    if schedule is None or schedule.planned is not None:
        return []
    reminded = schedule.active and schedule.reminder_days
    shown_from = max(schedule.reminder_days) if reminded else BRIEFING_SHOWN_BEFORE_DAYS
    if schedule.days_left > shown_from:
        return []
    return [
        Task(
            "briefing",
            _("Plan the next briefing to Member States"),
            reverse("outreach-briefing-list"),
            due_on=schedule.due_on,
            detail=ngettext(
                "Nothing is planned yet; the USG briefs every month.",
                "Nothing is planned yet; the USG briefs every %(months)d months.",
                schedule.every_months,
            )
            % {"months": schedule.every_months},
        )
    ]


def _approvals(user: AnyUser) -> list[Task]:
    if not can_approve_annual_report(user):
        return []
    waiting = annual_reports_visible_to(user).filter(state=AnnualReport.State.AWAITING_APPROVAL).order_by("year")
    return [
        Task(
            "approval",
            _("Approve the annual report %(year)s") % {"year": report.year},
            reverse("reporting-annual", args=[report.pk]),
            detail=_("Submitted for your approval by the OCT secretariat."),
        )
        for report in waiting
    ]


def _meeting(user: AnyUser, today: datetime.date) -> list[Task]:
    """The Committee's next meeting, with its agenda and whether its briefing pack is out."""
    if is_oct(user):
        return []  # OCT prepares meetings: its own list is the queues below
    meeting = (
        meetings_visible_to(user).filter(state=Meeting.State.PLANNED, date__gte=today).order_by("date", "pk").first()
    )
    if meeting is None:
        return []
    packs = [pack for pack in briefing_packs_visible_to(user, meeting) if pack.status == ReportEdition.Status.DONE]
    items = meeting.agenda.count()
    detail = ngettext("%(count)s item on the agenda.", "%(count)s items on the agenda.", items) % {"count": items}
    if meeting.when_for_viewer:
        detail = _("Your time: %(when)s.") % {"when": meeting.when_for_viewer} + " " + detail
    if packs:
        detail += " " + _("The briefing pack is ready.")
    joinable = meeting_joinable(meeting)
    return [
        Task(
            "meeting",
            _("Coordination Committee meeting: %(when)s") % {"when": meeting.when},
            reverse("committee-meeting", args=[meeting.pk]),
            due_on=meeting.date,
            detail=detail,
            action_url=meeting.join_url if joinable else "",
            action_label=_("Join the meeting") if joinable else "",
        )
    ]


def _chair_desk(user: AnyUser) -> list[Task]:
    tasks = []
    for submission in chair_desk(user):
        returned = submission.status == Submission.Status.RETURNED
        title = _("Revise the %(period)s of %(group)s") if returned else _("Write the %(period)s of %(group)s")
        tasks.append(
            Task(
                "returned" if returned else "draft",
                title % {"period": submission.period.get_kind_display(), "group": submission.working_group},
                reverse("reporting-submission-edit", args=[submission.pk]),
                due_on=submission.due_on,
                detail=_("Returned for revision by the OCT secretariat.") if returned else "",
            )
        )
    return tasks


def _extension_answers(user: AnyUser, today: datetime.date) -> list[Task]:
    """A chair's requests for more time that OCT answered lately: to be read, not acted on."""
    if is_oct(user):
        return []
    since = datetime.datetime.combine(today - DECISION_SHOWN_FOR, datetime.time.min, tzinfo=datetime.UTC)
    answered = extension_requests_visible_to(user).filter(
        status__in=(ExtensionRequest.Status.APPROVED, ExtensionRequest.Status.DECLINED), decided_at__gte=since
    )
    tasks = []
    for request in answered.order_by("-decided_at"):
        submission = request.submission
        if request.status == ExtensionRequest.Status.APPROVED:
            title = _("More time granted for %(group)s: due %(day)s") % {
                "group": submission.working_group,
                "day": date_format(request.granted_until or request.requested_until),
            }
        else:
            title = _("More time declined for %(group)s") % {"group": submission.working_group}
        tasks.append(Task("extension", title, reverse("reporting-submission", args=[submission.pk])))
    return tasks


def _comments_due(user: AnyUser) -> list[Task]:
    return [
        Task(
            "comment",
            _("Comment on %(review)s for %(entity)s") % {"review": awaited.review.title, "entity": awaited.entity},
            reverse("review-comment", args=[awaited.review.pk, awaited.entity.acronym]),
            due_on=awaited.review.comments_due_on,
        )
        for awaited in comments_awaited_from(user)
    ]


def _consultations_due(user: AnyUser) -> list[Task]:
    """The open consultations on which an entity the reader speaks for has not commented yet."""
    return [
        Task(
            "consultation",
            _("Comment for %(entity)s on “%(title)s”")
            % {"entity": awaited.entity.acronym, "title": awaited.round.title},
            reverse("consultation-detail", args=[awaited.round.pk]),
            due_on=awaited.round.comments_due_on,
        )
        for awaited in consultations_awaited_from(user)
    ]


def _action_points(user: AnyUser) -> list[Task]:
    return [
        Task(
            "action-point",
            _("Action point: %(text)s") % {"text": _shortened(point.text)},
            reverse("committee-meeting", args=[point.meeting_id]) + "#action-points",
            due_on=point.due_on,
            detail=_("Agreed at the meeting of %(date)s.") % {"date": date_format(point.meeting.date)},
        )
        for point in open_action_points_for(user)[:20]
    ]


def _awaiting_review(user: AnyUser) -> QuerySet[Submission]:
    """The submissions OCT has to review (none for anyone else), oldest first."""
    if not is_oct(user):
        return Submission.objects.none()
    return (
        submissions_visible_to(user)
        .filter(status__in=Submission.AWAITING_REVIEW)
        .select_related("period", "working_group")
        .order_by("status_changed_at")
    )


def _reviews(user: AnyUser) -> list[Task]:
    return [
        Task(
            "review",
            _("Review the %(period)s of %(group)s")
            % {"period": submission.period.get_kind_display(), "group": submission.working_group},
            reverse("reporting-submission", args=[submission.pk]),
            detail=str(submission.get_status_display()),
        )
        for submission in _awaiting_review(user)
    ]


def _oct_queues(user: AnyUser) -> list[Task]:
    """OCT's counted queues (sign-on requests, requests for more time) and failed editions; the
    review queue, a task per submission, is ``_reviews``."""
    if not is_oct(user):
        return []
    tasks = []
    signons = signon_requests_visible_to(user).filter(state__in=SIGNON_FOR_OCT).count()
    if signons:
        tasks.append(
            Task(
                "signon",
                ngettext("%(count)s sign-on request to handle", "%(count)s sign-on requests to handle", signons)
                % {"count": signons},
                reverse("signon-review-list"),
            )
        )
    extensions = extension_requests_visible_to(user).filter(status=ExtensionRequest.Status.REQUESTED).count()
    if extensions:
        tasks.append(
            Task(
                "extension-request",
                ngettext(
                    "%(count)s request for more time to decide",
                    "%(count)s requests for more time to decide",
                    extensions,
                )
                % {"count": extensions},
                reverse("reporting-extensions"),
            )
        )
    tasks += _failed_editions()
    return tasks


def _failed_editions() -> list[Task]:
    """Documents whose latest edition failed (OCT generates them again once the cause is known)."""
    later = ReportEdition.objects.filter(number__gt=OuterRef("number")).filter(
        Q(meeting=OuterRef("meeting"))
        | Q(annual_report=OuterRef("annual_report"))
        # A null outer key matches nothing in SQL: only the same document's editions count.
        | Q(consolidated_report=OuterRef("consolidated_report"))
    )
    failed = (
        ReportEdition.objects.filter(status=ReportEdition.Status.FAILED)
        .exclude(Exists(later))
        .select_related("consolidated_report__period", "annual_report", "meeting")
        .order_by("-finished_at", "-pk")
    )
    return [
        Task(
            "edition",
            _("Edition %(number)s failed — %(document)s") % {"document": edition.report, "number": edition.number},
            _document_url(edition),
            detail=edition.error[:200],
        )
        for edition in failed
    ]


def _document_key(edition: ReportEdition) -> tuple[str, int]:
    if edition.meeting_id:
        return ("meeting", edition.meeting_id)
    if edition.annual_report_id:
        return ("annual", edition.annual_report_id)
    return ("consolidated", edition.consolidated_report_id)


def _document_url(edition: ReportEdition) -> str:
    kind, pk = _document_key(edition)
    if kind == "meeting":
        return reverse("committee-meeting", args=[pk]) + "#briefing-pack"
    name = "reporting-annual" if kind == "annual" else "reporting-consolidated"
    return reverse(name, args=[pk]) + "#editions"


def _shortened(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
