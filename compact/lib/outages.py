"""Remembering for a short while that a server (Redis) is down, across the processes of a machine.

A web request that found Redis unreachable has paid for it once; the next requests — in this
process or in a web process started a second later — should not pay again. So an outage is
kept in memory and in a small file under ``OUTAGES_DIR`` (a local folder shared by the
processes of one machine, not Redis, which is what is down): a process that has just started
reads it before its first attempt. Each machine's processes find out for themselves, at the
cost of one short, bounded failure.

An outage is named after the server (``host:port``), not the URL, so that the cache and the
broker on the same Redis learn from each other's failures.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

# Long enough that a burst of requests pays one timeout, short enough that a recovered Redis
# is used again within half a minute (what waited meanwhile goes out with the minute sweeps).
PAUSE_SECONDS = 30.0

# Per process: server → time.monotonic() until which it is taken to be down.
_down_until: dict[str, float] = {}


def server_of(url: str) -> str:
    """``host:port`` of a Redis URL (the first server of a list); for another broker (the
    embedded ``filesystem://``, ``memory://``) its scheme and host, so that it is never taken
    for a Redis on the same host."""
    first = url.split(",")[0].strip()
    parts = urlsplit(first)
    if not parts.scheme.startswith("redis"):
        return f"{parts.scheme}-{parts.hostname or ''}"
    return f"{parts.hostname}:{parts.port or 6379}"


def _marker(server: str) -> Path:
    return _marker_in(str(settings.OUTAGES_DIR), server)


@functools.lru_cache(maxsize=64)
def _marker_in(folder: str, server: str) -> Path:
    return Path(folder) / re.sub(r"[^A-Za-z0-9.-]", "_", server)


def outage_active(server: str) -> bool:
    """Whether ``server`` failed recently, here or in another process of this machine.

    Asked before every cache operation, so the usual answer (no marker) costs one ``stat``: no
    path built anew, no exception raised for a missing file."""
    if time.monotonic() < _down_until.get(server, 0.0):
        return True
    marker = _marker(server)
    if not marker.is_file():
        return False
    try:
        until = float(marker.read_text())
    except (OSError, ValueError):  # removed since, or being replaced
        return False
    remaining = until - time.time()
    if remaining <= 0:
        return False
    _down_until[server] = time.monotonic() + remaining
    return True


def outage_begin(server: str, seconds: float = PAUSE_SECONDS) -> None:
    """Record that ``server`` just failed: leave it alone for ``seconds``."""
    _down_until[server] = time.monotonic() + seconds
    folder = Path(settings.OUTAGES_DIR)
    # Best effort: a folder that cannot be written leaves the outage to this process alone.
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so that a reader never sees half a number.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".outage-")
        with os.fdopen(handle, "w") as output:
            output.write(str(time.time() + seconds))
        Path(temporary).replace(_marker(server))


def outages_reset() -> None:
    """Forget every outage (tests: a fresh process, and a fresh machine)."""
    _down_until.clear()
    folder = Path(settings.OUTAGES_DIR)
    if folder.is_dir():
        for marker in folder.iterdir():
            with contextlib.suppress(OSError):
                marker.unlink()
