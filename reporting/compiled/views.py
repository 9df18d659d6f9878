"""Pages of OCT's compiled documents: the consolidated progress report of a round and the USG's
annual report. OCT edits its own text (optimistic locking made visible), asks a worker for an
edition and watches its progress, downloads editions and makes one final; the USG approves
the annual report. Committee readers download final consolidated editions.

Every view reads through ``reporting.compiled.selectors`` (one 404 for missing and hidden) and
writes through one service of ``reporting.compiled.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.forms import form_add_service_errors
from compact.lib.workflow import EditConflictError
from reporting.compiled.editions import contents_of, edition_mark_final, edition_request
from reporting.compiled.forms import (
    AnnualStartForm,
    ConsolidatedStartForm,
    ReportTextForm,
)
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition
from reporting.compiled.selectors import (
    annual_reports_visible_to,
    consolidated_rows,
    editions_visible_to,
    get_annual_report_for_user_or_404,
    get_consolidated_report_for_user_or_404,
    get_edition_for_user_or_404,
)
from reporting.compiled.services import TEXT_FIELDS, consolidated_report_start, report_text_save
from reporting.lib.diff import SectionDiff, text_diff
from reporting.lib.word import WORD_CONTENT_TYPE
from reporting.submissions.models import Submission
from reporting.submissions.permissions import (
    can_approve_annual_report,
    can_compile_reports,
    can_read_submission,
    reads_for_committee,
)

CompiledReport = ConsolidatedReport | AnnualReport
Status = ReportEdition.Status
RUNNING = (Status.QUEUED, Status.RENDERING)
KINDS = {"consolidated": get_consolidated_report_for_user_or_404, "annual": get_annual_report_for_user_or_404}


# --- Helpers ---------------------------------------------------------------------------------------


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("someone")


def _compiler_or_404(request: HttpRequest) -> None:
    if not can_compile_reports(request.user):
        raise Http404


def _page_url(report: CompiledReport) -> str:
    name = "reporting-consolidated" if isinstance(report, ConsolidatedReport) else "reporting-annual"
    return reverse(name, args=[report.pk])


def _kind(report: CompiledReport) -> str:
    return "consolidated" if isinstance(report, ConsolidatedReport) else "annual"


def _is_editable(report: CompiledReport) -> bool:
    return report.state == type(report).State.IN_PREPARATION


def edition_filename(edition: ReportEdition) -> str:
    """A name people can file: ``consolidated-report-2026-mid-year-edition-3.pdf``,
    ``committee-briefing-pack-2027-03-18-2.pdf``."""
    if edition.consolidated_report_id is not None:
        period = edition.consolidated_report.period
        return f"consolidated-report-{period.covers_from.year}-{period.kind}-edition-{edition.number}.pdf"
    if edition.meeting_id is not None:
        return f"committee-briefing-pack-{edition.meeting.date.isoformat()}-{edition.number}.pdf"
    return f"annual-report-{edition.annual_report.year}-edition-{edition.number}.pdf"


@dataclass(frozen=True)
class EditionRow:
    edition: ReportEdition
    requested_by: str
    may_make_final: bool

    @property
    def running(self) -> bool:
        return self.edition.status in RUNNING


def _edition_rows(user: Any, report: CompiledReport) -> list[EditionRow]:
    """The editions ``user`` may read, newest first; "Make final" goes on the latest done
    edition of a consolidated report still in preparation (the only one the service takes)."""
    editions = editions_visible_to(user, report)
    latest_done = next((edition for edition in editions if edition.status == Status.DONE), None)
    finalizable = (
        isinstance(report, ConsolidatedReport) and can_compile_reports(user) and _is_editable(report)
    ) and latest_done is not None
    return [
        EditionRow(edition, _person(edition.requested_by), finalizable and edition.pk == latest_done.pk)
        for edition in editions
    ]


def _compiler_context(user: Any, report: CompiledReport, contents: Any) -> dict[str, Any]:
    """What OCT needs to compile: whether it may edit and generate, and whether its clearance
    reaches the edition the worker would make (the service refuses one above it)."""
    # An officer whose clearance does not reach OCT's text may not see it in the editor either.
    editable = can_compile_reports(user) and _is_editable(report) and _may_edit_text(user, report)
    return {
        "is_compiler": can_compile_reports(user),
        "editable": editable,
        "classification": contents.classification,
        "classification_label": Classification(contents.classification).label,
        "above_clearance": not can_read_classification(user, contents.classification),
    }


def _may_edit_text(user: Any, report: CompiledReport) -> bool:
    return can_read_classification(user, report.text_classification)


def _report_context(request: HttpRequest, report: CompiledReport, **extra: Any) -> dict[str, Any]:
    user = request.user
    rows = _edition_rows(user, report)
    running = next((row.edition for row in rows if row.running), None)
    context: dict[str, Any] = {
        "report": report,
        "kind": _kind(report),
        "editions": rows,
        "running": running,
        "conflict": extra.get("conflict"),
        "text_readable": can_read_classification(user, report.text_classification),
        "updated_by": _person(report.updated_by) if report.updated_by_id else "",
    }
    return context


def _with_text_form(context: dict[str, Any], request: HttpRequest, report: CompiledReport, form: Any) -> None:
    if context["editable"]:
        context["form"] = form or ReportTextForm(report=report, user=request.user)
    context["can_generate"] = context["editable"] and context["running"] is None and not context["above_clearance"]


# --- The list --------------------------------------------------------------------------------------


def _list_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    user = request.user
    compiler = can_compile_reports(user)
    context: dict[str, Any] = {
        "is_compiler": compiler,
        "consolidated": consolidated_rows(user),
        "annual": [
            {"report": report, "latest": next(iter(editions_visible_to(user, report)), None)}
            for report in annual_reports_visible_to(user)
        ],
        "is_usg": can_approve_annual_report(user),
    }
    if compiler:
        context["consolidated_form"] = forms.get("consolidated_form") or ConsolidatedStartForm()
        context["annual_form"] = forms.get("annual_form") or AnnualStartForm()
    return context


def _list_reader_or_404(request: HttpRequest) -> None:
    user = request.user
    if not (can_compile_reports(user) or reads_for_committee(user) or can_approve_annual_report(user)):
        raise Http404


@login_required
@require_GET
def compiled_list(request: HttpRequest) -> HttpResponse:
    """OCT: every compiled report and the forms to start one. The Committee: the final
    consolidated editions it may read; the USG also the annual reports. Others: 404."""
    _list_reader_or_404(request)
    return render(request, "reporting/compiled/list.html", _list_context(request))


@login_required
@require_POST
def consolidated_start_view(request: HttpRequest) -> HttpResponse:
    _compiler_or_404(request)
    form = ConsolidatedStartForm(request.POST)
    if form.is_valid():
        try:
            report = consolidated_report_start(period=form.cleaned_data["period"], actor=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The consolidated report of “%(period)s” was started.") % {"period": report.period})
        return redirect("reporting-consolidated", pk=report.pk)
    context = _list_context(request, consolidated_form=form)
    return render(request, "reporting/compiled/list.html", context, status=400)


# --- OCT's text (shared by both pages) ----------------------------------------------------------


class TextComparison:
    """The saved text against what the editor typed, in the shape the diff partial shows."""

    def __init__(self, sections: list[SectionDiff]) -> None:
        self.sections = sections

    @property
    def changed(self) -> list[SectionDiff]:
        return [section for section in self.sections if section.changed]

    @property
    def unchanged(self) -> list[SectionDiff]:
        return [section for section in self.sections if not section.changed]


def _text_diff(current: CompiledReport, form: ReportTextForm) -> TextComparison:
    typed = {name: form.cleaned_data[name].strip() for name in TEXT_FIELDS}
    levels = dict(Classification.choices)
    saved_level = str(levels[current.text_classification])
    typed_level = str(levels.get(form.cleaned_data["text_classification"], ""))
    pairs = [(name, getattr(current, name), typed[name]) for name in TEXT_FIELDS]
    pairs.append(("text_classification", saved_level, typed_level))
    return TextComparison(
        [SectionDiff(name, form.fields[name].label, old != new, text_diff(old, new)) for name, old, new in pairs]
    )


def _conflict(request: HttpRequest, form: ReportTextForm, current: CompiledReport) -> tuple[ReportTextForm, dict]:
    """Someone saved since this editor loaded: keep what the user typed, show what differs from
    the saved text, and base the form on the current revision so that a second, deliberate save
    replaces it."""
    data = request.POST.copy()
    data["base_revision"] = str(current.revision)
    fresh = ReportTextForm(data, report=current, user=request.user)
    fresh.is_valid()
    saved_at = timezone.localtime(current.updated_at) if current.updated_at else None
    conflict = {
        "who": _person(current.updated_by),
        "when": date_format(saved_at, "SHORT_DATETIME_FORMAT") if saved_at else "",
        "diff": _text_diff(current, form),
    }
    return fresh, conflict


def _text_save(request: HttpRequest, report: CompiledReport, page: Any) -> HttpResponse:
    """POST of the text editor: save, or show the refusal with the text as typed."""
    _compiler_or_404(request)
    if not _may_edit_text(request.user, report):
        raise Http404
    form = ReportTextForm(request.POST, report=report, user=request.user)
    if not form.is_valid():
        return page(request, report, status=400, form=form)
    try:
        saved = report_text_save(
            report=report,
            actor=request.user,
            base_revision=form.cleaned_data["base_revision"],
            fields=form.service_fields(),
            text_classification=form.cleaned_data["text_classification"],
        )
    except EditConflictError as error:
        fresh, conflict = _conflict(request, form, error.current)
        return page(request, error.current, status=409, form=fresh, conflict=conflict)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            form_add_service_errors(form, error)
            return page(request, report, status=400, form=form)
        # The report is no longer in preparation: there is no editor to show the text in.
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(report))
    when = date_format(timezone.localtime(saved.updated_at), "TIME_FORMAT")
    messages.success(request, _("The text was saved at %(time)s.") % {"time": when})
    return redirect(_page_url(saved))


# --- The consolidated report ---------------------------------------------------------------------


@dataclass(frozen=True)
class InputRow:
    """One group's input to the round, as OCT follows it: accepted, pending or missing."""

    row: Any  # reporting.compiled.contents.ComplianceRow
    state: str
    readable: bool

    @property
    def submission(self) -> Submission | None:
        return self.row.submission


