"""Pages that gather several domains: the home page, the Committee's composition and the
system status page (heartbeats, the broker, sign-in lockouts)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compact.accounts.selectors import lockouts_current
from compact.core.permissions import is_oct
from compact.core.roles import user_roles
from compact.core.selectors import audit_events_visible_to, heartbeats_with_freshness
from compact.registry.forms import OnDateForm
from compact.registry.permissions import is_focal_point, sits_on_committee
from compact.registry.selectors import (
    entity_status_on,
    registry_summary,
)
from compact.signon.selectors import signon_queue_counts
from config.celery import app
from portal.inbox import tasks_of_request
from portal.search import MAX_LENGTH, MIN_LENGTH, query_words, search_everything
from reporting.committee.selectors import open_action_points_for
from reporting.review.selectors import comments_awaited_from
from reporting.submissions.models import Submission
from reporting.submissions.selectors import chair_desk, submissions_visible_to
from workinggroups.composition import committee_on
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
        context["recent_events"] = audit_events_visible_to(user).select_related("actor__profile__entity")[:8]
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
    context["today"] = timezone.localdate()
    context["tasks"] = tasks_of_request(request)
    return render(request, "compact/home.html", context)


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


def _broker_status() -> str:
    """Whether a connection to the broker can be made, within a short timeout."""
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


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search box across the Compact (portal.search): results grouped by kind, each within
    what the reader may open."""
    text = request.GET.get("q", "")[:MAX_LENGTH]
    words = query_words(text)
    too_short = bool(text.strip()) and len("".join(words)) < MIN_LENGTH
    results = search_everything(request.user, text) if not too_short else []
    context = {"q": text, "results": results, "searched": bool(words) and not too_short, "too_short": too_short}
    return render(request, "portal/search.html", context)
