"""Exactly one beat sends the schedule, by a lock (compact.lib.beat), not by convention.

The locks themselves are tested in this process (Redis and file); then two real ``celery
beat`` processes are started, with the Redis lock and with the embedded mode's file lock:
only one sends, and when it is killed (SIGKILL: no clean-up) the other takes over within the
lock's time to live.
"""

from __future__ import annotations

import datetime
import re
import time
import uuid

import pytest
import redis
from celery.beat import PersistentScheduler
from django.conf import settings

from compact.lib.beat import FileBeatLock, LockedScheduler, RedisBeatLock, beat_lock_from_url
from tests.conftest import require_or_skip
from tests.processes import Process, redis_url_beside, wait_for
from tests.test_settings import PRODUCTION, manage

SENT = re.compile(r"Sending due task every-second-beat-lock-test")
TTL = 3.0


def sends(process: Process) -> int:
    return len(SENT.findall(process.output))


@pytest.fixture
def lock_redis_url() -> str:
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_or_skip("the Redis beat lock needs a Redis broker")
    return redis_url_beside(settings.CELERY_BROKER_URL, 2)


@pytest.fixture
def lock_key(lock_redis_url):
    key = f"test-beat-lock:{uuid.uuid4().hex}"
    yield key
    redis.Redis.from_url(lock_redis_url).delete(key)


# --- The locks, in this process ---------------------------------------------------------


@pytest.mark.long
@pytest.mark.services
def test_only_one_holder_of_the_redis_lock_and_a_renewal_keeps_it(lock_redis_url, lock_key):
    first = RedisBeatLock(lock_redis_url, key=lock_key, ttl=TTL)
    second = RedisBeatLock(lock_redis_url, key=lock_key, ttl=TTL)
    assert first.hold() is True
    assert second.hold() is False
    assert first.holder() == first.token
    # Renewed before it expires, it stays the first one's however long it is held.
    for _ in range(3):
        time.sleep(TTL / 2)
        assert first.hold() is True
        assert second.hold() is False
    assert first.client.pttl(lock_key) > (TTL - 1) * 1000


@pytest.mark.services
def test_the_redis_lock_of_a_holder_that_stops_renewing_expires_and_is_not_taken_back(lock_redis_url, lock_key):
    first = RedisBeatLock(lock_redis_url, key=lock_key, ttl=TTL)
    second = RedisBeatLock(lock_redis_url, key=lock_key, ttl=TTL)
    assert first.hold() is True
    assert second.hold() is False
    # The first beat stops (frozen, cut off): the lock expires and the standby takes it.
    assert wait_for(second.hold, seconds=TTL + 2, every=0.5)
    assert second.holder() == second.token
    # Back, the first one finds it taken: it neither renews nor releases the second's lock.
    assert first.hold() is False
    first.release()
    assert second.holder() == second.token


@pytest.mark.services
def test_a_released_redis_lock_is_taken_at_once(lock_redis_url, lock_key):
    first = RedisBeatLock(lock_redis_url, key=lock_key, ttl=60)
    second = RedisBeatLock(lock_redis_url, key=lock_key, ttl=60)
    assert first.hold() is True
    first.release()
    assert second.hold() is True


def test_a_redis_lock_that_cannot_reach_redis_is_not_held():
    # Port 1 on loopback: refused at once.
    lock = RedisBeatLock("redis://127.0.0.1:1/0", key="test-beat-lock:unreachable", ttl=TTL)
    assert lock.hold() is False


def test_only_one_holder_of_the_file_lock_until_it_is_released(tmp_path):
    first, second = FileBeatLock(tmp_path / "beat.lock"), FileBeatLock(tmp_path / "beat.lock")
    assert first.hold() is True
    assert second.hold() is False
    assert first.hold() is True
    first.release()
    assert second.hold() is True
    assert first.hold() is False


def test_the_lock_is_chosen_by_its_url(tmp_path):
    assert isinstance(beat_lock_from_url(f"file://{tmp_path}/beat.lock", key="k", ttl=60), FileBeatLock)
    assert isinstance(beat_lock_from_url("redis://127.0.0.1:6379/2", key="k", ttl=60), RedisBeatLock)
    with pytest.raises(ValueError, match="BEAT_LOCK_URL"):
        beat_lock_from_url("postgres://db/compact", key="k", ttl=60)
    with pytest.raises(ValueError, match="at least 3 seconds"):
        beat_lock_from_url("redis://127.0.0.1:6379/2", key="k", ttl=1)


def test_the_settings_give_beat_the_locked_scheduler_and_a_lock_that_follows_the_broker():
    assert settings.CELERY_BEAT_SCHEDULER == "compact.lib.beat:LockedScheduler"
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        assert settings.BEAT_LOCK_URL == settings.CELERY_BROKER_URL
    assert issubclass(LockedScheduler, PersistentScheduler)


# --- Two real beats -----------------------------------------------------------------------


