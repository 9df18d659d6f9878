"""Pages of the Committee's programme of work (V.12). OCT and the Committee read programmes
and their adopted versions; OCT edits the working copy and records its adoption.

Every view reads through ``reporting.programme.selectors`` (one 404 for missing and hidden)
and writes through one service of ``reporting.programme.services``. A form with errors comes
back with its messages (status 400); an editor that loaded an older revision is told who
saved meanwhile (status 409) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import EditConflictError, SeparationOfDutiesError
from reporting.consultation.selectors import consultations_of
from reporting.programme import services
from reporting.programme.forms import AdoptForm, CompareForm, MoveForm, PriorityForm, ProgrammeForm, ResultForm
from reporting.programme.models import ProgrammeOfWork
from reporting.programme.permissions import can_manage_programme, can_read_programme, may_record_adoption
from reporting.programme.selectors import (
    compare_contents,
    get_priority_for_user_or_404,
    get_programme_for_user_or_404,
    get_result_for_user_or_404,
    get_version_for_user_or_404,
    programme_status,
    programmes_visible_to,
)


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_programme(request.user):
        raise Http404


def _who(programme: ProgrammeOfWork) -> dict[str, str]:
    person = programme.updated_by
    name = (person.get_full_name() or person.get_username()) if person else _("someone")
    return {"who": name, "when": date_format(timezone.localtime(programme.updated_at), "SHORT_DATETIME_FORMAT")}


def _conflict_form(request: HttpRequest, make: Callable[..., forms.Form], current: ProgrammeOfWork) -> forms.Form:
    """Keep what the user typed, based on the current revision: a second, deliberate save wins."""
    data = request.POST.copy()
    data["base_revision"] = str(current.revision)
    form = make(data)
    form.is_valid()
    return form


def _edit(
    request: HttpRequest,
    *,
    programme: ProgrammeOfWork,
    make: Callable[..., forms.Form],
    call: Callable[[dict[str, Any]], Any],
    done: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A GET shows the form; a POST validates it and calls the service."""
    form = make(request.POST if request.method == "POST" else None)
    status, conflict = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except PermissionDenied:
                raise Http404 from None
            except EditConflictError as error:
                status, conflict = 409, _who(error.current)
                form = _conflict_form(request, make, error.current)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("programme-detail", pk=programme.pk)
    context = {**context, "form": form, "programme": programme, "conflict": conflict}
    return render(request, template, context, status=status)


# --- Reading --------------------------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    if not can_read_programme(request.user):
        raise Http404
    programmes = list(programmes_visible_to(request.user))
    rows = [(programme, programme.versions.select_related("decision__meeting").first()) for programme in programmes]
    context = {"rows": rows, "is_manager": can_manage_programme(request.user)}
    return render(request, "reporting/programme/programme_list.html", context)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user_or_404(request.user, pk)
    context = {
        "programme": programme,
        "status": programme_status(programme),
        "versions": list(programme.versions.select_related("decision__meeting", "recorded_by")),
        "is_manager": can_manage_programme(request.user),
    }
    return render(request, "reporting/programme/programme_detail.html", context)


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_version_for_user_or_404(request.user, pk, number)
    previous = version.programme.versions.filter(number__lt=version.number).order_by("-number").first()
    consultations = consultations_of(
        request.user,
        "programme",
        version.programme_id,
        after=previous.recorded_at if previous else None,
        until=version.recorded_at,
    )
    context = {
        "programme": version.programme,
        "version": version,
        "content": version.content,
        "consultations": consultations,
    }
    return render(request, "reporting/programme/version_detail.html", context)


