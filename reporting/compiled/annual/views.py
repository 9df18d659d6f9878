"""The annual report's pages: starting it, its page with the year's rounds, OCT's early reason,
and the submit / approve / return moves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from compact.core.permissions import can_read_classification
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from reporting.compiled.annual.services import annual_report_act, annual_report_early_reason_record
from reporting.compiled.editions import contents_of, final_edition_owed
from reporting.compiled.forms import (
    AnnualActForm,
    AnnualEarlyReasonForm,
    AnnualStartForm,
)
from reporting.compiled.models import AnnualReport, ReportEdition
from reporting.compiled.selectors import (
    annual_report_steps,
    get_annual_report_for_user_or_404,
    year_rounds,
)
from reporting.compiled.services import annual_report_start
from reporting.compiled.views import (
    EditionRow,
    Status,
    _compiler_context,
    _compiler_or_404,
    _list_context,
    _may_edit_text,
    _page_url,
    _person,
    _report_context,
    _text_save,
    _with_text_form,
)
from reporting.compiled.workflow import ANNUAL_TRANSITIONS, OCT, USG
from reporting.submissions.permissions import (
    can_approve_annual_report,
    can_compile_reports,
)


@login_required
@require_POST
def annual_start_view(request: HttpRequest) -> HttpResponse:
    _compiler_or_404(request)
    form = AnnualStartForm(request.POST)
    if form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            report = annual_report_start(year=form.cleaned_data["year"], actor=request.user)
            messages.success(request, _("The annual report for %(year)s is open.") % {"year": report.year})
            return redirect("reporting-annual", pk=report.pk)
    return render(request, "reporting/compiled/list.html", _list_context(request, annual_form=form), status=400)


def _moves(user: Any, report: AnnualReport) -> list[Any]:
    """The approval steps ``user`` may take now, in table order: not those that decide on what
    ``user`` submitted (four eyes)."""
    parties = set()
    if can_compile_reports(user):
        parties.add(OCT)
    if can_approve_annual_report(user):
        parties.add(USG)
    return [
        t
        for t in ANNUAL_TRANSITIONS
        if t.by in parties
        and report.state in t.sources
        and ANNUAL_TRANSITIONS.separated(t, actor=user, proposer=report.submitted_by_id)
    ]


def _decides_own_submission(user: Any, report: AnnualReport) -> bool:
    """A USG who submitted the report themselves (holding the OCT role too): told why the
    decision is someone else's."""
    return (
        report.state == AnnualReport.State.AWAITING_APPROVAL
        and can_approve_annual_report(user)
        and report.submitted_by_id is not None
        and report.submitted_by_id == user.pk
    )


def _steps(report: AnnualReport, user: Any) -> list[dict[str, Any]]:
    labels = {f"reporting.annual_{t.action}": t.label for t in ANNUAL_TRANSITIONS}
    return [
        {"event": event, "label": labels.get(event.verb, event.verb), "who": _person(event.actor)}
        for event in annual_report_steps(report, user)
    ]


def _annual_page(
    request: HttpRequest, report: AnnualReport, status: int = 200, form: Any = None, **extra: Any
) -> HttpResponse:
    user = request.user
    context = _report_context(request, report, **extra)
    contents = contents_of(report)
    context.update(_compiler_context(user, report, contents))
    context["contents"] = contents
    context["group_rows"] = [
        {"year": year, "accepted": len(year.sections), "expected": len(year.record)} for year in contents.groups
    ]
    context["moves"] = _moves(user, report)
    context["act_form"] = extra.get("act_form") or AnnualActForm()
    context["steps"] = _steps(report, request.user)
    context.update(_approval_context(user, report))
    context.update(_rounds_context(user, report, extra.get("early_form")))
    context.update(_final_edition_context(user, report, context["editions"]))
    if context["is_compiler"]:
        _with_text_form(context, request, report, form)
    return render(request, "reporting/compiled/annual.html", context, status=status)


def _approval_context(user: Any, report: AnnualReport) -> dict[str, Any]:
    """What the approval panel needs to explain before the service would refuse: OCT submits
    the latest edition only if it has the current text; the USG's clearance must reach it."""
    latest = next((edition for edition in report.editions.all() if edition.status == Status.DONE), None)
    return {
        "latest_done": latest,
        "edition_current": latest is not None
        and (report.updated_at is None or latest.requested_at >= report.updated_at),
        "approver_cleared": latest is not None and can_read_classification(user, latest.classification),
    }


