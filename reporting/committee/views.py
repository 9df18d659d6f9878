"""Pages of the Coordination Committee's meetings. The Committee and OCT read meetings; OCT
prepares the agenda and records attendance, minutes, decisions and action points; owners
mark their action points done; Committee members record briefing their groups (V.15).

Every view reads through ``reporting.committee.selectors`` (one 404 for missing and hidden)
and writes through one service of ``reporting.committee.services``. A form with errors comes
back on the meeting's page with its messages (status 400); nothing is half-saved.
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
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from reporting.committee import services
from reporting.committee.forms import (
    ActionPointActForm,
    ActionPointForm,
    AgendaBuildForm,
    AgendaItemForm,
    AttendanceForm,
    CascadeForm,
    DecisionForm,
    MeetingActForm,
    MeetingForm,
    MinutesForm,
)
from reporting.committee.invitations import meeting_ics
from reporting.committee.models import Meeting
from reporting.committee.permissions import can_manage_meetings, can_read_meetings, can_read_minutes
from reporting.committee.selectors import (
    action_rows,
    agenda_rows,
    briefing_packs_visible_to,
    get_action_point_for_user_or_404,
    get_agenda_item_for_user_or_404,
    get_meeting_for_user_or_404,
    meeting_joinable,
    meetings_visible_to,
)
from reporting.committee.workflow import MEETING_TRANSITIONS, OCT
from reporting.compiled.editions import edition_request
from reporting.compiled.models import ReportEdition

RUNNING = (ReportEdition.Status.QUEUED, ReportEdition.Status.RENDERING)
FORMS: dict[str, Callable[..., forms.Form]] = {
    "build_form": AgendaBuildForm,
    "item_form": AgendaItemForm,
    "attendance_form": AttendanceForm,
    "decision_form": DecisionForm,
    "action_form": ActionPointForm,
}


def _oct_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_meeting_for_user_or_404(request.user, pk)
    if not can_manage_meetings(request.user):
        raise Http404
    return meeting


def _detail(request: HttpRequest, meeting: Meeting, *, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    manager = can_manage_meetings(user)
    context: dict[str, Any] = {
        "meeting": meeting,
        "is_manager": manager,
        "joinable": meeting_joinable(meeting),
        "agenda": agenda_rows(user, meeting),
        "attendance": meeting.attendance.select_related("entity", "person"),
        "minutes_readable": can_read_minutes(user, meeting),
        "decisions": meeting.decisions.all(),
        "actions": action_rows(user, meeting),
        "moves": MEETING_TRANSITIONS.available(meeting.state, by=OCT) if manager else [],
        "editable": meeting.state not in (Meeting.State.MINUTES_APPROVED, Meeting.State.CANCELLED),
        "held": meeting.state == Meeting.State.HELD,
        "cascade_form": bound.pop("cascade_form", None) or CascadeForm(user=user),
        "cascade_item": bound.pop("cascade_item", None),
    }
    context.update(_pack_context(user, meeting, manager=manager, editable=context["editable"]))
    if manager:
        context.update({name: bound.get(name) or form() for name, form in FORMS.items()})
    return render(request, "reporting/committee/meeting_detail.html", context, status=status)


def _pack_context(user: Any, meeting: Meeting, *, manager: bool, editable: bool) -> dict[str, Any]:
    packs = briefing_packs_visible_to(user, meeting)
    running = next((pack for pack in packs if pack.status in RUNNING), None)
    return {
        "packs": packs,
        "running": running,
        "can_generate": manager and editable and running is None and meeting.agenda.exists(),
    }


def _submit(
    request: HttpRequest,
    meeting: Meeting,
    form: forms.Form,
    form_name: str,
    call: Callable[[dict[str, Any]], Any],
    done: str,
    **extra: Any,
) -> HttpResponse:
    """Validate ``form``, call the service with its data; errors come back on the page."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (TransitionNotAllowedError, StaleStateError) as error:
            messages.error(request, str(error))
            return redirect("committee-meeting", pk=meeting.pk)
        else:
            messages.success(request, done)
            return redirect("committee-meeting", pk=meeting.pk)
    return _detail(request, meeting, status=400, **{form_name: form}, **extra)


