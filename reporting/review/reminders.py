"""Chasing the comments of the biennial review of the Compact, from the scheduler's tick.

While a review is open, the focal points of each member entity that has not commented yet are
reminded 14, 7 and 1 days before the deadline, and escalated to 1 and 7 days after it. OCT gets
one summary per review and offset — every escalation, and a reminder when some silent members
have no focal point to write to — listing the entities still silent, rather than one message
per entity (a review concerns some forty entities). Observers may comment but are not expected
to: they are not chased.

Exactly once per review, entity, deadline and offset (and once per review, deadline and offset
for OCT's summary), the way the reporting scheduler does it: a ``SchedulerEvent`` key claimed in
the action's own transaction, and e-mails through the outbox (unique per occasion and
recipient). The key holds the deadline, so moving the deadline starts the reminders again for
the new date. Only the latest offset reached is sent: after an outage an entity gets one
message saying how things stand. Days are the scheduler's (they start at 07:00 in the site's
time zone).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.lib.emails import absolute_url
from compact.registry.models import Entity
from compact.registry.selectors import entities_with_status, focal_point_emails_by_entity
from reporting.calendar.claims import chase_reached
from reporting.calendar.claims import scheduler_claim as _claim
from reporting.calendar.models import DEFAULT_ESCALATION_DAYS, DEFAULT_REMINDER_DAYS, SchedulerEvent
from reporting.calendar.services import scheduler_day
from reporting.review.models import BiennialReview, ReviewComment
from reporting.review.permissions import EXPECTED_STATUSES

# Days before the deadline (reminders) and after it (escalations): the calendar's defaults.
REMINDER_DAYS = DEFAULT_REMINDER_DAYS
ESCALATION_DAYS = DEFAULT_ESCALATION_DAYS


@dataclass(frozen=True)
class _Chase:
    """The reminder or escalation owed on one review today."""

    review: BiennialReview
    kind: str  # "reminder" or "escalation"
    days: int  # the offset reached
    today: datetime.date

    def entity_key(self, entity: Entity) -> str:
        return f"review-{self.kind}:{self.review.pk}:{entity.pk}:{self.review.comments_due_on}:{self.days}"

    @property
    def oct_key(self) -> str:
        return f"review-oct-{self.kind}:{self.review.pk}:{self.review.comments_due_on}:{self.days}"

    @property
    def context(self) -> dict[str, object]:
        days_left = (self.review.comments_due_on - self.today).days
        return {
            "review": self.review,
            "due_on": self.review.comments_due_on,
            "days_left": days_left,
            "days_late": -days_left,
            "url": absolute_url(reverse("review-detail", args=[self.review.pk])),
        }


def review_comments_chase(*, now: datetime.datetime | None = None) -> int:
    """Remind (before the deadline) or escalate (after it) for every member entity that has not
    commented on an open review; returns how many reminders, escalations and summaries to OCT
    were e-mailed (each once; what could not be sent is in the scheduler's log)."""
    now = now or timezone.now()
    today = scheduler_day(now, settings.TIME_ZONE)
    sent = 0
    for review in BiennialReview.objects.filter(state=BiennialReview.State.OPEN).order_by("pk"):
        reached = chase_reached(
            due_on=review.comments_due_on, today=today, reminder_days=REMINDER_DAYS, escalation_days=ESCALATION_DAYS
        )
        if reached is not None:
            # The same day decides what is owed and who is silent (the scheduler's, from 07:00).
            sent += _chase_review(_Chase(review, reached[0], reached[1], today), today)
    return sent


def _chase_review(chase: _Chase, day: datetime.date) -> int:
    silent = _silent_members(chase.review, day)
    keys = {chase.entity_key(entity) for entity in silent} | {chase.oct_key}
    # One query for the claims of the whole review: a tick with nothing to do stays cheap.
    done = set(SchedulerEvent.objects.filter(key__in=keys).values_list("key", flat=True))
    owed = [entity for entity in silent if chase.entity_key(entity) not in done]
    if not owed and chase.oct_key in done:
        return 0
    focal = focal_point_emails_by_entity(silent)
    sent = sum(_entity_send(chase, entity, focal[entity.pk]) for entity in owed)
    without = [entity for entity in silent if not focal[entity.pk]]
    if silent and chase.oct_key not in done:
        sent += _oct_send(chase, silent, without)
    return sent


def _silent_members(review: BiennialReview, day: datetime.date) -> list[Entity]:
    """The active member entities with no comment on ``review``."""
    return list(
        entities_with_status(on=day)
        .filter(status__in=EXPECTED_STATUSES, is_active=True)
        .exclude(review_comments__review=review)
        .order_by("acronym")
    )


def _still_owed(review: BiennialReview, entity: Entity) -> bool:
    open_now = BiennialReview.objects.filter(pk=review.pk, state=BiennialReview.State.OPEN).exists()
    return open_now and not ReviewComment.objects.filter(review=review, entity=entity).exists()


def _entity_send(chase: _Chase, entity: Entity, recipients: list[str]) -> int:
    """Write to the entity's focal points; with none, the scheduler's log says so (OCT's
    summary names the entity)."""
    detail = f"{entity.acronym}: {chase.review}"
    if not recipients:
        detail = _("%(entity)s has no focal point with an e-mail address: named in OCT's summary.") % {
            "entity": entity.acronym
        }
    event_kind = SchedulerEvent.Kind.ESCALATION if chase.kind == "escalation" else SchedulerEvent.Kind.REMINDER
    key = chase.entity_key(entity)
    with transaction.atomic():
        # Asked again in the claim's transaction: the entity may have commented (or OCT closed
        # the review) since the tick listed the silent members.
        if not _still_owed(chase.review, entity):
            return 0
        if _claim(key, event_kind, recipients=recipients, detail=detail[:500]) is None:
            return 0
        if not recipients:
            return 0
        context = {**chase.context, "entity": entity}
        email_queue(
            occasion=key,
            recipients=recipients,
            template=f"review-{chase.kind}",
            context=context,
            category=EmailCategory.DEADLINES,
        )
    return 1


def _oct_send(chase: _Chase, silent: list[Entity], without: list[Entity]) -> int:
    """OCT's summary: on every escalation, and on a reminder when some silent members have no
    focal point to remind. Claimed in any case, so that later ticks skip it cheaply."""
    write = chase.kind == "escalation" or bool(without)
    recipients = [settings.OCT_SECRETARIAT_EMAIL] if write else []
    detail = ngettext(
        "%(count)d member entity has not commented.", "%(count)d member entities have not commented.", len(silent)
    ) % {"count": len(silent)}
    if not write:
        detail += " " + _("Each has a focal point to remind: OCT not written to.")
    event_kind = SchedulerEvent.Kind.ESCALATION if chase.kind == "escalation" else SchedulerEvent.Kind.REMINDER
    with transaction.atomic():
        if _claim(chase.oct_key, event_kind, recipients=recipients, detail=detail[:500]) is None or not write:
            return 0
        email_queue(
            occasion=chase.oct_key,
            recipients=recipients,
            template="review-oct-summary",
            category=EmailCategory.DEADLINES,
            context={
                **chase.context,
                "escalation": chase.kind == "escalation",
                "silent": [entity.acronym for entity in silent],
                "without_focal_point": [entity.acronym for entity in without],
            },
        )
    return 1
