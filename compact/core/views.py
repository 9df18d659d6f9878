"""OCT's audit log and the load balancers' health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compact.core.permissions import can_view_audit
from compact.core.selectors import audit_events_visible_to


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        raise Http404
    # Each row reads as a sentence naming who acted and their entity (AuditEvent.sentence).
    events = audit_events_visible_to(request.user).select_related("actor__profile__entity")
    verb = request.GET.get("verb", "").strip()
    if verb:
        events = events.filter(verb__startswith=verb)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "compact/audit_log.html", {"page": page, "verb": verb})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without login, checks only the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
