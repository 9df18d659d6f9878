"""Reads of the Compact registry, scoped to what the asking user may see."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import get_users_with_perms

from compact.models import AuditEvent, Entity, EntityAlias, Evidence, Heartbeat, Membership, Profile, SignOnRequest
from compact.permissions import can_read_registry, can_review_signon, can_see_entity_people, can_view_audit


def entity_resolve(name: str) -> Entity | None:
    """The entity a name refers to: its acronym, an alias or former name, or its full name.

    Case-insensitive and whitespace-tolerant, so "uncct", "DPKO" and "1540 Committee" resolve.
    """
    name = " ".join(name.split())
    if not name:
        return None
    entity = Entity.objects.filter(acronym__iexact=name).first()
    if entity is None:
        alias = EntityAlias.objects.select_related("entity").filter(name__iexact=name).first()
        entity = alias.entity if alias else None
    if entity is None:
        entity = Entity.objects.filter(name__iexact=name).first()
    return entity


def _latest_entry(day: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(entity=OuterRef("pk"), effective_from__lte=day).order_by("-effective_from", "-id")


def entities_with_status(*, on: datetime.date | None = None) -> QuerySet[Entity]:
    """Entities annotated with ``status`` (their membership status on ``on``, today by default)
    and ``status_since``; entities with no history yet get ``None``."""
    day = on or timezone.localdate()
    latest = _latest_entry(day)
    return Entity.objects.annotate(
        status=Subquery(latest.values("status")[:1]),
        status_since=Subquery(latest.values("effective_from")[:1]),
    )


def entity_status_on(entity: Entity, day: datetime.date | None = None) -> str | None:
    """The entity's membership status on ``day`` (today by default), or None before any."""
    entry = (
        entity.memberships.filter(effective_from__lte=day or timezone.localdate())
        .order_by("-effective_from", "-id")
        .first()
    )
    return entry.status if entry else None


def entities_visible_to(
    user: AbstractBaseUser | AnonymousUser,
    *,
    status: str | None = None,
    kind: str | None = None,
    search: str | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Entity]:
    """The registry as ``user`` may read it, optionally filtered; empty for outsiders."""
    if not can_read_registry(user):
        return Entity.objects.none()
    entities = entities_with_status(on=on)
    if status:
        entities = entities.filter(status=status)
    if kind:
        entities = entities.filter(kind=kind)
    if search:
        entities = entities.filter(
            Q(acronym__icontains=search) | Q(name__icontains=search) | Q(aliases__name__icontains=search)
        ).distinct()
    return entities.order_by("acronym")


def get_entity_for_user_or_404(user: AbstractBaseUser | AnonymousUser, acronym: str) -> Entity:
    """One entity by acronym (any case); 404 whether it is missing or hidden from ``user``."""
    entity = entities_visible_to(user).filter(acronym__iexact=acronym).first()
    if entity is None:
        raise Http404("No such entity.")
    return entity


def audit_events_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, for those who may read it (OCT); empty for others."""
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("content_type")


def audit_events_for(obj: object, user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit rows about one object, if ``user`` may read the audit trail."""
    return audit_events_visible_to(user).filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def registry_summary(*, on: datetime.date | None = None) -> dict[str, int]:
    """How many entities hold each membership status on ``on``, plus facts still unverified."""
    counts = dict(entities_with_status(on=on).values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "members": counts.get(Membership.Status.MEMBER, 0),
        "observers": counts.get(Membership.Status.OBSERVER, 0),
        "applicants": counts.get(Membership.Status.APPLICANT, 0),
        "withdrawn": counts.get(Membership.Status.WITHDRAWN, 0),
        "unverified_entities": Entity.objects.filter(evidence=Evidence.UNVERIFIED).count(),
    }


def entity_people_visible_to(user: AbstractBaseUser | AnonymousUser, entity: Entity) -> QuerySet[Profile]:
    """The active people of an entity, for OCT and the entity's focal points; empty otherwise."""
    if not can_see_entity_people(user, entity):
        return Profile.objects.none()
    return entity.people.select_related("user").filter(user__is_active=True).order_by("user__last_name")


def entity_focal_points(entity: Entity) -> QuerySet:
    """The people appointed focal points of ``entity`` (holders of the object permission)."""
    return get_users_with_perms(
        entity, only_with_perms_in=["manage_entity_profile"], with_superusers=False, with_group_users=False
    ).order_by("last_name", "first_name", "username")


HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def heartbeats_with_freshness() -> list[dict[str, object]]:
    """Each background process's last sign of life, and whether it is recent enough to trust
    (beat fires the heartbeat every minute, so three minutes of silence means trouble)."""
    now = timezone.now()
    return [
        {"name": beat.name, "seen_at": beat.seen_at, "fresh": now - beat.seen_at < HEARTBEAT_STALE_AFTER}
        for beat in Heartbeat.objects.order_by("name")
    ]


# --- Sign-on requests -------------------------------------------------------------------------


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
