"""Reminding the consulted entities that have not commented, and closing rounds at their
deadline: the beat's hourly task ``reporting.tasks.consultations_chase``.

While a round is open, the focal points of each consulted entity that has sent no comment yet
are reminded 14, 7 and 1 days before the deadline (the calendar's reminder days, counted in the
scheduler's day: New York's, from ``SCHEDULER_DAY_STARTS_AT`` o'clock; only the latest reached is
sent, so an outage never sends a burst). Each reminder is claimed once in the
scheduler's log by a key naming the round, the entity, the deadline and the offset, in the same
transaction as its e-mail (the outbox is unique per occasion and recipient): a second run, two
runs at once or a run after a crash send nothing more. Once the deadline day is over, the round
is closed (the table's ``expire`` move, by the scheduler). No escalation: a closed round takes
no more comments.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.lib.emails import absolute_url
from compact.registry.models import Entity
from compact.registry.selectors import focal_point_emails_by_entity
from reporting.calendar.claims import chase_reached, scheduler_claim
from reporting.calendar.models import DEFAULT_REMINDER_DAYS, SchedulerEvent
from reporting.calendar.services import scheduler_day
from reporting.consultation.models import ConsultationComment, ConsultationRound
from reporting.consultation.services import consultation_expire

REMINDER_DAYS = DEFAULT_REMINDER_DAYS
State = ConsultationRound.State


def consultations_chase(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Close the open rounds whose deadline day is over, then send the reminders owed today;
    how many of each were done (each at most once, whatever the number of runs)."""
    now = now or timezone.now()
    closed = sum(
        consultation_expire(round=round_, now=now)
        for round_ in ConsultationRound.objects.filter(state=State.OPEN).order_by("pk")
    )
    # The scheduler's day (New York, from SCHEDULER_DAY_STARTS_AT): reminders arrive in the morning, not at midnight.
    today = scheduler_day(now, settings.TIME_ZONE)
    sent = 0
    for round_ in ConsultationRound.objects.filter(state=State.OPEN).order_by("comments_due_on", "pk"):
        reached = chase_reached(
            due_on=round_.comments_due_on, today=today, reminder_days=REMINDER_DAYS, escalation_days=()
        )
        if reached is not None:
            sent += _remind_round(round_, days=reached[1], today=today)
    return {"closed": closed, "reminded": sent}


def reminder_key(round_: ConsultationRound, entity: Entity, days: int) -> str:
    return f"consultation-reminder:{round_.pk}:{entity.pk}:{round_.comments_due_on.isoformat()}:{days}"


def _silent(round_: ConsultationRound) -> list[Entity]:
    return list(round_.entities.exclude(consultation_comments__round=round_).order_by("acronym"))


def _remind_round(round_: ConsultationRound, *, days: int, today: datetime.date) -> int:
    silent = _silent(round_)
    keys = {reminder_key(round_, entity, days) for entity in silent}
    done = set(SchedulerEvent.objects.filter(key__in=keys).values_list("key", flat=True))
    owed = [entity for entity in silent if reminder_key(round_, entity, days) not in done]
    if not owed:
        return 0
    focal = focal_point_emails_by_entity(owed)
    return sum(_remind(round_, entity, focal[entity.pk], days=days, today=today) for entity in owed)


def _still_owed(round_: ConsultationRound, entity: Entity) -> bool:
    # Under the round's row lock: a close racing the reminder waits for the claim's transaction.
    open_now = ConsultationRound.objects.select_for_update().filter(pk=round_.pk, state=State.OPEN).exists()
    return open_now and not ConsultationComment.objects.filter(round=round_, entity=entity).exists()


def _remind(
    round_: ConsultationRound, entity: Entity, recipients: list[str], *, days: int, today: datetime.date
) -> int:
    key = reminder_key(round_, entity, days)
    detail = f"{entity.acronym}: {round_.title}"[:500] if recipients else f"{entity.acronym}: no focal point"
    with transaction.atomic():
        # Asked again in the claim's transaction: the entity may have commented meanwhile.
        if not _still_owed(round_, entity):
            return 0
        if scheduler_claim(key, SchedulerEvent.Kind.REMINDER, recipients=recipients, detail=detail) is None:
            return 0
        if not recipients:
            return 0
        email_queue(
            occasion=key,
            recipients=recipients,
            template="consultation-reminder",
            category=EmailCategory.DEADLINES,
            context={
                "round": round_,
                "entity": entity,
                "due_on": round_.comments_due_on,
                "days_left": (round_.comments_due_on - today).days,
                "url": absolute_url(reverse("consultation-detail", args=[round_.pk])),
            },
        )
    return 1
