"""Reads of the registry: entities by name or alias, their status on a day, their people and focal
points."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from compact.registry.models import Entity, EntityAlias, Evidence, Membership, Organization, OrganizationAlias, Profile
from compact.registry.permissions import can_read_registry, can_see_entity_people


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


def organization_resolve(name: str) -> Organization | None:
    """The organization not party to the Compact a name refers to: acronym, alias or full
    name, case-insensitive ("PAM" → WFP)."""
    name = " ".join(name.split())
    if not name:
        return None
    organization = Organization.objects.filter(Q(acronym__iexact=name) | Q(name__iexact=name)).first()
    if organization is None:
        alias = OrganizationAlias.objects.select_related("organization").filter(name__iexact=name).first()
        organization = alias.organization if alias else None
    return organization


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


def focal_point_emails_by_entity(entities: Iterable[Entity]) -> dict[int, list[str]]:
    """The active focal points' addresses of each of ``entities`` (by entity id), in one query,
    for e-mails to many entities at once (a review's ~45 parties)."""
    from guardian.models import UserObjectPermission

    ids = [str(entity.pk) for entity in entities]
    rows = (
        UserObjectPermission.objects.filter(
            permission__codename="manage_entity_profile",
            content_type=ContentType.objects.get_for_model(Entity),
            object_pk__in=ids,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__last_name", "user__first_name", "user__username")
        .values_list("object_pk", "user__email")
    )
    found: dict[int, list[str]] = {int(pk): [] for pk in ids}
    for entity_pk, email in rows:
        if email not in found[int(entity_pk)]:
            found[int(entity_pk)].append(email)
    return found