# --- Reading --------------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not can_read_meetings(request.user):
        raise Http404
    context = {"meetings": meetings_visible_to(request.user), "is_manager": can_manage_meetings(request.user)}
    return render(request, "reporting/committee/meeting_list.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_meeting_for_user_or_404(request.user, pk))


@login_required
@require_safe
def meeting_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as an .ics file to add to a calendar (the invitation's event, same UID)."""
    meeting = get_meeting_for_user_or_404(request.user, pk)
    method = "CANCEL" if meeting.state == Meeting.State.CANCELLED else "PUBLISH"
    body = meeting_ics(meeting, method=method, language=translation.get_language())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="committee-meeting-{meeting.date:%Y-%m-%d}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The meeting itself (OCT) -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_meetings(request.user):
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting is planned. Prepare its agenda below."))
            return redirect("committee-meeting", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/committee/meeting_form.html", {"form": form, "meeting": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting was saved."))
            return redirect("committee-meeting", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/committee/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


@login_required
@require_POST
def meeting_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)
    form = MeetingActForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        meeting = services.meeting_act(meeting=meeting, action=form.cleaned_data["action"], actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except (ValidationError, TransitionNotAllowedError, StaleStateError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The meeting is now “%(state)s”.") % {"state": meeting.get_state_display()})
    return redirect("committee-meeting", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)
    # Minutes marked above the officer's clearance are not theirs to read, nor to rewrite.
    if not can_read_minutes(request.user, meeting):
        raise Http404("The minutes are marked above your clearance.")
    form = MinutesForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            services.minutes_save(meeting=meeting, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The minutes were saved."))
            return redirect("committee-meeting", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/committee/minutes_form.html", {"form": form, "meeting": meeting}, status=status)


# --- Agenda, attendance, decisions, action points (OCT) -------------------------------------------------


@login_required
@require_POST
def agenda_build_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)
    added: list[int] = []

    def call(data: dict[str, Any]) -> None:
        added.append(services.agenda_build_from_briefings(meeting=meeting, actor=request.user, **data))

    response = _submit(request, meeting, AgendaBuildForm(request.POST), "build_form", call, "")
    if added:
        messages.info(
            request,
            ngettext("%(count)s briefing added to the agenda.", "%(count)s briefings added to the agenda.", added[0])
            % {"count": added[0]},
        )
    return response


@login_required
@require_POST
def item_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)

    def call(data: dict[str, Any]) -> None:
        services.agenda_item_add(meeting=meeting, actor=request.user, **data)

    return _submit(request, meeting, AgendaItemForm(request.POST), "item_form", call, _("The item was added."))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_agenda_item_for_user_or_404(request.user, pk)
    if not can_manage_meetings(request.user):
        raise Http404
    form = AgendaItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form):
            services.agenda_item_update(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The item was saved."))
            return redirect("committee-meeting", pk=item.meeting_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/committee/item_form.html", {"form": form, "item": item}, status=status)


def _item_post(request: HttpRequest, pk: int, call: Callable[..., Any], done: str) -> HttpResponse:
    item = get_agenda_item_for_user_or_404(request.user, pk)
    if not can_manage_meetings(request.user):
        raise Http404
    try:
        call(item=item, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("committee-meeting", pk=item.meeting_id)


@login_required
@require_POST
def item_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_post(request, pk, services.agenda_item_remove, _("The item was removed."))


@login_required
@require_POST
def item_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    direction = request.POST.get("direction", "")

    def move(**kwargs: Any) -> None:
        services.agenda_item_move(direction=direction, **kwargs)

    return _item_post(request, pk, move, _("The agenda was reordered."))


@login_required
@require_POST
def attendance_set_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)

    def call(data: dict[str, Any]) -> None:
        services.attendance_set(meeting=meeting, actor=request.user, **data)

    form = AttendanceForm(request.POST)
    return _submit(request, meeting, form, "attendance_form", call, _("The attendance was recorded."))


@login_required
@require_POST
def attendance_remove_view(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)
    row = meeting.attendance.filter(pk=attendance_pk).first()
    if row is None:
        raise Http404
    try:
        services.attendance_remove(attendance=row, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("committee-meeting", pk=meeting.pk)


@login_required
@require_POST
def decision_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)

    def call(data: dict[str, Any]) -> None:
        services.decision_add(meeting=meeting, actor=request.user, **data)

    return _submit(request, meeting, DecisionForm(request.POST), "decision_form", call, _("The decision was recorded."))


@login_required
@require_POST
def action_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _oct_meeting_or_404(request, pk)

    def call(data: dict[str, Any]) -> None:
        services.action_point_add(meeting=meeting, actor=request.user, **data)

    form = ActionPointForm(request.POST)
    return _submit(request, meeting, form, "action_form", call, _("The action point was recorded."))


# --- Owners and Committee members ------------------------------------------------------------------


@login_required
@require_POST
def action_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark done (the owners, OCT), drop or reopen (OCT). Others: 404."""
    point = get_action_point_for_user_or_404(request.user, pk)
    form = ActionPointActForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        moved = services.action_point_act(point=point, action=form.cleaned_data["action"], actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except (TransitionNotAllowedError, StaleStateError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The action point is now “%(status)s”.") % {"status": moved.get_status_display()})
    # An owner outside the Committee (an entity's focal point) closes it from the home page.
    if can_read_meetings(request.user):
        return redirect("committee-meeting", pk=point.meeting_id)
    return redirect("home")


@login_required
@require_POST
def cascade_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_agenda_item_for_user_or_404(request.user, pk)
    form = CascadeForm(request.POST, user=request.user)

    def call(data: dict[str, Any]) -> None:
        services.cascade_record(item=item, actor=request.user, **data)

    done = _("Your briefing of the group was recorded.")
    return _submit(request, item.meeting, form, "cascade_form", call, done, cascade_item=item.pk)


@login_required
@require_POST
def briefing_pack_view(request: HttpRequest, pk: int) -> HttpResponse:
    """OCT asks a worker for the meeting's briefing pack; the page then shows its progress."""
    meeting = _oct_meeting_or_404(request, pk)
    try:
        pack = edition_request(report=meeting, actor=request.user, language=request.POST.get("language"))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Briefing pack %(number)d was requested: it is generated in the background.") % {"number": pack.number},
        )
    return redirect(reverse("committee-meeting", args=[meeting.pk]) + "#briefing-pack")
