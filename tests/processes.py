"""Real processes for the tests that play a deployment (beats, web processes, workers).

Each process writes to its own log file (a pipe nobody reads would fill up and stall it), is
waited for with a bound and a clear message, and is always stopped by the fixture that made it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_DATABASES = 16


def wait_for(predicate: Callable[[], object], seconds: float = 30.0, every: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def free_port() -> int:
    """A port the OS says is free on loopback now (the process that binds it comes next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_database_url() -> str:
    """The database of this test run, as its name is now (pytest-django's, one per xdist worker)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_url_beside(url: str, offset: int) -> str:
    """The Redis database ``offset`` numbers after the one in ``url`` (wrapping at 16): the
    processes a test starts get a database of their own next to the one the suite was given."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + offset) % REDIS_DATABASES}"))


class Process:
    """One subprocess of the project, run from the repository with ``env`` over ours."""

    def __init__(self, name: str, args: list[str], log: Path, env: dict[str, str]) -> None:
        self.name, self.log = name, log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, *args],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_until(self, predicate: Callable[[str], object], what: str, seconds: float = 60.0) -> None:
        """Wait until the log shows ``predicate``; fail with the log if it does not in time."""
        wait_for(lambda: predicate(self.output) or not self.alive, seconds=seconds)
        if not predicate(self.output):
            self.fail(f"{self.name}: {what} within {seconds:g} s" + ("" if self.alive else " (it exited)"))

    def kill(self) -> None:
        """SIGKILL to the process and anything it started: gone at once, as after a crash."""
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if not self.alive:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def fail(self, what: str) -> None:
        pytest.fail(f"{what}; its log ({self.log}) ends:\n{self.output[-4000:]}")
