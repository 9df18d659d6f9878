"""The scheduler's claims: the unique ``SchedulerEvent`` row inserted before an action, which
makes a second, concurrent or post-crash run of the same action do nothing."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from reporting.models import SchedulerEvent


def scheduler_claim(key: str, kind: str, **values: Any) -> SchedulerEvent | None:
    """Record that the scheduler is doing ``key`` now, inside the caller's transaction; None if
    it is done already or another tick is doing it (the unique key makes it wait, then fail)."""
    if SchedulerEvent.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return SchedulerEvent.objects.create(key=key, kind=kind, **values)
    except IntegrityError:
        return None
