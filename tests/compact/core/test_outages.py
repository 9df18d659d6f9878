"""The shared memory of a Redis outage (compact.lib.outages) and the cache that fails soft
(compact.lib.cache), without a Redis: a port where nothing listens refuses at once."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import caches

from compact.lib import outages
from compact.lib.cache import FailSoftRedisCache
from tests.redis_outage import free_port


def test_an_outage_is_seen_by_a_process_that_starts_after_it_began(settings, tmp_path):
    settings.OUTAGES_DIR = tmp_path
    outages.outage_begin("10.0.0.7:6379", seconds=30)
    outages._down_until.clear()  # another process: nothing in memory, only the file
    assert outages.outage_active("10.0.0.7:6379")
    assert not outages.outage_active("10.0.0.8:6379")  # another server
    outages.outage_begin("10.0.0.8:6379", seconds=0.05)
    time.sleep(0.1)
    outages._down_until.clear()
    assert not outages.outage_active("10.0.0.8:6379")  # it is over


def test_the_cache_and_the_broker_on_one_redis_share_an_outage():
    assert outages.server_of("redis://127.0.0.1:6379/7") == outages.server_of("redis://127.0.0.1:6379/6")
    assert outages.server_of("redis://:secret@cache.internal/1") == "cache.internal:6379"
    assert outages.server_of("filesystem://localhost/") != outages.server_of("redis://localhost:6379/0")


def test_an_unreachable_cache_is_an_empty_one_and_says_so_once(settings, caplog):
    port = free_port()
    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{port}/1",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    cache = caches["default"]
    assert isinstance(cache, FailSoftRedisCache)
    caplog.set_level(logging.WARNING, logger="compact.lib.cache")
    began = time.monotonic()
    assert cache.add("count", 1, 60) is False
    assert cache.get("count", "missing") == "missing"
    assert cache.set("other", 2) is None and cache.get_many(["count", "other"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    with pytest.raises(ValueError):
        cache.incr("count")
    assert time.monotonic() - began < 0.5
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 1 and f"127.0.0.1:{port}" in warned[0] and "rate limits are not counted" in warned[0]


def test_with_its_cache_down_the_sign_on_rate_limit_lets_a_request_through(settings, rf):
    from compact.signon.views import signon_rate_limited

    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{free_port()}/1",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.SIGNON_RATE_LIMIT = "1/h"
    request = rf.post("/sign-on/", REMOTE_ADDR="192.0.2.10")
    assert [signon_rate_limited(request) for _ in range(3)] == [False, False, False]
