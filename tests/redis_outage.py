"""A Redis of the test's own that can be stopped, hung and brought back, and the means to point
this process's broker and cache at it in the state a freshly started web process is in.

Shared by tests/test_broker_down.py and tests/security/test_redis_down.py. Never touch the
shared redis-server other engineers and CI jobs use: every test starts its own on a free port.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import kombu.pools
import redis
from django.conf import settings
from django.core.cache import caches

from compact.lib.outages import outages_reset
from config.celery import app as celery_app

# The bounds issue 14 sets for a request while Redis is down.
REFUSED_BOUND = 0.5  # seconds: Redis stopped, the host up (connection refused)
HUNG_BOUND = 3.0  # seconds: Redis hung (accepts connections, answers nothing)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on loopback, that can be stopped, hung and restarted."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return self.db_url(0)

    def db_url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(50):
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a hung (stopped) server must run to exit
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def hang(self) -> None:
        """Freeze the server: the kernel still accepts connections, nothing answers (a host
        that stopped responding, not one that refuses)."""
        if self.process is None:
            raise RuntimeError("redis-server is not running")
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a hung server run again: it answers what it was sent meanwhile."""
        if self.process is None:
            raise RuntimeError("redis-server is not running")
        self.process.send_signal(signal.SIGCONT)


def fresh_process_state() -> None:
    """Forget what this process learnt about the broker and the cache, as a web process that
    has just started: kombu's registry of connection and producer pools, Celery's own pools,
    the cache's connection pools and every recorded outage."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    with contextlib.suppress(AttributeError):
        del caches["default"]
    outages_reset()


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at ``url``, with the transport options production uses
    for Redis, for the duration. (``broker_url`` alone is not enough: Celery reads it from the
    environment's CELERY_BROKER_URL first, so the URL to publish to is set as
    ``broker_write_url``.)"""
    conf = celery_app.conf
    saved = conf.broker_write_url, conf.broker_read_url, conf.broker_transport_options
    fresh_process_state()
    conf.broker_write_url = conf.broker_read_url = url
    conf.broker_transport_options = dict(settings.REDIS_BROKER_TRANSPORT_OPTIONS)
    try:
        if f"127.0.0.1:{urlsplit(url).port}/" not in celery_app.connection_for_write().as_uri():
            raise RuntimeError("Celery did not take the test's broker URL")
        yield
    finally:
        fresh_process_state()
        conf.broker_write_url, conf.broker_read_url, conf.broker_transport_options = saved


def redis_cache(url: str) -> dict:
    """The ``CACHES`` setting production derives from ``CACHE_URL=url``."""
    return {
        "default": {"BACKEND": settings.REDIS_CACHE_BACKEND, "LOCATION": url, "OPTIONS": settings.REDIS_CACHE_OPTIONS}
    }
