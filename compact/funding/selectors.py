"""Reads of the Trust Fund, within the reader's clearance.

An earmark is read only by someone cleared for its own classification, for its contribution's
and for its project's as they stand now. Totals add up only the rows the reader may read: an
amount beyond their clearance never reaches them through a sum."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from compact.core.models import Classification
from compact.core.permissions import AnyUser, can_read_classification, readable_levels
from compact.funding.models import Contribution, Donor, Earmark
from compact.funding.permissions import can_read_trust_fund


def contributions_visible_to(user: AnyUser, *, year: int | None = None) -> QuerySet[Contribution]:
    """The contributions ``user`` may read (none for a visitor), by year (newest first) and rank."""
    if not can_read_trust_fund(user):
        return Contribution.objects.none()
    contributions = Contribution.objects.filter(classification__in=readable_levels(user)).select_related("donor")
    if year is not None:
        contributions = contributions.filter(year=year)
    return contributions.order_by("-year", "rank", "donor__name")


def get_contribution_for_user_or_404(user: AnyUser, pk: int) -> Contribution:
    """The contribution ``pk`` if ``user`` may read it; the same 404 for missing and forbidden."""
    contribution = contributions_visible_to(user).filter(pk=pk).first()
    if contribution is None:
        raise Http404
    return contribution


def donors_visible_to(user: AnyUser) -> QuerySet[Donor]:
    """Every donor for anyone signed in (who gives is public); none for a visitor."""
    if not can_read_trust_fund(user):
        return Donor.objects.none()
    return Donor.objects.order_by("name")


def get_donor_for_user_or_404(user: AnyUser, code: str) -> Donor:
    """The donor with ISO code ``code`` (any case); 404 for anything else, a NUL byte included."""
    code = code or ""
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise Http404
    donor = donors_visible_to(user).filter(code=code.upper()).first()
    if donor is None:
        raise Http404
    return donor


def earmarks_visible_to(user: AnyUser) -> QuerySet[Earmark]:
    """The earmarks ``user`` may read: within their clearance by the earmark's, its
    contribution's and its project's classification."""
    if not can_read_trust_fund(user):
        return Earmark.objects.none()
    levels = readable_levels(user)
    return (
        Earmark.objects.filter(classification__in=levels, contribution__classification__in=levels)
        .filter(Q(project__isnull=True) | Q(project__classification__in=levels))
        .select_related("contribution__donor", "project", "working_group")
        .order_by("-contribution__year", "contribution__donor__name", "id")
    )


def get_earmark_for_user_or_404(user: AnyUser, pk: int) -> Earmark:
    earmark = earmarks_visible_to(user).filter(pk=pk).first()
    if earmark is None:
        raise Http404
    return earmark


def total(rows: QuerySet, field: str = "amount_usd") -> Decimal:
    """The sum of ``field`` over ``rows`` (already scoped to the reader), 0 when none."""
    return rows.aggregate(total=Sum(field))["total"] or Decimal(0)


def sees_every_level(user: AnyUser) -> bool:
    """Whether ``user`` is cleared for every classification, so a figure net of all the rows
    (what remains to earmark) tells them nothing they could not read."""
    return all(can_read_classification(user, level) for level in Classification.values)


def contribution_summary(user: AnyUser, contribution: Contribution) -> dict:
    """The contribution's earmarks ``user`` may read, their total, and what remains to earmark
    (only for a reader who sees every earmark; None otherwise)."""
    earmarks = earmarks_visible_to(user).filter(contribution=contribution)
    earmarked = total(earmarks)
    remaining = None
    if sees_every_level(user) and contribution.amount_usd is not None:
        remaining = contribution.amount_usd - earmarked
    return {"earmarks": list(earmarks), "earmarked": earmarked, "remaining": remaining}


def donor_summary(user: AnyUser, donor: Donor) -> dict:
    """What the donor page shows ``user``: the donor's contributions, earmarks, the projects
    (linked or earmarked to) and the working groups it funds, all within clearance."""
    levels = readable_levels(user)
    contributions = contributions_visible_to(user).filter(donor=donor)
    earmarks = earmarks_visible_to(user).filter(contribution__donor=donor)
    project_ids = set(earmarks.exclude(project=None).values_list("project", flat=True))
    linked = donor.funded_projects.filter(classification__in=levels) if can_read_trust_fund(user) else []
    project_ids |= {project.pk for project in linked}
    projects = Earmark.project.field.related_model.objects.filter(pk__in=project_ids, classification__in=levels)
    groups = {earmark.working_group for earmark in earmarks if earmark.working_group_id}
    return {
        "contributions": list(contributions),
        "pledged": total(contributions),
        "received": total(contributions, "received_usd"),
        "earmarks": list(earmarks),
        "earmarked": total(earmarks),
        "projects": list(projects.order_by("title")),
        "groups": sorted(groups, key=lambda group: group.number),
    }
