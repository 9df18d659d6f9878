"""The shared memory of a Redis outage (compact.lib.outages) and the cache that fails soft
(compact.lib.cache), without a Redis: a port where nothing listens refuses at once."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import caches

from compact.lib import outages
from compact.lib.cache import FailSoftRedisCache
from tests.conftest import require_or_skip
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


def _real_redis_cache(settings, location: str | list[str]) -> FailSoftRedisCache:
    if not settings.CACHES["default"]["LOCATION"].startswith("redis"):
        require_or_skip("CACHE_URL is not a Redis server")
    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": location,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    return caches["default"]


def test_the_cache_talks_to_redis_through_one_client_per_pool(settings):
    """Django's client makes a redis.Redis for every operation; ours keeps one per connection
    pool, and each still talks to its own server."""
    url = settings.CACHES["default"]["LOCATION"]
    cache = _real_redis_cache(settings, url)
    cache.set("one-client", 7)
    assert cache.get("one-client") == 7 and cache.add("one-client", 8) is False and cache.incr("one-client") == 8
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=False) is client  # one server: one pool for reads and writes
    assert len(cache._cache._clients) == 1 and client.connection_pool is cache._cache._pools[0]
    cache.delete("one-client")


def test_with_a_replica_reads_and_writes_keep_their_own_clients(settings):
    url = settings.CACHES["default"]["LOCATION"]
    cache = _real_redis_cache(settings, [url, url])  # the "replica" is the same server: its own pool
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client(write=False)
    assert writer is not reader and writer is cache._cache.get_client(write=True)
    assert reader is cache._cache.get_client(write=False)
    assert writer.connection_pool is cache._cache._pools[0] and reader.connection_pool is cache._cache._pools[1]
    cache.set("replicated", 3)
    assert cache.get("replicated") == 3 and len(cache._cache._clients) == 2
    cache.delete("replicated")
