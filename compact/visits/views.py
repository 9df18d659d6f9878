"""Pages of CTED's country visits (A/72/840, Annex IV, C.2).

Every page reads through ``compact.visits.selectors`` (a 404 for a visit above the reader's
clearance, as for a missing one) and writes through one service of ``compact.visits.services``.
The assessment reaches a page only when ``can_read_assessment`` says the reader may read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.selectors import audit_events_for
from compact.core.verbs import verb_label
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.matrix.exports import country_name
from compact.matrix.selectors import in_country
from compact.visits.forms import VisitActionForm, VisitForm
from compact.visits.models import CountryVisit
from compact.visits.permissions import (
    can_follow_up_visits,
    can_read_assessment,
    can_read_visits,
    can_record_visits,
)
from compact.visits.selectors import (
    get_visit_for_user_or_404,
    linkable_projects,
    visit_projects_for,
    visits_visible_to,
)
from compact.visits.services import (
    ACTION_VERBS,
    VISIT_FIELDS,
    visit_act,
    visit_create,
    visit_moves_for,
    visit_update,
)
from compact.visits.workflow import EDITABLE_STATES, VISIT_TRANSITIONS


def _move_label(action: str) -> str:
    """A step's move as the table names it (the action's key if the table no longer has it)."""
    try:
        return str(VISIT_TRANSITIONS.get(action).label)
    except TransitionNotAllowedError:
        return action


def _action_form(request: HttpRequest, visit: CountryVisit, data: Any = None) -> VisitActionForm:
    projects = linkable_projects(request.user).filter(in_country(visit.country, with_regional=True))
    return VisitActionForm(data, projects=projects if can_follow_up_visits(request.user) else None)


def _detail_context(request: HttpRequest, visit: CountryVisit, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "visit": visit,
        "country": country_name(visit.country),
        "assessment_readable": can_read_assessment(user, visit),
        "started_without_oct": visit.started_without_oct(timezone.localdate()),
        "can_edit": can_record_visits(user) and visit.state in EDITABLE_STATES,
        "moves": visit_moves_for(user, visit),
        "action_form": extra.get("action_form") or _action_form(request, visit),
        "failed_action": extra.get("failed_action", ""),
        "projects": visit_projects_for(user, visit),
        "steps": [(step, _move_label(step.action)) for step in visit.steps.select_related("actor")],
        "events": audit_events_for(visit, user)[:50],
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    """CTED's country visits the reader may know of, newest first."""
    if not can_read_visits(request.user):
        raise Http404
    today = timezone.localdate()
    visits = list(visits_visible_to(request.user))
    for visit in visits:
        visit.country_label = country_name(visit.country)
        visit.without_oct = visit.started_without_oct(today)
    context = {"visits": visits, "can_record": can_record_visits(request.user)}
    return render(request, "compact/visits/visit_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    """CTED records a planned visit."""
    if not can_record_visits(request.user):
        raise Http404
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            visit = visit_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The visit was recorded."))
            return redirect("visit-detail", pk=visit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/visits/visit_form.html", {"form": form, "visit": None}, status=status)


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user_or_404(request.user, pk)
    return render(request, "compact/visits/visit_detail.html", _detail_context(request, visit))


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """CTED corrects a visit's facts until its assessment is recorded."""
    visit = get_visit_for_user_or_404(request.user, pk)
    if not can_record_visits(request.user):
        raise Http404
    if visit.state not in EDITABLE_STATES:
        messages.info(request, _("The assessment of this visit is recorded: its facts no longer change."))
        return redirect("visit-detail", pk=visit.pk)
    form = VisitForm(request.POST or None, initial={name: getattr(visit, name) for name in VISIT_FIELDS})
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            visit_update(visit=visit, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The visit was saved."))
            return redirect("visit-detail", pk=visit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "compact/visits/visit_form.html", {"form": form, "visit": visit}, status=status)


@login_required
@require_POST
def visit_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One move of the visit. A move that is not the reader's is a 404, as the page shows none."""
    visit = get_visit_for_user_or_404(request.user, pk)
    if not (can_record_visits(request.user) or can_follow_up_visits(request.user)):
        raise Http404
    form = _action_form(request, visit, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        action = data["action"]
        try:
            visit_act(
                visit=visit,
                action=action,
                actor=request.user,
                oct_informed_on=data["oct_informed_on"],
                assessment=data["assessment"],
                followup_on=data["followup_on"],
                followup_support=data["followup_support"],
                projects=data["projects"] or [],
                reason=data["reason"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        except (StaleStateError, TransitionNotAllowedError):
            form.add_error(
                None,
                _("This step is not possible while the visit is “%(state)s”.") % {"state": visit.get_state_display()},
            )
        else:
            messages.success(request, verb_label(ACTION_VERBS[action]))
            return redirect("visit-detail", pk=visit.pk)
    visit.refresh_from_db()
    context = _detail_context(request, visit, action_form=form, failed_action=request.POST.get("action", ""))
    return render(request, "compact/visits/visit_detail.html", context, status=400)
