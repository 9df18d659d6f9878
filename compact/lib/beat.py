"""Exactly one Celery beat sends the schedule: the one that holds the beat lock.

Beat is the clock of the deployment (docs/operations.md): two beats would send every entry
twice. Rather than trusting that only one is ever started, every beat runs ``LockedScheduler``:
before each tick it takes or renews a lock; a beat that cannot get it sends nothing and stands
by, trying again every few seconds, so it takes over when the holder dies.

- **Redis** (production; the broker's Redis unless ``BEAT_LOCK_URL`` names another): a key
  holding this beat's token with a time to live of ``BEAT_LOCK_TTL`` seconds, renewed every
  third of it — the approach of celery-redbeat's lock. A holder that dies (or loses Redis)
  stops renewing; the key expires and a standby takes it within the TTL plus its retry
  interval. Taking and renewing are one Lua script, so a beat never renews a lock another
  beat took meanwhile, and a beat that briefly lost Redis gets its own lock back.
- **A file** (the embedded mode, one machine): ``flock`` on a file under ``var/``. The kernel
  releases it the moment the holder's process ends, however it ends.

A beat that cannot reach Redis cannot prove it holds the lock, so it sends nothing; it could
not have published to a Redis broker anyway, and the tasks' sweeps catch up afterwards.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

# Set the key to our token with a TTL if it is free or already ours; 1 if we hold it after.
TAKE_OR_RENEW = """
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] or not holder then
    redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 1
end
return 0
"""
# Delete the key only if it still holds our token (never another beat's lock).
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""
# A standby looks for a free lock this often (at most), so it takes over soon after it frees.
STANDBY_RETRY_SECONDS = 5.0


class BeatLock(Protocol):
    """The lock a beat must hold to send."""

    #: Seconds between two calls of ``hold`` while holding it (renewals come well within any TTL).
    renew_every: float
    #: Seconds between two calls of ``hold`` while another beat holds it.
    retry_every: float

    def hold(self) -> bool:
        """Take the lock, or renew it if this beat holds it; whether this beat holds it now."""

    def release(self) -> None:
        """Give the lock up (a clean stop), so that a standby takes over at once."""

    def describe(self) -> str:
        """Where the lock is, for the log."""


def beat_token() -> str:
    """Who holds the lock, readable by an operator: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class RedisBeatLock:
    """A key with a time to live in Redis, renewed by its holder (see the module's docstring)."""

    def __init__(self, url: str, *, key: str, ttl: float, client: Any = None) -> None:
        if ttl < 3:
            raise ValueError("BEAT_LOCK_TTL must be at least 3 seconds.")
        self.url, self.key, self.ttl = url, key, ttl
        self.token = beat_token()
        self.client = client or redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self.renew_every = ttl / 3
        self.retry_every = min(STANDBY_RETRY_SECONDS, ttl / 3)
        self._take_or_renew = self.client.register_script(TAKE_OR_RENEW)
        self._release = self.client.register_script(RELEASE)
        self.held = False

    def hold(self) -> bool:
        was_held = self.held
        try:
            self.held = bool(self._take_or_renew(keys=[self.key], args=[self.token, int(self.ttl * 1000)]))
        except redis.RedisError as error:
            self.held = False
            logger.warning("Beat lock: Redis cannot be reached (%s); this beat sends nothing meanwhile.", error)
            return False
        if self.held and not was_held:
            logger.info("Beat lock taken (%s): this beat sends the schedule.", self.describe())
        elif was_held and not self.held:
            logger.warning("Beat lock lost to %s: this beat stops sending and stands by.", self._holder())
        return self.held

    def release(self) -> None:
        if not self.held:
            return
        try:
            self._release(keys=[self.key], args=[self.token])
        except redis.RedisError:
            logger.warning("Beat lock: could not release it; it expires within %s s.", self.ttl, exc_info=True)
        self.held = False

    def holder(self) -> str | None:
        """The token of the beat holding the lock now, if any (for the log and the tests)."""
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else value

    def _holder(self) -> str:
        try:
            return self.holder() or "nobody"
        except redis.RedisError:
            return "an unknown beat"

    def describe(self) -> str:
        parts = urlsplit(self.url)
        return f"Redis {parts.hostname}:{parts.port or 6379}{parts.path or ''} key {self.key!r}, ttl {self.ttl:g} s"


class FileBeatLock:
    """``flock`` on a file: one machine only, released by the kernel when the holder's process ends."""

    renew_every = 60.0
    retry_every = STANDBY_RETRY_SECONDS

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: Any = None

    def hold(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{beat_token()}\n")
        handle.flush()
        self._handle = handle
        logger.info("Beat lock taken (%s): this beat sends the schedule.", self.describe())
        return True

    def release(self) -> None:
        if self._handle is None:
            return
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def describe(self) -> str:
        return f"file {self.path}"


def beat_lock_from_url(url: str, *, key: str, ttl: float) -> BeatLock:
    """The lock ``BEAT_LOCK_URL`` names: ``redis://…``/``rediss://…`` or ``file:///path``."""
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss"}:
        return RedisBeatLock(url, key=key, ttl=ttl)
    if parts.scheme == "file" and parts.path:
        return FileBeatLock(Path(parts.path))
    raise ValueError(f"BEAT_LOCK_URL must be redis://host:port/db or file:///path, not {url!r}.")


class LockedScheduler(PersistentScheduler):
    """Celery's persistent scheduler that sends only while it holds the beat lock.

    Each beat keeps its own schedule file (``--schedule``), as before; a standby that takes
    over sends the entries that fell due while it waited at once (every task is idempotent).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lock = beat_lock_from_url(settings.BEAT_LOCK_URL, key=settings.BEAT_LOCK_KEY, ttl=settings.BEAT_LOCK_TTL)
        self._standing_by = False
        super().__init__(*args, **kwargs)
        # Wake up often enough to renew the lock within its TTL, even with nothing due.
        self.max_interval = min(self.max_interval, self.lock.renew_every)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if not self.lock.hold():
            if not self._standing_by:
                logger.info("Beat lock held by another beat (%s): standing by.", self.lock.describe())
            self._standing_by = True
            return self.lock.retry_every
        self._standing_by = False
        return super().tick(*args, **kwargs)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.lock.release()
