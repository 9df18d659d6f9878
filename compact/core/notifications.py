"""In-app notifications: a person's own list, marking them read, and the daily digest.

``email_queue`` (compact.core.outbox) writes a ``Notification`` for each recipient who has an
account, whatever they chose for the category; here they are read (only one's own, the title
only within one's current clearance), marked read, and gathered into one digest e-mail a day
for those who chose the digest.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from compact.core.categories import Delivery, EmailCategory
from compact.core.models import Classification, Notification, OutboundEmail, User
from compact.core.outbox import email_queue
from compact.core.permissions import can_read_classification
from compact.core.timezones import zone_of
from compact.lib.emails import absolute_url

logger = logging.getLogger(__name__)

AnyUser = AbstractBaseUser | AnonymousUser


# --- Reading ----------------------------------------------------------------------------------


def notifications_of(user: AnyUser) -> QuerySet[Notification]:
    """The person's own notifications, newest first (nothing for anonymous visitors). Callers
    show a title only where ``notification_readable`` says so."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for_user_or_404(user: AnyUser, pk: int) -> Notification:
    """One of the person's own notifications; someone else's is as missing as one that never was."""
    notification = notifications_of(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def notification_readable(notification: Notification, user: AnyUser) -> bool:
    """Whether ``user``'s clearance today reaches the notification's marking: the recipients
    were chosen by their clearance, but a clearance can be lowered since."""
    return can_read_classification(user, notification.classification)


def unread_count(user: AnyUser) -> int:
    """How many of the person's notifications are unread (one indexed count)."""
    return notifications_of(user).filter(read_at__isnull=True).count()


# --- Marking read -----------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: AbstractBaseUser) -> bool:
    """Mark one of ``user``'s own notifications read; returns whether it was unread. Not
    audited: reading one's own list changes nothing anyone else relies on."""
    if notification.recipient_id != user.pk:
        raise Http404
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)


@transaction.atomic
def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())


# --- The daily digest -------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    title: str
    category: str
    link: str
    created_at: datetime.datetime


def _undigested(person: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(
        recipient=person, delivery=Delivery.DAILY_DIGEST, digested_at__isnull=True
    ).order_by("created_at", "id")


def digest_due_people() -> list[int]:
    """The ids of active people with notifications waiting for their digest."""
    waiting = Notification.objects.filter(
        delivery=Delivery.DAILY_DIGEST, digested_at__isnull=True, recipient__is_active=True
    )
    return sorted(set(waiting.values_list("recipient_id", flat=True)))


def digest_occasion(person: AbstractBaseUser, day: datetime.date) -> str:
    return f"notification-digest:{person.pk}:{day.isoformat()}"


def _digest_day(person: AbstractBaseUser, now: datetime.datetime) -> datetime.date | None:
    """The person's own date if their morning has begun (``SCHEDULER_DAY_STARTS_AT`` in their
    time zone), else None: a digest arrives with the working day, wherever they are."""
    local = now.astimezone(zone_of(person))
    return local.date() if local.hour >= settings.SCHEDULER_DAY_STARTS_AT else None


def _digest_items(notifications: list[Notification]) -> list[DigestItem]:
    labels = dict(EmailCategory.choices)
    return [
        DigestItem(
            title=n.title,
            category=str(labels.get(n.category, "")),
            link=absolute_url(n.link) if n.link else "",
            created_at=n.created_at,
        )
        for n in notifications
    ]


def notification_digest_send_one(*, user_id: int, now: datetime.datetime | None = None) -> bool:
    """Queue one person's digest of the notifications waiting for it, if their day has begun
    and today's digest was not sent; returns whether one was queued.

    Exactly once: the person's row is locked, the digest's occasion is unique per person and
    day (the outbox's constraint), and the notifications are marked digested in the same
    transaction — a second run, or two beats at once, finds nothing left to send. Titles
    above the person's clearance today are left out (counted, never shown)."""
    now = now or timezone.now()
    with transaction.atomic():
        person = (
            User.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("profile")
            .filter(pk=user_id, is_active=True)
            .first()
        )
        day = _digest_day(person, now) if person is not None else None
        if person is None or day is None:
            return False
        occasion = digest_occasion(person, day)
        if OutboundEmail.objects.filter(occasion=occasion).exists():
            return False  # today's went out; what arrived since waits for tomorrow's
        pending = list(_undigested(person).select_for_update())
        if not pending:
            return False
        shown = [n for n in pending if notification_readable(n, person)]
        email_queue(
            occasion=occasion,
            recipients=[person.email],
            template="notification-digest",
            context={
                "person": person,
                "items": _digest_items(shown),
                "withheld": len(pending) - len(shown),
                "time_zone": zone_of(person).key,
                "url": absolute_url(reverse("notifications")),
            },
            classification=Classification.highest(n.classification for n in shown),
            category=EmailCategory.DIGEST,
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=now)
    return True


def notification_digests_send(*, now: datetime.datetime | None = None) -> int:
    """The beat's tick: each person with notifications waiting gets their digest once their
    day has begun; returns how many digests were queued. Cheap when nobody waits."""
    now = now or timezone.now()
    return sum(notification_digest_send_one(user_id=pk, now=now) for pk in digest_due_people())