@login_required
def programme_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two versions, or a version and the working copy (``?old=1&new=2``; no ``new``: the
    working copy)."""
    programme = get_programme_for_user_or_404(request.user, pk)
    versions = list(programme.versions.order_by("number"))
    if not versions:
        raise Http404
    form = CompareForm(request.GET or {"old": versions[-1].number}, versions=versions)
    if not form.is_valid():
        return render(request, "reporting/programme/compare.html", {"programme": programme, "form": form}, status=400)
    old = get_version_for_user_or_404(request.user, pk, form.cleaned_data["old"])
    new_number = form.cleaned_data.get("new")
    new = get_version_for_user_or_404(request.user, pk, new_number) if new_number else None
    context = {
        "programme": programme,
        "form": form,
        "old": old,
        "new": new,
        "diff": compare_contents(programme, old, new),
    }
    return render(request, "reporting/programme/compare.html", context)


# --- The working copy (OCT) -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_create_view(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            programme = services.programme_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The programme was started. Add its priorities below."))
            return redirect("programme-detail", pk=programme.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "programme": None, "conflict": None}
    return render(request, "reporting/programme/programme_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user_or_404(request.user, pk)
    _require_manager(request)

    def call(data: dict[str, Any]) -> None:
        services.programme_update(programme=programme, actor=request.user, **data)

    return _edit(
        request,
        programme=programme,
        make=lambda data: ProgrammeForm(data, programme=programme),
        call=call,
        done=_("The programme was saved."),
        template="reporting/programme/programme_form.html",
        context={},
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user_or_404(request.user, pk)
    _require_manager(request)

    def call(data: dict[str, Any]) -> None:
        services.priority_add(programme=programme, actor=request.user, **data)

    return _edit(
        request,
        programme=programme,
        make=lambda data: PriorityForm(data, programme=programme),
        call=call,
        done=_("The priority was added."),
        template="reporting/programme/priority_form.html",
        context={"priority": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority_for_user_or_404(request.user, pk)
    _require_manager(request)
    programme = priority.programme

    def call(data: dict[str, Any]) -> None:
        services.priority_update(priority=priority, actor=request.user, **data)

    return _edit(
        request,
        programme=programme,
        make=lambda data: PriorityForm(data, programme=programme, priority=priority),
        call=call,
        done=_("The priority was saved."),
        template="reporting/programme/priority_form.html",
        context={"priority": priority},
    )


@login_required
@require_http_methods(["GET", "POST"])
def result_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority_for_user_or_404(request.user, pk)
    _require_manager(request)
    programme = priority.programme

    def call(data: dict[str, Any]) -> None:
        services.result_add(priority=priority, actor=request.user, **data)

    return _edit(
        request,
        programme=programme,
        make=lambda data: ResultForm(data, programme=programme),
        call=call,
        done=_("The expected result was added."),
        template="reporting/programme/result_form.html",
        context={"priority": priority, "result": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def result_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user_or_404(request.user, pk)
    _require_manager(request)
    programme = result.priority.programme

    def call(data: dict[str, Any]) -> None:
        services.result_update(result=result, actor=request.user, **data)

    return _edit(
        request,
        programme=programme,
        make=lambda data: ResultForm(data, programme=programme, result=result),
        call=call,
        done=_("The expected result was saved."),
        template="reporting/programme/result_form.html",
        context={"priority": result.priority, "result": result},
    )


def _post(request: HttpRequest, programme_pk: int, call: Callable[[], Any], done: str) -> HttpResponse:
    """A button on the programme's page: the service's refusal comes back as a message."""
    try:
        call()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("programme-detail", pk=programme_pk)


@login_required
@require_POST
def priority_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority_for_user_or_404(request.user, pk)
    _require_manager(request)
    return _post(
        request,
        priority.programme_id,
        lambda: services.priority_remove(priority=priority, actor=request.user),
        _("The priority was removed."),
    )


@login_required
@require_POST
def priority_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority_for_user_or_404(request.user, pk)
    _require_manager(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    direction = form.cleaned_data["direction"]
    return _post(
        request,
        priority.programme_id,
        lambda: services.priority_move(priority=priority, actor=request.user, direction=direction),
        _("The priorities were reordered."),
    )


@login_required
@require_POST
def result_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user_or_404(request.user, pk)
    _require_manager(request)
    return _post(
        request,
        result.priority.programme_id,
        lambda: services.result_remove(result=result, actor=request.user),
        _("The expected result was removed."),
    )


@login_required
@require_POST
def result_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user_or_404(request.user, pk)
    _require_manager(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    direction = form.cleaned_data["direction"]
    return _post(
        request,
        result.priority.programme_id,
        lambda: services.result_move(result=result, actor=request.user, direction=direction),
        _("The expected results were reordered."),
    )


# --- Adoption (OCT records the Committee's decision) ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_adopt_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user_or_404(request.user, pk)
    _require_manager(request)
    form = AdoptForm(request.POST or None, initial={"base_revision": programme.revision})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.programme_adopt(programme=programme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        except SeparationOfDutiesError as error:
            form.add_error(None, str(error))
        except EditConflictError as error:
            # Changed since the page was loaded: show the changes as they are now, adopt nothing;
            # adopting them is a second, deliberate step.
            programme = error.current
            form = _conflict_form(request, AdoptForm, programme)
            form.add_error(
                None,
                _(
                    "%(who)s changed the programme at %(when)s, after you opened this page: nothing was "
                    "adopted. Check the changes below, then record the adoption again."
                )
                % _who(programme),
            )
        else:
            messages.success(request, _("Version %(number)s was recorded as adopted.") % {"number": version.number})
            return redirect("programme-version", pk=programme.pk, number=version.number)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "programme": programme,
        "status": programme_status(programme),
        "may_record": may_record_adoption(request.user, programme),
    }
    return render(request, "reporting/programme/adopt_form.html", context, status=status)
