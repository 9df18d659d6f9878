"""Calendar pages: OCT's reporting calendar and its rules, the scheduler's log, and the queue of
extension requests; chairs ask for more time from their submission's page.

Every page is OCT's (``can_manage_calendar``) except the request, which is a leader's, and
withdrawing, which is the leaders' too; anyone else gets a 404. Each POST calls one service of
``reporting.calendar.services``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.lib.forms import service_errors_on
from compact.lib.workflow import SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from reporting.calendar.forms import CalendarRuleForm, ExtensionActForm, ExtensionRequestForm, SchedulerLogFilterForm
from reporting.calendar.models import CalendarRule, ExtensionRequest
from reporting.calendar.selectors import (
    calendar_upcoming_rows,
    extension_requests_visible_to,
    open_periods_with_counts,
    scheduler_event_counts,
    scheduler_events_visible_to,
    scheduler_health,
)
from reporting.calendar.services import calendar_rule_update, extension_act, extension_request_create, rule_plan
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.permissions import can_manage_calendar, can_request_extension
from reporting.submissions.selectors import get_submission_for_user_or_404
from reporting.submissions.views import submission_detail_context

LOG_PAGE_SIZE = 50
DECIDED_SHOWN = 50
PENDING_PAGE_SIZE = 25  # the queue of requests for more time, each with its two forms
KIND_ORDER = list(ReportingPeriod.Kind.values)
Status = ExtensionRequest.Status


def _calendar_officer_or_404(request: HttpRequest) -> None:
    if not can_manage_calendar(request.user):
        raise Http404


def due_in_words(rule: CalendarRule) -> str:
    """“15 July”, or “31 January of the following year”."""
    # A leap year, so that a rule due on 29 February still has a day to show.
    day = date_format(datetime.date(2000, rule.due_month, rule.due_day), "MONTH_DAY_FORMAT")
    if rule.due_following_year:
        return _("%(day)s of the following year") % {"day": day}
    return day


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# --- The calendar ----------------------------------------------------------------------------------


def _rule_rows() -> list[dict[str, Any]]:
    rules = sorted(CalendarRule.objects.select_related("updated_by"), key=lambda rule: KIND_ORDER.index(rule.kind))
    return [{"rule": rule, "due": due_in_words(rule), "who": _person(rule.updated_by)} for rule in rules]


@login_required
@require_GET
def calendar_overview(request: HttpRequest) -> HttpResponse:
    """OCT's reporting calendar: the rules, what the scheduler will do next, what is open."""
    _calendar_officer_or_404(request)
    context = {
        "rules": _rule_rows(),
        "upcoming": calendar_upcoming_rows(),
        "open_periods": open_periods_with_counts(),
        "consolidated_reports": ConsolidatedReport.objects.select_related("period")[:20],
        "annual_reports": AnnualReport.objects.all()[:10],
        "scheduler": scheduler_health(),
        "pending_extensions": extension_requests_visible_to(request.user).filter(status=Status.REQUESTED).count(),
    }
    return render(request, "reporting/calendar/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """OCT changes one kind's rule; a refusal keeps what was typed and changes nothing."""
    _calendar_officer_or_404(request)
    rule = get_object_or_404(CalendarRule.objects.select_related("updated_by"), kind=kind)
    form = CalendarRuleForm(request.POST if request.method == "POST" else None, rule=rule)
    if form.is_bound and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            calendar_rule_update(rule=rule, actor=request.user, changes=form.changes())
            messages.success(request, _("The calendar of “%(kind)s” was changed.") % {"kind": rule.get_kind_display()})
            return redirect("reporting-calendar")
    year = timezone.localdate().year
    context = {
        "rule": rule,
        "form": form,
        "due": due_in_words(rule),
        "who": _person(rule.updated_by),
        "plans": [rule_plan(rule, year), rule_plan(rule, year + 1)],
    }
    return render(request, "reporting/calendar/rule_edit.html", context, status=400 if form.errors else 200)


# --- The scheduler's log ---------------------------------------------------------------------------


@login_required
@require_GET
def scheduler_log(request: HttpRequest) -> HttpResponse:
    """Everything the scheduler did, newest first, filtered by what and by period."""
    _calendar_officer_or_404(request)
    form = SchedulerLogFilterForm(request.GET or None)
    events = scheduler_events_visible_to(request.user).order_by("-created_at", "-id")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["kind"]:
            events = events.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["period"]:
            events = events.filter(period=form.cleaned_data["period"])
    context = {
        "form": form,
        "page": Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": scheduler_event_counts(since=timezone.now() - datetime.timedelta(days=30)),
    }
    return render(request, "reporting/calendar/scheduler_log.html", context)


# --- Extensions ------------------------------------------------------------------------------------


@login_required
@require_GET
def extension_queue(request: HttpRequest) -> HttpResponse:
    """OCT's queue: requests waiting for a decision (oldest first), then the last decided."""
    _calendar_officer_or_404(request)
    visible = extension_requests_visible_to(request.user)
    # A request per group and period may wait: the oldest first, a page at a time.
    pending = visible.filter(status=Status.REQUESTED).order_by("requested_at", "id")
    context = {
        "pending": Paginator(pending, PENDING_PAGE_SIZE).get_page(request.GET.get("page")),
        "decided": visible.exclude(status=Status.REQUESTED).order_by(
            Coalesce("decided_at", "requested_at").desc(), F("id").desc()
        )[:DECIDED_SHOWN],
    }
    return render(request, "reporting/calendar/extensions.html", context)


def _back(request: HttpRequest) -> str:
    """Where to go after acting: the page that sent the form if it is ours, else the queue."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reporting-extensions")


def _act_message(request: ExtensionRequest, action: str) -> str:
    group = request.submission.working_group
    if action == "approve":
        when = date_format(request.granted_until, "j F Y")
        return _("Approved: %(group)s is now due on %(date)s.") % {"group": group, "date": when}
    if action == "decline":
        return _("Declined: the chair and vice-chairs of %(group)s were told.") % {"group": group}
    return _("The request was withdrawn.")


@login_required
@require_POST
def extension_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, decline (OCT) or withdraw (the group's leaders) one request; the outcome is
    told as a message on the page the form came from."""
    extension = get_object_or_404(extension_requests_visible_to(request.user), pk=pk)
    if not (can_manage_calendar(request.user) or can_request_extension(request.user, extension.submission)):
        raise Http404
    form = ExtensionActForm(request.POST)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, " ".join(errors))
        return redirect(_back(request))
    data = form.cleaned_data
    try:
        done = extension_act(
            request=extension, action=data["action"], actor=request.user, comment=data["comment"], until=data["until"]
        )
    except SeparationOfDutiesError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleStateError as error:
        messages.error(request, str(error))
    except TransitionNotAllowedError:
        messages.error(
            request,
            _("This request is “%(status)s”: it cannot be changed now.") % {"status": extension.get_status_display()},
        )
    else:
        messages.success(request, _act_message(done, data["action"]))
    return redirect(_back(request))


@login_required
@require_POST
def extension_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A chair or vice-chair asks for a later due date; a refusal brings the submission's page
    back with the form as typed."""
    submission = get_submission_for_user_or_404(request.user, pk)
    if not can_request_extension(request.user, submission):
        raise Http404
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            extension_request_create(
                submission=submission,
                actor=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Your request was sent to the OCT secretariat, who will decide on it."))
            return redirect("reporting-submission", pk=submission.pk)
    context = submission_detail_context(request, submission, extension_form=form)
    return render(request, "reporting/submission_detail.html", context, status=400)
