"""The registry's pages: entities, an entity's profile and its focal points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.core.permissions import is_oct
from compact.core.selectors import audit_events_for
from compact.lib.forms import service_errors_on
from compact.registry.forms import EntityFilterForm, EntityProfileForm, FocalPointInviteForm
from compact.registry.models import Entity
from compact.registry.permissions import can_manage_entity, can_read_registry
from compact.registry.selectors import (
    entities_visible_to,
    entity_focal_points,
    entity_people_visible_to,
    entity_resolve,
    entity_status_on,
    get_entity_for_user_or_404,
)
from compact.registry.services import entity_profile_save, focal_point_dismiss, focal_point_invite
from workinggroups.selectors import entity_roles


@login_required
@require_GET
def entity_list(request: HttpRequest) -> HttpResponse:
    form = EntityFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    entities = entities_visible_to(
        request.user, status=filters.get("status"), kind=filters.get("kind"), search=filters.get("q")
    )
    page = Paginator(entities, 50).get_page(request.GET.get("page"))
    return render(request, "compact/entity_list.html", {"form": form, "page": page})


@login_required
@require_GET
def entity_detail(request: HttpRequest, acronym: str) -> HttpResponse:
    try:
        entity = get_entity_for_user_or_404(request.user, acronym)
    except Http404:
        # A former name or alias (/entities/DPKO/) leads to the entity under its acronym.
        known = entity_resolve(acronym) if can_read_registry(request.user) else None
        if known is None:
            raise
        return redirect("entity-detail", acronym=known.acronym)
    return render(request, "compact/entity_detail.html", _entity_context(request, entity))


def _entity_context(request: HttpRequest, entity: Entity, invite_form: FocalPointInviteForm | None = None) -> dict:
    can_manage = can_manage_entity(request.user, entity)
    return {
        "entity": entity,
        "status": entity_status_on(entity),
        "memberships": entity.memberships.order_by("-effective_from", "-id"),
        "aliases": entity.aliases.order_by("kind", "name"),
        "roles": entity_roles(entity),
        "people": entity_people_visible_to(request.user, entity),
        "can_manage": can_manage,
        "focal_points": entity_focal_points(entity) if can_manage else [],
        "invite_form": invite_form or FocalPointInviteForm(),
        "events": audit_events_for(entity, request.user)[:20],
    }


def _managed_entity_or_404(request: HttpRequest, acronym: str) -> Entity:
    entity = get_entity_for_user_or_404(request.user, acronym)
    if not can_manage_entity(request.user, entity):
        raise Http404
    return entity


@login_required
@require_POST
def entity_focal_point_invite(request: HttpRequest, acronym: str) -> HttpResponse:
    """A focal point (or OCT) names another focal point; the person is invited by e-mail."""
    entity = _managed_entity_or_404(request, acronym)
    form = FocalPointInviteForm(request.POST)
    if form.is_valid():
        with service_errors_on(form):
            person = focal_point_invite(
                entity=entity,
                email=form.cleaned_data["email"],
                given_name=form.cleaned_data["given_name"],
                family_name=form.cleaned_data["family_name"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
            messages.success(
                request,
                _("%(name)s is now a focal point of %(entity)s.")
                % {"name": person.get_full_name() or person.email, "entity": entity.acronym},
            )
            return redirect(reverse("entity-detail", args=[entity.acronym]) + "#focal-points")
    return render(request, "compact/entity_detail.html", _entity_context(request, entity, form), status=400)


@login_required
@require_POST
def entity_focal_point_dismiss(request: HttpRequest, acronym: str) -> HttpResponse:
    entity = _managed_entity_or_404(request, acronym)
    person = entity_focal_points(entity).filter(pk=request.POST.get("user") or 0).first()
    if person is None:
        messages.error(request, _("This person is not a focal point of %(entity)s.") % {"entity": entity.acronym})
    else:
        try:
            focal_point_dismiss(user=person, entity=entity, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is no longer a focal point.") % {"name": person.get_full_name()})
    return redirect(reverse("entity-detail", args=[entity.acronym]) + "#focal-points")


@login_required
@require_http_methods(["GET", "POST"])
def entity_edit(request: HttpRequest, acronym: str) -> HttpResponse:
    """Edit an entity's profile: its focal points (descriptive fields) or OCT (all fields)."""
    entity = get_entity_for_user_or_404(request.user, acronym)
    if not can_manage_entity(request.user, entity):
        raise Http404
    form = EntityProfileForm(request.POST or None, entity=entity, full=is_oct(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            changed = entity_profile_save(
                entity=entity, actor=request.user, keep_former_names=is_oct(request.user), **form.profile()
            )
        except ValidationError as error:
            entity.refresh_from_db()  # the save was rolled back; links must use the stored acronym
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The profile of %(entity)s was saved.") % {"entity": entity.acronym})
            return redirect("entity-detail", acronym=entity.acronym)
    return render(request, "compact/entity_edit.html", {"entity": entity, "form": form})
