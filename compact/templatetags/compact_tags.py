"""Small display helpers shared by the registry's templates."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from compact.registry.models import Evidence, Membership

register = template.Library()


@register.simple_tag
def evidence_badge(value: str, *, always: bool = False) -> str:
    """A badge saying how sure we are of a fact. Unverified and demo facts are always marked;
    sourced ones only where ``always`` asks for it (e.g. on a detail page). A fact not marked
    costs nothing: lists call this once per row, and most rows are sourced."""
    shown = always or value in (Evidence.UNVERIFIED, Evidence.DEMO)
    if not shown:
        return ""
    label = Evidence(value).label if value in Evidence.values else value
    return render_to_string("compact/partials/evidence.html", {"value": value, "label": label, "shown": shown})


@register.inclusion_tag("compact/partials/status.html")
def status_badge(value: str | None) -> dict[str, object]:
    label = Membership.Status(value).label if value in Membership.Status.values else None
    return {"value": value, "label": label}
