"""Writing the append-only audit trail.

Every service that changes state calls ``audit_record`` inside its own transaction, with a
snapshot of the fields it changed before and after.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from compact.core.bulk import rows_insert
from compact.core.models import AuditEvent, Classification, is_marking, object_marking


def json_safe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # One representation per instant, whichever time zone the value was read in.
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal)):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-safe dict of ``fields`` of ``instance``; foreign keys become their ids."""
    result: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = json_safe(getattr(instance, attname))
    return result


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    actor_label: str | None = None,
    classification: str | None = None,
) -> AuditEvent:
    """Append one audit row. Must run inside the caller's transaction.

    ``actor_label`` names an actor who has no account (e.g. "applicant"); by default it is the
    actor's username, or "system" for the scheduler. The row's classification is the highest of
    ``classification``, the object's markings and any marking in ``before``/``after`` (a text
    whose marking was just lowered keeps its old marking in the row that quotes it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must be called inside the service's transaction.")
    event = audit_event(
        actor=actor,
        verb=verb,
        obj=obj,
        before=before,
        after=after,
        note=note,
        actor_label=actor_label,
        classification=classification,
    )
    event.save(force_insert=True)
    return event


def audit_event(
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    actor_label: str | None = None,
    classification: str | None = None,
) -> AuditEvent:
    """The row ``audit_record`` writes, unsaved, for a service that writes many at once
    (``audit_record_many``): an import creating thousands of projects."""
    return AuditEvent(
        classification=audit_classification(obj, before, after, classification),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label or (actor.get_username() if actor is not None else "system"),
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
        note=note,
    )


def audit_record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append the rows ``audit_event`` built, in one statement (``rows_insert``; they keep
    ``pk=None``). Must run inside the caller's transaction, as ``audit_record``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many() must be called inside the service's transaction.")
    rows_insert(events)
    return events


def audit_classification(
    obj: models.Model | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    classification: str | None = None,
) -> str:
    """The marking an audit row about ``obj`` carries (see ``audit_record``)."""
    levels: list[object] = [classification, object_marking(obj)]
    for values in (before or {}, after or {}):
        levels += [value for key, value in values.items() if is_marking(key)]
    return Classification.highest(levels)


def audit_changes(
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    obj: models.Model,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditEvent:
    """Append one audit row with only the fields that changed between the ``before`` and
    ``after`` snapshots (same keys), so the trail shows an edit, not the whole form."""
    return audit_record(
        actor=actor,
        verb=verb,
        obj=obj,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
    )
