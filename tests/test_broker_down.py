"""Redis down: the web keeps working, its e-mails wait in the outbox and go out, once, after.

Each test points the app's Celery at a Redis of its own on a free port (a throwaway
``redis-server`` in a temporary folder, or nothing at all), so stopping it disturbs no other
test. ``_enqueue_send`` swallows the broker's error and logs it; the minute sweep
(``compact.tasks.emails_send_pending``) sends what the broker could not take.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import kombu.pools
import pytest
import redis
from django.db import connection
from django.urls import reverse

from compact.models import Heartbeat, OutboundEmail
from compact.tasks import emails_send_pending_task, heartbeat_record_task
from config.celery import app as celery_app
from reporting.models import Submission
from reporting.services import submission_act
from tests.conftest import require_or_skip
from tests.test_celery_worker import Worker, wait_for

pytestmark = [pytest.mark.services]

# The settings bound a publish to 3-second socket timeouts and two quick retries.
QUICK = 10.0
EMAILS_LOGGER = "compact.services.emails"


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
        return f"redis://127.0.0.1:{self.port}/0"

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


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        require_or_skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _reset_pools() -> None:
    # Celery holds a connection pool and a producer pool for the URL it started with, taken
    # from kombu's registry of pools: empty the registry and let Celery take new ones.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at ``url`` for the duration. (``broker_url`` alone is
    not enough: Celery reads it from the environment's CELERY_BROKER_URL first, so the URL to
    publish to is set as ``broker_write_url``.)"""
    conf = celery_app.conf
    saved = conf.broker_write_url, conf.broker_read_url
    _reset_pools()
    conf.broker_write_url = conf.broker_read_url = url
    try:
        if f"127.0.0.1:{urlsplit(url).port}/" not in celery_app.connection_for_write().as_uri():
            raise RuntimeError("Celery did not take the test's broker URL")
        yield
    finally:
        _reset_pools()
        conf.broker_write_url, conf.broker_read_url = saved


def wg7_draft(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def queue_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == EMAILS_LOGGER and r.levelno == logging.WARNING]


def test_the_submit_page_answers_at_once_with_nothing_listening_on_the_broker_port(
    report_period, chair, client_for, django_capture_on_commit_callbacks, caplog, settings
):
    """A broker that refuses connections (Redis stopped, host up) costs the request well
    under a second; the submission stands and its e-mail waits in the outbox."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_URL = url
    draft = wg7_draft(report_period)
    caplog.set_level(logging.WARNING, logger=EMAILS_LOGGER)
    with broker(url):
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client_for(chair).post(
                reverse("reporting-submission-act", args=[draft.pk]), {"action": "submit", "comment": ""}
            )
        elapsed = time.monotonic() - began
    assert response.status_code == 302, response.content[:2000]
    assert callbacks, "the submission handed no e-mail to the broker"
    assert elapsed < QUICK, f"the request took {elapsed:.1f} s with the broker down"
    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED
    email = OutboundEmail.objects.get(occasion__startswith=f"reporting:{draft.pk}:step:")
    assert (email.recipient, email.sent_at, email.attempts) == (settings.OCT_SECRETARIAT_EMAIL, None, 0)
    assert any(f"Could not queue e-mail {email.pk}" in message for message in queue_warnings(caplog))


@pytest.mark.django_db(transaction=True)
def test_a_submission_goes_through_with_redis_down_and_its_email_goes_out_once_redis_is_back(
    redis_server, report_period, chair, caplog, settings, tmp_path
):
    if connection.vendor != "postgresql":
        require_or_skip("the worker subprocess needs PostgreSQL (it cannot see an SQLite test database)")
    settings.CELERY_BROKER_URL = redis_server.url
    draft = wg7_draft(report_period)
    caplog.set_level(logging.WARNING, logger=EMAILS_LOGGER)
    with broker(redis_server.url):
        heartbeat_record_task.delay("before-outage")  # the web process holds a live broker connection
        redis_server.stop()

        began = time.monotonic()
        submission_act(submission=draft, action="submit", actor=chair)  # commits; on_commit publishes
        elapsed = time.monotonic() - began
        assert elapsed < QUICK, f"submitting took {elapsed:.1f} s with Redis down"
        draft.refresh_from_db()
        assert draft.status == Submission.Status.SUBMITTED
        email = OutboundEmail.objects.get(occasion__startswith=f"reporting:{draft.pk}:step:")
        assert (email.sent_at, email.attempts) == (None, 0)
        assert any(f"Could not queue e-mail {email.pk}" in message for message in queue_warnings(caplog))

        # Redis is back (empty: what was lost stays lost); a worker and the minute sweep run.
        redis_server.start()
        worker = Worker(redis_server.url, tmp_path / "worker.log")
        try:
            emails_send_pending_task.delay()
            if not wait_for(lambda: OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists()):
                worker.fail("the sweep did not send the e-mail")
            email.refresh_from_db()
            assert email.attempts == 1 and email.last_error == ""
            sent = OutboundEmail.objects.filter(sent_at__isnull=False).count()

            # A second sweep (the next minute's) finds nothing to send.
            emails_send_pending_task.delay()
            heartbeat_record_task.delay("after-second-sweep")  # the solo worker runs tasks in order
            if not wait_for(lambda: Heartbeat.objects.filter(name="after-second-sweep").exists()):
                worker.fail("the worker did not run the second sweep")
            email.refresh_from_db()
            assert email.attempts == 1
            assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == sent
            assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
        finally:
            worker.stop()


def test_the_submit_page_answers_within_seconds_when_redis_hangs(
    redis_server, report_period, chair, client_for, django_capture_on_commit_callbacks, caplog, settings
):
    settings.CELERY_BROKER_URL = redis_server.url
    draft = wg7_draft(report_period)
    caplog.set_level(logging.WARNING, logger=EMAILS_LOGGER)
    with broker(redis_server.url):
        heartbeat_record_task.delay("before-outage")
        redis_server.hang()
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(chair).post(
                reverse("reporting-submission-act", args=[draft.pk]), {"action": "submit", "comment": ""}
            )
        elapsed = time.monotonic() - began
    assert response.status_code == 302
    assert queue_warnings(caplog)
    assert elapsed < QUICK, f"the request took {elapsed:.1f} s with Redis hung"