def _rounds_context(user: Any, report: AnnualReport, early_form: Any) -> dict[str, Any]:
    """The rule the approval waits for, shown before anyone clicks: the year's rounds and their
    states, OCT's reason to go ahead early if recorded, and OCT's form to record one."""
    rounds = year_rounds(report.year)
    # The reason is OCT's text, at its classification: only an officer who may read it records one.
    may_record = (
        can_compile_reports(user)
        and _may_edit_text(user, report)
        and report.state == AnnualReport.State.IN_PREPARATION
        and not rounds.all_closed
    )
    return {
        "rounds": rounds,
        "rounds_ready": rounds.all_closed or bool(report.early_reason),
        "early_by": _person(report.early_recorded_by) if report.early_recorded_by_id else "",
        "early_form": (early_form or AnnualEarlyReasonForm(initial={"reason": report.early_reason}))
        if may_record
        else None,
        "own_submission": _decides_own_submission(user, report),
        "submitted_by": _person(report.submitted_by) if report.submitted_by_id else "",
    }


def _final_edition_context(user: Any, report: AnnualReport, rows: list[EditionRow]) -> dict[str, Any]:
    """After approval: the final edition, or where its generation stands. While it is generated
    the edition the USG approved stays downloadable (its cover still says "In preparation")."""
    final = next((row.edition for row in rows if row.edition.is_final), None)
    owed = final is None and final_edition_owed(report)
    last = rows[0].edition if rows else None
    return {
        "final_edition": final,
        "final_owed": owed,
        "final_failed": owed and last is not None and last.status == Status.FAILED,
        "may_regenerate_final": owed and can_compile_reports(user) and (last is None or last.status == Status.FAILED),
        "approved_edition": _approved_edition(report, rows),
    }


def _approved_edition(report: AnnualReport, rows: list[EditionRow]) -> ReportEdition | None:
    """The edition the USG approved: the latest generated before the approval."""
    if report.approved_at is None:
        return None
    before = [row.edition for row in rows if row.edition.status == Status.DONE and not row.edition.is_final]
    return next((edition for edition in before if edition.requested_at <= report.approved_at), None)


@login_required
@require_http_methods(["GET", "POST"])
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT drafts the annual report and submits it; the USG approves it or returns it."""
    report = get_annual_report_for_user_or_404(request.user, pk)
    if request.method == "POST":
        return _text_save(request, report, _annual_page)
    return _annual_page(request, report)


@login_required
@require_POST
def annual_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One approval step: submit (OCT), return with a comment or approve (the USG). A refused
    step brings the page back with the comment as typed."""
    report = get_annual_report_for_user_or_404(request.user, pk)
    form = AnnualActForm(request.POST)
    if not form.is_valid():
        return _annual_page(request, report, status=400, act_form=form)
    action = form.cleaned_data["action"]
    try:
        done = annual_report_act(report=report, action=action, actor=request.user, comment=form.cleaned_data["comment"])
    except SeparationOfDutiesError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form_add_service_errors(form, error)
        return _annual_page(request, report, status=400, act_form=form)
    except StaleStateError as error:
        messages.error(request, str(error))
    except TransitionNotAllowedError:
        messages.error(
            request,
            _("This report is “%(state)s”: that step is not possible now.") % {"state": report.get_state_display()},
        )
    else:
        messages.success(request, _act_message(done, action))
    return redirect("reporting-annual", pk=report.pk)


@login_required
@require_POST
def annual_early_reason_view(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT records why the report should go ahead before the year's rounds are closed."""
    _compiler_or_404(request)
    report = get_annual_report_for_user_or_404(request.user, pk)
    form = AnnualEarlyReasonForm(request.POST)
    if form.is_valid():
        try:
            annual_report_early_reason_record(report=report, actor=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your reason was recorded: the USG may approve the report before the rounds close.")
            )
            return redirect(_page_url(report) + "#approval")
    return _annual_page(request, report, status=400, early_form=form)


def _act_message(report: AnnualReport, action: str) -> str:
    if action == "submit":
        return _("The annual report was submitted to the USG for approval.")
    if action == "return":
        return _("The annual report was returned to OCT with your comment.")
    return _(
        "The annual report for %(year)s is approved and final. Its final edition, which says so on its cover, "
        "is being generated."
    ) % {"year": report.year}
