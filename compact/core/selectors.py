"""Permission-scoped reads every domain uses: the audit log within the reader's clearance, and the
heartbeats."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import timezone

from compact.core.models import AuditEvent, Classification, Heartbeat, classification_fields
from compact.core.permissions import can_read_classification, can_view_audit

M = TypeVar("M", bound=Model)


def audit_events_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, for those who may read it (OCT); empty for others. Rows
    quote what changed, so each is read only within the reader's clearance."""
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return audit_events_within_clearance(user)


def audit_events_within_clearance(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """Every audit row whose marking ``user``'s clearance reaches (the admin's list, too)."""
    return within_clearance(AuditEvent.objects.select_related("content_type"), user)


def within_clearance(queryset: QuerySet[M], user: AbstractBaseUser | AnonymousUser) -> QuerySet[M]:
    """The rows of ``queryset`` each of whose markings ``user``'s clearance reaches (nothing for
    anonymous visitors). For readers that are not a page of their own, such as the admin."""
    levels = [level for level in Classification.values if can_read_classification(user, level)]
    markings = classification_fields(queryset.model)
    return queryset.filter(**{f"{name}__in": levels for name in markings}) if levels else queryset.none()


def audit_events_for(obj: object, user: AbstractBaseUser | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit rows about one object, if ``user`` may read the audit trail, with who acted
    (a history names them, AuditEvent.actor_name)."""
    return (
        audit_events_visible_to(user)
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor__profile__entity")
    )


HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def _stale_after(name: str) -> datetime.timedelta:
    # The scheduler's tick beats at its own pace (every five minutes by default): three missed
    # ticks mean trouble, as three missed minutes do for the worker.
    if name == "scheduler":
        return datetime.timedelta(seconds=3 * settings.SCHEDULER_TICK_SECONDS)
    return HEARTBEAT_STALE_AFTER


def heartbeats_with_freshness() -> list[dict[str, object]]:
    """Each background process's last sign of life, and whether it is recent enough to trust
    (beat fires the heartbeat every minute, so three minutes of silence means trouble)."""
    now = timezone.now()
    return [
        {"name": beat.name, "seen_at": beat.seen_at, "fresh": now - beat.seen_at < _stale_after(beat.name)}
        for beat in Heartbeat.objects.order_by("name")
    ]