def start_beat(name: str, tmp_path, env: dict[str, str]) -> Process:
    return Process(
        name,
        ["-m", "celery", "-A", "config", "beat", "--loglevel=INFO", "--schedule", str(tmp_path / f"{name}-schedule")],
        tmp_path / f"{name}.log",
        {"DJANGO_SETTINGS_MODULE": "tests.settings_beat", **env},
    )


def two_beats_one_sends_then_the_other_takes_over(tmp_path, env: dict[str, str], takeover_seconds: float) -> None:
    first = start_beat("beat-1", tmp_path, env)
    beats = [first]
    try:
        first.wait_until(lambda log: len(SENT.findall(log)) >= 2, "the first beat did not send its entry")
        second = start_beat("beat-2", tmp_path, env)
        beats.append(second)
        second.wait_until(lambda log: "standing by" in log, "the second beat did not stand by")
        sent_before = sends(first)
        time.sleep(3)
        assert sends(first) > sent_before, "the holder stopped sending while the standby waited"
        assert sends(second) == 0, "the standby beat sent while the first held the lock"

        first.kill()
        killed_at = time.monotonic()
        second.wait_until(lambda log: SENT.search(log), "the standby did not take over", seconds=takeover_seconds + 30)
        took = time.monotonic() - killed_at
        assert took <= takeover_seconds + 10, f"the standby took {took:.1f} s to take over"
        assert "Beat lock taken" in second.output
    finally:
        for beat in beats:
            beat.kill()


@pytest.mark.long
@pytest.mark.services
def test_two_beats_on_redis_only_one_sends_and_the_standby_takes_over_when_it_dies(tmp_path, lock_redis_url, lock_key):
    queue = f"beat-lock-test-{uuid.uuid4().hex}"
    env = {
        "CELERY_BROKER_URL": lock_redis_url,
        "BEAT_LOCK_KEY": lock_key,
        "BEAT_LOCK_TTL": str(TTL),
        "BEAT_TEST_QUEUE": queue,
        "VAR_DIR": str(tmp_path / "var"),
    }
    try:
        # The lock's TTL plus a standby's retry interval (a third of it here).
        two_beats_one_sends_then_the_other_takes_over(tmp_path, env, takeover_seconds=TTL + TTL / 3)
    finally:
        redis.Redis.from_url(lock_redis_url).delete(queue)


@pytest.mark.long
def test_two_embedded_beats_only_one_sends_and_the_standby_takes_over_when_it_dies(tmp_path):
    """The embedded mode (filesystem broker): the file lock under VAR_DIR, freed by the kernel."""
    env = {
        "CELERY_BROKER_URL": "filesystem://localhost/",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    two_beats_one_sends_then_the_other_takes_over(tmp_path, env, takeover_seconds=5.0)
    assert (tmp_path / "var" / "celerybeat.lock").is_file()


@pytest.mark.long
@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"BEAT_LOCK_URL": "postgres://db.example.org/compact"}, "BEAT_LOCK_URL must be redis://"),
        ({"BEAT_LOCK_TTL": "1"}, "BEAT_LOCK_TTL must be at least 3 seconds"),
    ],
)
def test_manage_check_refuses_a_beat_lock_beat_could_not_use(tmp_path, env, reason):
    result = manage("check", env={**PRODUCTION, **env}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "compact.E002" in result.stderr and reason in result.stderr


def test_a_standby_scheduler_sends_nothing_and_takes_over_when_the_holder_closes(settings, tmp_path, monkeypatch):
    """LockedScheduler in this process, with the file lock: the standby's tick returns the retry
    interval without sending anything; a clean stop (close) frees the lock at once."""
    from config.celery import app

    settings.BEAT_LOCK_URL = f"file://{tmp_path / 'beat.lock'}"
    sent: list[str] = []
    monkeypatch.setattr(LockedScheduler, "apply_async", lambda self, entry, **kwargs: sent.append(entry.name))
    holder = LockedScheduler(app=app, schedule_filename=str(tmp_path / "holder-schedule"))
    standby = LockedScheduler(app=app, schedule_filename=str(tmp_path / "standby-schedule"))
    try:
        # Every entry due now: the holder sends them, the standby none.
        for scheduler in (holder, standby):
            for entry in scheduler.schedule.values():
                entry.last_run_at = entry.default_now() - datetime.timedelta(days=1)
        while holder.tick() == 0:
            pass
        assert holder.lock.held and set(sent) == set(holder.schedule) >= set(settings.CELERY_BEAT_SCHEDULE)
        sent.clear()
        assert standby.tick() == standby.lock.retry_every
        assert sent == [] and not standby.lock.held
        # Renewals come well within any lock's time to live, even with nothing due.
        assert holder.max_interval <= holder.lock.renew_every

        holder.close()
        standby.tick()
        assert standby.lock.held and sent
    finally:
        holder.close()
        standby.close()
