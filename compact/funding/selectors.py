"""Reads of the Trust Fund, within the reader's clearance."""

from __future__ import annotations

from django.db.models import QuerySet

from compact.core.permissions import AnyUser, readable_levels
from compact.funding.models import Contribution
from compact.funding.permissions import can_read_trust_fund


def contributions_visible_to(user: AnyUser, *, year: int | None = None) -> QuerySet[Contribution]:
    """The contributions ``user`` may read (none for a visitor), by year (newest first) and rank."""
    if not can_read_trust_fund(user):
        return Contribution.objects.none()
    contributions = Contribution.objects.filter(classification__in=readable_levels(user)).select_related("donor")
    if year is not None:
        contributions = contributions.filter(year=year)
    return contributions.order_by("-year", "rank", "donor__name")
