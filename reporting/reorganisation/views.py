"""Pages of reorganisations: the list, OCT's draft (the new structure, the mapping line by line,
the preview of what adoption will do), the moves, and an adopted reorganisation's record of
what it did, with links to the structure as of the day before and the day itself."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.selectors import audit_events_for
from compact.lib.forms import form_add_service_errors, service_errors_on
from compact.lib.workflow import EditConflictError, SeparationOfDutiesError, StaleStateError, TransitionNotAllowedError
from reporting.consultation.selectors import ConsultationSummary, consultations_of
from reporting.reorganisation.forms import ActForm, MappingForm, ReorganisationForm, TargetForm
from reporting.reorganisation.models import Reorganisation, ReorganisationMapping
from reporting.reorganisation.permissions import can_manage_reorganisations
from reporting.reorganisation.selectors import (
    effects_visible_to,
    get_reorganisation_for_user_or_404,
    groups_to_map,
    reorganisation_plan,
    reorganisations_visible_to,
)
from reporting.reorganisation.services import (
    reorganisation_act,
    reorganisation_create,
    reorganisation_mapping_set,
    reorganisation_target_add,
    reorganisation_target_remove,
    reorganisation_update,
)
from reporting.reorganisation.workflow import OCT, REORGANISATION_TRANSITIONS


@login_required
@require_GET
def reorganisation_list(request: HttpRequest) -> HttpResponse:
    rows = reorganisations_visible_to(request.user)
    context = {"reorganisations": rows, "can_manage": can_manage_reorganisations(request.user)}
    return render(request, "reporting/reorganisation/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reorganisation_create_page(request: HttpRequest) -> HttpResponse:
    if not can_manage_reorganisations(request.user):
        raise Http404
    form = ReorganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            data = form.cleaned_data
            reorganisation = reorganisation_create(
                title=data["title"], effective_on=data["effective_on"], rationale=data["rationale"], actor=request.user
            )
            messages.success(request, _("The draft was started: now set out the new structure and the mapping."))
            return redirect("reorganisation-detail", pk=reorganisation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/reorganisation/form.html", {"form": form}, status=status)


def _mapping_rows(reorganisation: Reorganisation, posted: tuple[int, MappingForm] | None) -> list[dict[str, Any]]:
    """One line per old group: its form, filled with its line of the mapping if it has one."""
    mappings = {
        m.source_id: m for m in reorganisation.mappings.select_related("source").prefetch_related("targets__continues")
    }
    targets = list(reorganisation.targets.select_related("continues").order_by("number", "continues__number", "pk"))
    sources = list(groups_to_map(reorganisation))
    sources += [m.source for m in mappings.values() if m.source_id not in {g.pk for g in sources}]
    rows = []
    for group in sources:
        if posted is not None and posted[0] == group.pk:
            form = posted[1]
        else:
            mapping = mappings.get(group.pk)
            initial = dict.fromkeys(ReorganisationMapping.CARRY_FLAGS, True)
            if mapping is not None:
                initial = {flag: getattr(mapping, flag) for flag in ReorganisationMapping.CARRY_FLAGS}
                initial |= {
                    "targets": list(mapping.targets.all()),
                    "reports_to": mapping.reports_to,
                    "note": mapping.note,
                }
            form = MappingForm(
                initial=initial, reorganisation=reorganisation, targets=targets, prefix=f"map-{group.pk}"
            )
        rows.append({"group": group, "mapping": mappings.get(group.pk), "form": form})
    return rows


def _detail_context(request: HttpRequest, reorganisation: Reorganisation, **forms: Any) -> dict[str, Any]:
    can_manage = can_manage_reorganisations(request.user)
    editing = can_manage and reorganisation.is_draft
    day = reorganisation.effective_on
    context: dict[str, Any] = {
        "reorganisation": reorganisation,
        "can_manage": can_manage,
        "editing": editing,
        "targets": reorganisation.targets.select_related("continues", "group").order_by("number", "continues__number"),
        "eve": day - datetime.timedelta(days=1),
        "history": audit_events_for(reorganisation, request.user),
        "consultations": _consultations(request, reorganisation),
        "mappings": reorganisation.mappings.select_related("source").prefetch_related("targets__continues"),
    }
    if reorganisation.state == Reorganisation.State.ADOPTED:
        context["effects"] = effects_visible_to(request.user, reorganisation)
    else:
        plan = reorganisation_plan(reorganisation)
        shown, hidden = plan.effects_seen_by(request.user)
        context |= {"plan": plan, "counts": plan.counts(shown), "preview_effects": shown, "hidden_effects": hidden}
    if editing:
        context["edit_form"] = forms.get("edit_form") or ReorganisationForm(
            initial={
                "title": reorganisation.title,
                "effective_on": reorganisation.effective_on,
                "rationale": reorganisation.rationale,
                "base_revision": reorganisation.revision,
            }
        )
        context["target_form"] = forms.get("target_form") or TargetForm(reorganisation=reorganisation)
        context["mapping_rows"] = _mapping_rows(reorganisation, forms.get("mapping"))
    if can_manage:
        drafters = set(reorganisation.drafters.values_list("pk", flat=True))
        context["moves"] = REORGANISATION_TRANSITIONS.available(
            reorganisation.state, by=OCT, actor=request.user, proposer=drafters
        )
        context["drafted_it"] = reorganisation.is_draft and request.user.pk in drafters
        context["act_form"] = forms.get("act_form") or ActForm(initial={"base_revision": reorganisation.revision})
        context["failed_action"] = forms.get("failed_action", "")
    return context


def _consultations(request: HttpRequest, reorganisation: Reorganisation) -> list[ConsultationSummary]:
    """The rounds the entities were consulted in on this reorganisation (counts only, as on an
    adopted programme version)."""
    until = reorganisation.adopted_at or timezone.now()
    return consultations_of(request.user, "reorganisation", reorganisation.pk, after=None, until=until)


@login_required
@require_GET
def reorganisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reorganisation = get_reorganisation_for_user_or_404(request.user, pk)
    return render(request, "reporting/reorganisation/detail.html", _detail_context(request, reorganisation))


def _draft_or_404(request: HttpRequest, pk: int) -> Reorganisation:
    reorganisation = get_reorganisation_for_user_or_404(request.user, pk)
    if not can_manage_reorganisations(request.user):
        raise Http404
    return reorganisation


def _again(request: HttpRequest, reorganisation: Reorganisation, **forms: Any) -> HttpResponse:
    reorganisation.refresh_from_db()
    context = _detail_context(request, reorganisation, **forms)
    return render(request, "reporting/reorganisation/detail.html", context, status=400)


@login_required
@require_POST
def reorganisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reorganisation = _draft_or_404(request, pk)
    form = ReorganisationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reorganisation_update(
                reorganisation=reorganisation,
                actor=request.user,
                title=data["title"],
                effective_on=data["effective_on"],
                rationale=data["rationale"],
                base_revision=data["base_revision"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except EditConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("reorganisation-detail", pk=reorganisation.pk)
    return _again(request, reorganisation, edit_form=form)


@login_required
@require_POST
def reorganisation_target_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    reorganisation = _draft_or_404(request, pk)
    form = TargetForm(request.POST, reorganisation=reorganisation)
    if form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            reorganisation_target_add(reorganisation=reorganisation, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The group was added to the new structure."))
            return redirect(f"{reorganisation_url(reorganisation)}#new-structure")
    return _again(request, reorganisation, target_form=form)


@login_required
@require_POST
def reorganisation_target_remove_view(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    reorganisation = _draft_or_404(request, pk)
    target = reorganisation.targets.filter(pk=target_pk).first()
    if target is None:
        raise Http404
    try:
        reorganisation_target_remove(target=target, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The group was taken out of the new structure and of the mapping."))
    return redirect(f"{reorganisation_url(reorganisation)}#new-structure")


@login_required
@require_POST
def reorganisation_mapping_view(request: HttpRequest, pk: int, source: int) -> HttpResponse:
    reorganisation = _draft_or_404(request, pk)
    mapped = reorganisation.mappings.filter(source_id=source).select_related("source").first()
    group = groups_to_map(reorganisation).filter(pk=source).first() or (mapped.source if mapped else None)
    if group is None:
        raise Http404
    form = MappingForm(request.POST, reorganisation=reorganisation, prefix=f"map-{group.pk}")
    if form.is_valid():
        with service_errors_on(form, denied_is_404=True):
            reorganisation_mapping_set(
                reorganisation=reorganisation, source=group, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Where the work of %(group)s goes was saved.") % {"group": group})
            return redirect(f"{reorganisation_url(reorganisation)}#map-{group.pk}")
    return _again(request, reorganisation, mapping=(group.pk, form))


@login_required
@require_POST
def reorganisation_act_view(request: HttpRequest, pk: int) -> HttpResponse:
    reorganisation = _draft_or_404(request, pk)
    form = ActForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reorganisation = reorganisation_act(
                reorganisation=reorganisation,
                action=data["action"],
                actor=request.user,
                message=data["message"],
                decision=data["decision"],
                base_revision=data["base_revision"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        except (StaleStateError, TransitionNotAllowedError, EditConflictError):
            reorganisation.refresh_from_db()
            form.add_error(
                None,
                _("This step is not possible now: the reorganisation is “%(state)s”, or its draft changed.")
                % {"state": reorganisation.get_state_display()},
            )
        except SeparationOfDutiesError as error:
            form.add_error(None, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request, _("The reorganisation is now “%(state)s”.") % {"state": reorganisation.get_state_display()}
            )
            return redirect("reorganisation-detail", pk=reorganisation.pk)
    return _again(request, reorganisation, act_form=form, failed_action=request.POST.get("action", ""))


def reorganisation_url(reorganisation: Reorganisation) -> str:
    return reverse("reorganisation-detail", args=[reorganisation.pk])
