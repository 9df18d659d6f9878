"""The periods' pages: the reporting home (OCT's overview, a chair's desk), creating, opening,
closing and reopening a period."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.forms import service_errors_on
from reporting.calendar.models import ExtensionRequest
from reporting.compiled.models import ConsolidatedReport
from reporting.submissions.forms import (
    PeriodActionForm,
    PeriodForm,
    PeriodReopenForm,
)
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_close, period_create, period_open, period_reopen
from reporting.submissions.permissions import (
    can_manage_periods,
    reads_for_committee,
)
from reporting.submissions.selectors import (
    CONTENT_FIELDS,
    GroupRow,
    accepted_reports,
    chair_desk,
    groups_led_by,
    period_dashboard_page,
    periods_visible_to,
    submissions_visible_to,
)
from reporting.submissions.views import PROGRESS_LABELS, _due, _last_return, _percent

# The landing page's lists that grow with the number of groups come a page at a time (the
# working groups number about forty: a page holds a round of reviews or two of accepted inputs).
REVIEW_PAGE_SIZE = 50
ACCEPTED_PAGE_SIZE = 100
# A period's table of groups: every group of the Compact (about forty) on one page.
DASHBOARD_GROUPS_PER_PAGE = 60  # as the group list: every group of the Compact (about 40) on one page


def _desk_rows(user: Any, today: datetime.date) -> list[dict[str, Any]]:
    """The chair's desk, with days left and, for a returned report, OCT's last comment."""
    rows = []
    for submission in chair_desk(user):
        step = _last_return(submission)
        rows.append({"submission": submission, "due": _due(submission, today), "comment": step.comment if step else ""})
    return rows


def _audience(*, can_manage: bool, leads: bool, reads_accepted: bool) -> str:
    """Whom the landing page speaks to, for its title and introduction: OCT runs reporting for
    every group (even when its officer also leads one), a chair prepares their groups'
    inputs, the USG and Committee read accepted reports, anyone else follows the periods."""
    if can_manage:
        return "oct"
    if leads:
        return "chair"
    return "committee" if reads_accepted else "reader"


def _landing_context(request: HttpRequest, period_form: PeriodForm | None = None) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    leads = groups_led_by(user).exists()
    can_manage = can_manage_periods(user)
    reads_accepted = reads_for_committee(user)
    context: dict[str, Any] = {
        "periods": periods_visible_to(user),
        "can_manage": can_manage,
        "desk": _desk_rows(user, today) if leads else [],
        "leads": leads,
        # Every group's accepted inputs of every period: a page at a time, newest periods first.
        "accepted": Paginator(accepted_reports(user).defer(*CONTENT_FIELDS), ACCEPTED_PAGE_SIZE).get_page(
            request.GET.get("accepted_page")
        )
        if reads_accepted
        else None,
        "audience": _audience(can_manage=can_manage, leads=leads, reads_accepted=reads_accepted),
    }
    if leads:
        desk_ids = [row["submission"].pk for row in context["desk"]]
        context["group_reports"] = (
            submissions_visible_to(user)
            .filter(working_group__in=groups_led_by(user))
            .exclude(pk__in=desk_ids)
            .order_by("-period__due_on", "working_group__number")[:20]
        )
    if context["can_manage"]:
        context["period_form"] = period_form or PeriodForm()
        # One input per group and period may wait: a page at a time, oldest first.
        waiting = submissions_visible_to(user).filter(status__in=Submission.AWAITING_REVIEW)
        waiting = waiting.defer(*CONTENT_FIELDS).order_by("status_changed_at")
        context["awaiting_review"] = Paginator(waiting, REVIEW_PAGE_SIZE).get_page(request.GET.get("review_page"))
        context["pending_extensions"] = ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.REQUESTED, submission__in=submissions_visible_to(user)
        ).count()
    return context


@login_required
@require_GET
def reporting_home(request: HttpRequest) -> HttpResponse:
    """Reports, per role: a chair's desk, OCT's periods and queue, the Committee's reading."""
    return render(request, "reporting/home.html", _landing_context(request))


