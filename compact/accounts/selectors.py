"""Scoped reads for guarding the front door: the sign-in lockouts in force (OCT's system page)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from compact.core.permissions import is_oct

User = get_user_model()


@dataclass(frozen=True)
class Lockout:
    """One account locked out at one address: who, where, since when, until when. A name that is
    no account's is not kept (``username`` None): people type their password there."""

    username: str | None
    ip_address: str | None
    failures: int
    last_failure_at: datetime.datetime
    locked_until: datetime.datetime
    account: AbstractBaseUser | None


def _cool_off() -> datetime.timedelta:
    return get_cool_off() or datetime.timedelta(0)


def lockout_ends_at(*, username: str | None, ip_address: str | None) -> datetime.datetime | None:
    """When the lockout of ``username`` at ``ip_address`` ends (its last counted failure plus
    the cool-off; attempts during a lockout are not counted, so this does not move)."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(last=Max("attempt_time"))
    return last["last"] + _cool_off() if last["last"] else None


def lockouts_current(user: AbstractBaseUser) -> list[Lockout]:
    """The lockouts in force, latest first; empty for anyone but OCT."""
    if not is_oct(user):
        return []
    since = timezone.now() - _cool_off()
    pairs = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure_at=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure_at")
    )
    names = [pair["username"] for pair in pairs if pair["username"]]
    accounts = {u.username.lower(): u for u in User.objects.annotate(key=Lower("username")).filter(key__in=names)}
    return [
        Lockout(
            username=pair["username"] if (pair["username"] or "").lower() in accounts else None,
            ip_address=pair["ip_address"],
            failures=pair["failures"],
            last_failure_at=pair["last_failure_at"],
            locked_until=pair["last_failure_at"] + _cool_off(),
            account=accounts.get((pair["username"] or "").lower()),
        )
        for pair in pairs
    ]
