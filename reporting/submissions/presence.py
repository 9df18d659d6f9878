"""Who else has a draft open in the editor ("also editing now"), from the editors' heartbeats.

An editor's page load, its automatic saves and a heartbeat every half minute mark its user
present on the draft; whoever was marked in the last ``PRESENT_FOR`` seconds is shown to the
others. This is a courtesy, not a lock: the merge on save is what keeps everyone's work. So it
lives in the cache, which may lose it — on Redis the cache is ``FailSoftRedisCache``, which
answers within half a second or counts as empty for a while: with Redis down nobody is shown as
present and no request waits. Two heartbeats at the same instant may drop one of them until
its next beat, which is fine for a hint.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.utils import timezone

from reporting.submissions.models import Submission

PRESENT_FOR = 60  # seconds since the last heartbeat


def _key(submission: Submission) -> str:
    return f"reporting:draft-editors:{submission.pk}"


def _fresh(seen: dict[int, float], now: float) -> dict[int, float]:
    return {user_id: at for user_id, at in seen.items() if now - at < PRESENT_FOR}


def editor_present(*, submission: Submission, user: AbstractBaseUser) -> None:
    """Mark ``user`` as having the draft open now (the caller checked they may edit it)."""
    now = timezone.now().timestamp()
    seen = _fresh(cache.get(_key(submission)) or {}, now)
    seen[user.pk] = now
    cache.set(_key(submission), seen, timeout=PRESENT_FOR * 2)


def others_editing(submission: Submission, user: AbstractBaseUser) -> list[str]:
    """The names of the other people who had the draft open in the last minute."""
    seen = _fresh(cache.get(_key(submission)) or {}, timezone.now().timestamp())
    others = get_user_model().objects.filter(pk__in=[pk for pk in seen if pk != user.pk], is_active=True)
    return sorted((person.get_full_name() or person.get_username()) for person in others)
