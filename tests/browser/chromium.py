"""Debian's headless Chromium for the browser tests, driven by Playwright: one browser per test
process, a connection of its own for each test.

The browser is Chromium's headless shell (Debian's ``chromium-headless-shell``, the same build
as ``chromium``), which is what Playwright itself runs for headless tests: it draws pages with
Blink and V8 as the browser does, without the full browser's windowing and UI layers, and the
browser tests took ~25 % less CPU with it (345 → 259 CPU-s of the machine for the 60 of them,
docs/operations.md). Where only ``chromium`` is installed, the tests run in it.

Launching Chromium costs about a second of CPU, and some sixty tests each launched their own.
Now the first test of a process (an xdist worker, or a serial run) that asks for ``browser``
starts a Playwright browser server (``python -m playwright launch-server``: Chromium launched
with Playwright's own switches, as ``launch`` does), and every test connects to it. What a test
opens (contexts, pages, their cookies and storage) is its own and is closed when it disconnects;
a server that died is started again for the next test.

Playwright's sync API runs an event loop in the test's thread, where Django refuses ORM calls:
tests ask for ``browser`` last, once their data exists, and make later ORM calls through
``orm`` (another thread). The fixtures are registered for the whole suite by tests/conftest.py.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The browsers the tests can run in, the preferred first.
BROWSERS = ("chromium-headless-shell", "chromium")
# How long the server may take to launch Chromium and say where it listens.
START_SECONDS = 60


class BrowserServer:
    """A Playwright browser server running Chromium, started when first needed."""

    def __init__(self, chromium: str, directory: Path) -> None:
        self.chromium, self.directory = chromium, directory
        self.process: subprocess.Popen | None = None
        self.ws_endpoint = ""

    def endpoint(self) -> str:
        """Where to connect: the running server's address, or a new server's."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        return self.ws_endpoint

    def _start(self) -> None:
        config = self.directory / "launch.json"
        config.write_text(json.dumps({"executablePath": self.chromium, "args": CHROMIUM_ARGS, "headless": True}))
        log = (self.directory / "server.log").open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,  # its own process group: stop() ends the driver and Chromium together
        )
        ready, _, _ = select.select([self.process.stdout], [], [], START_SECONDS)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith("ws://"):
            self.stop()
            log_text = (self.directory / "server.log").read_text(errors="replace")
            raise RuntimeError(f"Playwright's browser server did not start ({line!r}): {log_text[-2000:]}")
        self.ws_endpoint = line

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # Playwright closes Chromium on SIGTERM
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process.stdout.close()
        self.process = None


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserServer]:
    chromium = next(filter(None, map(shutil.which, BROWSERS)), None)
    if chromium is None:
        from tests.conftest import require_or_skip

        require_or_skip("Debian's chromium-headless-shell (or chromium) is not installed")
    server = BrowserServer(chromium, tmp_path_factory.mktemp("chromium"))
    yield server
    server.stop()


@pytest.fixture
def browser(browser_server: BrowserServer) -> Iterator[Any]:
    """This test's connection to the process's Chromium (ask for it last: see the module's note)."""
    from playwright.sync_api import sync_playwright

    endpoint = browser_server.endpoint()
    with sync_playwright() as playwright:
        connected = playwright.chromium.connect(endpoint)
        yield connected
        connected.close()  # closes the contexts this test opened


@pytest.fixture
def orm() -> Iterator[Callable[[Callable[[], Any]], Any]]:
    """Run an ORM call in a worker thread, away from Playwright's event loop: ``orm(fn)``."""
    executor = ThreadPoolExecutor(max_workers=1)

    def call(function: Callable[[], Any]) -> Any:
        def run() -> Any:
            try:
                return function()
            finally:
                connections.close_all()  # the thread's own connection must not outlive the call

        return executor.submit(run).result()

    yield call
    executor.shutdown()
