"""Pages of the Compact registry: home, entities, the Committee, audit and system status."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.committee import committee_on
from compact.forms import EntityFilterForm, EntityProfileForm, FocalPointInviteForm, OnDateForm
from compact.lib.forms import form_add_service_errors
from compact.models import Entity
from compact.permissions import (
    can_manage_entity,
    can_read_registry,
    can_view_audit,
    is_focal_point,
    is_oct,
    sits_on_committee,
)
from compact.roles import user_roles
from compact.selectors import (
    audit_events_for,
    audit_events_visible_to,
    entities_visible_to,
    entity_focal_points,
    entity_people_visible_to,
    entity_resolve,
    entity_status_on,
    get_entity_for_user_or_404,
    heartbeats_with_freshness,
    registry_summary,
    signon_queue_counts,
)
from compact.selectors_review import comments_awaited_from
from compact.selectors_security import lockouts_current
from compact.services.registry import entity_profile_save, focal_point_dismiss, focal_point_invite
from reporting.committee.selectors import open_action_points_for
from reporting.models import Submission
from reporting.submissions.selectors import chair_desk, submissions_visible_to
from workinggroups.selectors import entity_roles, workinggroups_led_by


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One page per person: a section for each role they hold."""
    user = request.user
    roles = user_roles(user)
    profile = getattr(user, "profile", None)
    led_groups = workinggroups_led_by(user)
    context = {
        "roles": roles,
        "profile": profile,
        "show_oct": is_oct(user),
        "show_committee": sits_on_committee(user, leads_a_group=bool(led_groups)),
        "led_groups": led_groups,
        "show_focal_point": is_focal_point(user),
    }
    if context["show_oct"]:
        context["summary"] = registry_summary()
        context["signon_counts"] = signon_queue_counts(user)
        context["recent_events"] = audit_events_visible_to(user)[:8]
    if context["show_committee"]:
        context["committee"] = committee_on()
    if led_groups:
        context["reporting_desk"] = chair_desk(user)
    if context["show_oct"]:
        awaiting = submissions_visible_to(user).filter(status__in=Submission.AWAITING_REVIEW)
        context["reports_awaiting_review"] = awaiting.count()
    if context["show_focal_point"]:
        context["entity_status"] = entity_status_on(profile.entity)
        context["entity_roles"] = entity_roles(profile.entity)["current"]
        # Open reviews of the Compact on which the focal point's entity has not commented yet.
        context["reviews_awaiting"] = comments_awaited_from(user)
    context["action_points"] = open_action_points_for(user)[:10]
    return render(request, "compact/home.html", context)


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
        try:
            person = focal_point_invite(
                entity=entity,
                email=form.cleaned_data["email"],
                given_name=form.cleaned_data["given_name"],
                family_name=form.cleaned_data["family_name"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
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
                entity=entity, actor=request.user, keep_former_names=is_oct(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            entity.refresh_from_db()  # the save was rolled back; links must use the stored acronym
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The profile of %(entity)s was saved.") % {"entity": entity.acronym})
            return redirect("entity-detail", acronym=entity.acronym)
    return render(request, "compact/entity_edit.html", {"entity": entity, "form": form})


@login_required
@require_GET
def committee(request: HttpRequest) -> HttpResponse:
    """The Coordination Committee on a chosen day (today by default)."""
    form = OnDateForm(request.GET or None)
    day = form.day() if request.GET else timezone.localdate()
    return render(
        request,
        "compact/committee.html",
        {"form": form, "committee": committee_on(day), "is_today": day == timezone.localdate()},
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        raise Http404
    events = audit_events_visible_to(request.user)
    verb = request.GET.get("verb", "").strip()
    if verb:
        events = events.filter(verb__startswith=verb)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "compact/audit_log.html", {"page": page, "verb": verb})


def _broker_status() -> str:
    """Whether a connection to the broker can be made, within a short timeout."""
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            # One attempt: a retry sleeps 2 s first (kombu), so the page took 2 s with Redis
            # refusing connections and 4 s with it hung; the socket timeouts bound the attempt.
            conn.ensure_connection(max_retries=0, timeout=2)
    except Exception as error:
        return f"unreachable ({type(error).__name__})"
    return "ok"


@login_required
@require_GET
def system_status(request: HttpRequest) -> HttpResponse:
    """For OCT: is the database, the broker, the worker and beat alive? Who is locked out?"""
    if not is_oct(request.user):
        raise Http404
    context = {
        "database": connection.vendor,
        "broker_url": settings.CELERY_BROKER_URL.split("@")[-1],
        "broker": _broker_status(),
        "heartbeats": heartbeats_with_freshness(),
        "lockouts": lockouts_current(request.user),
    }
    return render(request, "compact/system_status.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without login, checks only the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