@login_required
@require_POST
def period_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_periods(request.user):
        raise Http404
    form = PeriodForm(request.POST)
    if form.is_valid():
        with service_errors_on(form):
            period = period_create(**form.cleaned_data, actor=request.user)
            messages.success(request, _("The period “%(period)s” was scheduled.") % {"period": period})
            return redirect("reporting-period", pk=period.pk)
    return render(request, "reporting/home.html", _landing_context(request, period_form=form), status=400)


@login_required
@require_POST
def period_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT opens a scheduled period (drafts appear for every active group) or closes one."""
    if not can_manage_periods(request.user):
        raise Http404
    period = get_object_or_404(periods_visible_to(request.user), pk=pk)
    form = PeriodActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to open or close the period."))
        return redirect("reporting-period", pk=period.pk)
    try:
        if form.cleaned_data["action"] == "open":
            created = period_open(period=period, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "The period is open; %(count)d draft was created.",
                    "The period is open; %(count)d drafts were created.",
                    created,
                )
                % {"count": created},
            )
        else:
            period_close(period=period, actor=request.user)
            messages.success(request, _("The period is closed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reporting-period", pk=period.pk)


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """All working groups × where they stand, with the reporting and on-time rates (OCT)."""
    if not can_manage_periods(request.user):
        raise Http404
    period = get_object_or_404(periods_visible_to(request.user), pk=pk)
    return render(request, "reporting/period_detail.html", _period_context(request, period, PeriodReopenForm()))


@login_required
@require_POST
def period_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT reopens a closed period until a new closing day; a mistake brings the page back
    with the form as typed."""
    if not can_manage_periods(request.user):
        raise Http404
    period = get_object_or_404(periods_visible_to(request.user), pk=pk)
    form = PeriodReopenForm(request.POST)
    if form.is_valid():
        with service_errors_on(form):
            period_reopen(period=period, actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("The period is open again until %(day)s; the groups that have not finished were told.")
                % {"day": date_format(period.closes_on, "j F Y")},
            )
            return redirect("reporting-period", pk=period.pk)
    period.refresh_from_db()
    return render(request, "reporting/period_detail.html", _period_context(request, period, form), status=400)


def _dashboard_rows(user: Any, dashboard_rows: Iterable[GroupRow]) -> list[dict[str, Any]]:
    """The table's rows with every cell worked out here, once per page for what repeats: the
    officer's clearance and the labels of statuses and classifications are looked up once,
    not once per group (a page lists up to a hundred groups; its cost must not follow them)."""
    readable = {level for level in Classification.values if can_read_classification(user, level)}
    progress_labels = {key: str(label) for key, label in PROGRESS_LABELS.items()}
    status_labels = {value: str(label) for value, label in Submission.Status.choices}
    classification_labels = {value: str(label) for value, label in Classification.choices}
    rows = []
    for row in dashboard_rows:
        submission = row.submission
        rows.append(
            {
                "row": row,
                "name": str(row.group),
                "label": progress_labels.get(row.progress, row.progress),
                # The figures count every group; a link is only for what this officer may read.
                "url": reverse("reporting-submission", args=[submission.pk])
                if submission is not None and submission.classification in readable
                else "",
                # A late report that has moved on from a draft says where it stands.
                "status": status_labels.get(submission.status, submission.status)
                if row.late and submission is not None and submission.status != Submission.Status.DRAFT
                else "",
                "submitted_at": submission.submitted_at if submission is not None else None,
                "on_time": submission.on_time if submission is not None else None,
                "classification": classification_labels.get(submission.classification, "")
                if submission is not None
                else "",
            }
        )
    return rows


def _period_context(request: HttpRequest, period: ReportingPeriod, reopen_form: PeriodReopenForm) -> dict[str, Any]:
    # The figures count every group; the table shows them all on one page up to an unusual
    # number of groups.
    dashboard, page = period_dashboard_page(
        period, page_number=request.GET.get("page"), per_page=DASHBOARD_GROUPS_PER_PAGE
    )
    context = {
        "period": period,
        "dashboard": dashboard,
        "rows": _dashboard_rows(request.user, dashboard.rows),
        "page": page,
        "reporting_percent": _percent(dashboard.reporting_rate),
        "on_time_percent": _percent(dashboard.on_time_rate),
        "consolidated_report": ConsolidatedReport.objects.filter(period=period).first(),
        "reopen_form": reopen_form,
    }
    return context
