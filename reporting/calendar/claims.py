"""What the scheduler's chasers share: the claim (the unique ``SchedulerEvent`` row inserted
before an action, which makes a second, concurrent or post-crash run of it do nothing) and
which reminder or escalation is owed on a day."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from reporting.calendar.models import SchedulerEvent


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


def chase_reached(
    *, due_on: datetime.date, today: datetime.date, reminder_days: Sequence[int], escalation_days: Sequence[int]
) -> tuple[str, int] | None:
    """("reminder", days) or ("escalation", days): the latest reminder (before the due date)
    or escalation (after it) reached on ``today``, or None. Only the latest: after an outage
    the recipient gets one message saying how things stand, not every one that was missed."""
    days_left = (due_on - today).days
    if days_left >= 0:
        reached = [n for n in reminder_days if n >= days_left]
        return ("reminder", min(reached)) if reached else None
    reached = [n for n in escalation_days if n <= -days_left]
    return ("escalation", max(reached)) if reached else None
