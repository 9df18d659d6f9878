"""Reminders of the USG's next briefing to Member States, from its cadence.

While no briefing is planned (none dated after today), the USG and OCT are told on each of the
cadence's reminder days before the next one is due, and once the day after it is missed. Each
message is claimed in the scheduler's log by a key naming the due date and the offset, so a
second run, two runs at once or a run after a crash sends it once; recording a briefing moves
the due date, and the next round of reminders has keys of its own.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.core.roles import Role, role_emails
from compact.lib.emails import absolute_url
from compact.outreach.selectors import BriefingSchedule, briefing_schedule
from reporting.calendar.claims import chase_reached, scheduler_claim
from reporting.calendar.models import SchedulerEvent

# One message the day after the briefing was due; the list of briefings shows it overdue after.
OVERDUE_DAYS = (1,)


def briefings_chase(*, now: datetime.datetime | None = None) -> int:
    """Send the reminder (or the overdue notice) owed today, if any; how many were sent (0 or 1)."""
    today = timezone.localdate(now)
    schedule = briefing_schedule(today=today)
    if schedule is None or not schedule.active or schedule.planned is not None:
        return 0
    reached = chase_reached(
        due_on=schedule.due_on, today=today, reminder_days=schedule.reminder_days, escalation_days=OVERDUE_DAYS
    )
    if reached is None:
        return 0
    kind, days = reached
    return _chase_send(schedule, kind=kind, days=days)


def _chase_send(schedule: BriefingSchedule, *, kind: str, days: int) -> int:
    key = f"briefing-{kind}:{schedule.due_on.isoformat()}:{days}"
    recipients = [*role_emails(Role.USG), settings.OCT_SECRETARIAT_EMAIL]
    overdue = kind == "escalation"
    with transaction.atomic():
        event_kind = SchedulerEvent.Kind.ESCALATION if overdue else SchedulerEvent.Kind.REMINDER
        detail = f"Briefing to Member States due {schedule.due_on.isoformat()}"
        if scheduler_claim(key, event_kind, recipients=recipients, detail=detail) is None:
            return 0
        email_queue(
            occasion=key,
            recipients=recipients,
            template="briefing-overdue" if overdue else "briefing-due",
            category=EmailCategory.DEADLINES,
            context={
                "due_on": schedule.due_on,
                "days_left": schedule.days_left,
                "days_late": -schedule.days_left,
                "last_held": schedule.last_held,
                "every_months": schedule.every_months,
                "url": absolute_url(reverse("outreach-briefing-list")),
            },
        )
    return 1
