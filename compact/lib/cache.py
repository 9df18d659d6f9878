"""Django's Redis cache, made to fail soft and fast: an unreachable Redis is an empty cache.

What we keep in the cache can be lost (rate-limit counters), so a Redis that refuses or does
not answer must not fail the request, nor hold it: the connection and socket timeouts in
``REDIS_CACHE_OPTIONS`` bound the first attempt, and for ``compact.lib.outages.PAUSE_SECONDS``
afterwards this process — and the other processes of the machine — do not try at all. Reads
miss, writes are dropped, ``add`` adds nothing and ``incr`` says the key is missing, which is
what django-ratelimit needs to fall back to ``RATELIMIT_FAIL_OPEN``. Errors that are not about
reaching Redis (a wrong type, a bad command) are raised as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from compact.lib.outages import PAUSE_SECONDS, outage_active, outage_begin, server_of

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class KeyMissingError(ValueError):
    """``incr`` of a key the (unreachable) cache does not have: what Django raises too."""


class OneClientPerPoolRedisCacheClient(RedisCacheClient):
    """Django's client, with one ``redis.Redis`` per connection pool instead of a new one for
    every operation: making one builds its table of ~170 response callbacks, ~30 µs of CPU, a
    third of what a cache read costs on loopback. A ``redis.Redis`` is safe to share between
    threads (its pool hands each command a connection), and Django keeps a cache object per
    thread anyway."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # kept for the client's life: its id is its name
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = OneClientPerPoolRedisCacheClient
        self._server = server_of(server if isinstance(server, str) else server[0])

    def _soft(self, operation: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        if outage_active(self._server):
            return fallback()
        try:
            return operation()
        except UNREACHABLE as error:
            outage_begin(self._server)
            logger.warning(
                "The cache at %s is unreachable (%s): for %d s it is taken as empty and rate limits are not counted.",
                self._server,
                error,
                PAUSE_SECONDS,
            )
            return fallback()

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._soft(lambda: RedisCache.add(self, key, value, timeout, version), _false)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._soft(lambda: RedisCache.get(self, key, default, version), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> None:
        self._soft(lambda: RedisCache.set(self, key, value, timeout, version), _none)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._soft(lambda: RedisCache.touch(self, key, timeout, version), _false)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._soft(lambda: RedisCache.delete(self, key, version), _false)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._soft(lambda: RedisCache.get_many(self, keys, version), dict)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._soft(lambda: RedisCache.has_key(self, key, version), _false)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._soft(lambda: RedisCache.incr(self, key, delta, version), _missing(key))

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        # Like Django's backends, the keys that could not be set.
        return self._soft(lambda: RedisCache.set_many(self, data, timeout, version), lambda: list(data))

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._soft(lambda: RedisCache.delete_many(self, keys, version), _none)

    def clear(self) -> bool:
        return self._soft(lambda: RedisCache.clear(self), _false)


def _false() -> bool:
    return False


def _none() -> None:
    return None


def _missing(key: Any) -> Callable[[], int]:
    def raise_missing() -> int:
        raise KeyMissingError(f"Key {key!r} not found (the cache is unreachable).")

    return raise_missing
