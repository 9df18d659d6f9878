"""What the scheduler's chasers share: the claim (the unique ``SchedulerEvent`` row inserted
before an action, which makes a second, concurrent or post-crash run of it do nothing) and
which reminder or escalation is owed on a day."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from compact.core.bulk import rows_insert_new
from reporting.calendar.models import SchedulerEvent


def scheduler_claim(key: str, kind: str, **values: Any) -> SchedulerEvent | None:
    """Record that the scheduler is doing ``key`` now, inside the caller's transaction; None if
    it is done already or another tick is doing it (the unique key makes it wait, then skip)."""
    claimed = scheduler_claim_many([SchedulerEvent(key=key, kind=kind, **values)])
    return claimed[0] if claimed else None


def scheduler_claim_many(events: Sequence[SchedulerEvent]) -> list[SchedulerEvent]:
    """Claim a chunk of actions in one statement, inside the caller's transaction: insert the
    unsaved ``events`` whose key nobody has inserted, and return those (the actions this tick
    now does). A key another tick inserted and committed is skipped; one it inserted and has
    not committed yet makes this statement wait for its commit (then skip) or its rollback
    (then claim). The events are inserted in the order of their keys, so that two ticks
    claiming overlapping chunks wait for each other in one order and never deadlock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A claim must be made inside the transaction of the action it claims.")
    return rows_insert_new(sorted(events, key=lambda event: event.key), identity=["key"])


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
