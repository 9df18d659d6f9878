"""Reads of sign-on requests: OCT's queue, a request by its access key, conflicts with the
registry."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.registry.models import Entity, Membership
from compact.registry.selectors import entity_resolve, entity_status_on
from compact.signon.models import SignOnRequest
from compact.signon.permissions import can_review_signon


def signon_conflicts(
    *, acronym: str, name: str, requested_status: str, exclude_pk: int | None = None
) -> tuple[dict[str, str], Entity | None]:
    """What stops a sign-on request, by form field, and the registered entity it is about.

    An entity that is already a party with that status (or a member asking to be an
    observer) cannot sign on again; one that left, or an observer asking to become a member,
    can. A second request while one is under review is refused.
    """
    errors: dict[str, str] = {}
    by_acronym, by_name = entity_resolve(acronym), entity_resolve(name)
    if by_acronym and by_name and by_acronym != by_name:
        errors["organization_name"] = _("The acronym is registered for %(a)s but the name for %(b)s; check both.") % {
            "a": by_acronym.acronym,
            "b": by_name.acronym,
        }
    matched = by_acronym or by_name
    if matched is not None:
        status = entity_status_on(matched)
        if status == requested_status or status == Membership.Status.MEMBER:
            field = "acronym" if by_acronym else "organization_name"
            errors[field] = _(
                "%(entity)s is already a %(status)s of the Compact. If its details changed, "
                "write to the OCT secretariat instead."
            ) % {"entity": matched.acronym, "status": Membership.Status(status).label.lower()}
    pending = (
        SignOnRequest.objects.filter(state__in=SignOnRequest.UNDER_REVIEW)
        .filter(Q(acronym__iexact=acronym) | Q(organization_name__iexact=name))
        .exclude(pk=exclude_pk)
        .first()
    )
    if pending is not None:
        errors.setdefault(
            "acronym",
            _("A request for %(acronym)s, sent on %(day)s, is already under review by OCT.")
            % {"acronym": pending.acronym, "day": date_format(timezone.localtime(pending.submitted_at).date())},
        )
    return errors, matched


def signon_requests_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, state: str | None = None
) -> QuerySet[SignOnRequest]:
    """Sign-on requests for OCT's review queue, oldest first within a state; none for others."""
    if not can_review_signon(user):
        return SignOnRequest.objects.none()
    requests = SignOnRequest.objects.select_related("handler", "entity", "matched_entity")
    if state:
        requests = requests.filter(state=state)
    return requests.order_by("state_changed_at", "pk")


def signon_queue_counts(user: AbstractBaseUser | AnonymousUser) -> dict[str, int]:
    """How many requests sit in each state (for the queue's tabs and OCT's home page)."""
    counts = dict(
        signon_requests_visible_to(user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    # Keys with underscores, so templates can read them (``counts.in_consultation``).
    return {state.replace("-", "_"): counts.get(state, 0) for state in SignOnRequest.State.values}


def get_signon_request_for_user_or_404(user: AbstractBaseUser | AnonymousUser, pk: int) -> SignOnRequest:
    """One request for OCT; 404 for anyone else, exactly as for a missing one."""
    request = signon_requests_visible_to(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such sign-on request.")
    return request


def get_signon_request_by_key_or_404(access_key: str) -> SignOnRequest:
    """The applicant's view of their request, through the unguessable key of their link."""
    if not access_key or len(access_key) > 64:
        raise Http404("No such sign-on request.")
    request = SignOnRequest.objects.filter(access_key=access_key).first()
    if request is None:
        raise Http404("No such sign-on request.")
    return request