def _input_state(submission: Submission | None) -> str:
    # The same split as the compilation: accepted inputs are in; submitted ones wait for OCT.
    if submission is not None and submission.status == Submission.Status.ACCEPTED:
        return "accepted"
    if submission is None or submission.submitted_at is None:
        return "missing"
    return "pending"


def _input_rows(user: Any, contents: Any) -> list[InputRow]:
    return [
        InputRow(
            row,
            _input_state(row.submission),
            row.submission is not None and can_read_submission(user, row.submission),
        )
        for row in contents.compliance
    ]


def _consolidated_page(
    request: HttpRequest, report: ConsolidatedReport, status: int = 200, form: Any = None, **extra: Any
) -> HttpResponse:
    context = _report_context(request, report, **extra)
    if can_compile_reports(request.user):
        contents = contents_of(report)
        context.update(_compiler_context(request.user, report, contents))
        context["inputs"] = _input_rows(request.user, contents)
        context["figures"] = contents.figures
        _with_text_form(context, request, report, form)
    return render(request, "reporting/compiled/consolidated.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def consolidated_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT: the round's inputs, OCT's text and the editions. A Committee reader: the final
    edition to download."""
    report = get_consolidated_report_for_user_or_404(request.user, pk)
    if request.method == "POST":
        return _text_save(request, report, _consolidated_page)
    return _consolidated_page(request, report)


# --- The annual report -----------------------------------------------------------------------------


# --- Editions --------------------------------------------------------------------------------------


@login_required
@require_POST
def edition_request_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """OCT asks a worker for a new edition; the page then shows its progress."""
    _compiler_or_404(request)
    report = KINDS[kind](request.user, int(pk))
    try:
        edition = edition_request(report=report, actor=request.user, language=request.POST.get("language"))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Edition %(number)d was requested: it is generated in the background.") % {"number": edition.number},
        )
    return redirect(_page_url(report) + "#editions")


@login_required
@require_POST
def edition_final_view(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT makes the latest edition of a consolidated report final: the report is frozen."""
    _compiler_or_404(request)
    edition = get_edition_for_user_or_404(request.user, pk)
    try:
        done = edition_mark_final(edition=edition, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Edition %(number)d is final: the report can no longer change.") % {"number": done.number}
        )
    return redirect(_page_url(edition.report) + "#editions")


@login_required
@require_GET
def edition_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Where a generation stands, for the page's progress bar (polled)."""
    edition = get_edition_for_user_or_404(request.user, pk)
    done = edition.status == Status.DONE
    response = JsonResponse(
        {
            "status": edition.status,
            "status_label": str(edition.get_status_display()),
            "progress": edition.progress,
            "stage": gettext(edition.stage) if edition.stage else "",
            "error": edition.error if edition.status == Status.FAILED else "",
            "download_url": reverse("reporting-edition-download", args=[edition.pk]) if done else None,
        }
    )
    add_never_cache_headers(response)
    return response


def _edition_file_response(file: Any, *, filename: str, content_type: str, sha256: str) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # An edition's file never changes, but who may read it can: only the reader's own cache.
    patch_cache_control(response, private=True, max_age=3600)
    if sha256:
        response["ETag"] = f'"{sha256}"'
    return response


@login_required
@require_GET
def edition_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF of a generated edition the user may read (the same 404 otherwise)."""
    edition = get_edition_for_user_or_404(request.user, pk)
    if edition.status != Status.DONE or not edition.file:
        raise Http404("No such edition.")
    return _edition_file_response(
        edition.file, filename=edition_filename(edition), content_type="application/pdf", sha256=edition.sha256
    )


@login_required
@require_GET
def edition_download_word(request: HttpRequest, pk: int) -> FileResponse:
    """The same edition as a Word file (.docx), for document processing: who may read the PDF
    may read it; an edition made before Word files were written has none (404)."""
    edition = get_edition_for_user_or_404(request.user, pk)
    if edition.status != Status.DONE or not edition.word_file:
        raise Http404("No such edition.")
    return _edition_file_response(
        edition.word_file,
        filename=edition_filename(edition).removesuffix(".pdf") + ".docx",
        content_type=WORD_CONTENT_TYPE,
        sha256=edition.word_sha256,
    )
