"""A real Celery worker, fed through the real Redis broker, runs our tasks against the database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from compact.models import Heartbeat
from compact.tasks import heartbeat_record_task
from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_or_skip("a real worker needs PostgreSQL and a Redis broker")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_task_sent_through_redis_is_run_by_the_worker(worker):
    heartbeat_record_task.delay("ci-worker")
    seen = wait_for(lambda: Heartbeat.objects.filter(name="ci-worker").exists())
    if not seen:
        worker.terminate()
        pytest.fail("the worker did not run the task:\n" + worker.communicate(timeout=20)[0][-4000:])
    first = Heartbeat.objects.get(name="ci-worker").seen_at
    # Idempotent: a second run updates the one row instead of adding another.
    heartbeat_record_task.delay("ci-worker")
    assert wait_for(lambda: Heartbeat.objects.get(name="ci-worker").seen_at > first)
    assert Heartbeat.objects.filter(name="ci-worker").count() == 1


def test_an_email_queued_by_a_service_is_sent_by_the_worker_after_commit_and_only_once(worker):
    from django.db import transaction

    from compact.models import OutboundEmail
    from compact.services import email_queue
    from compact.tasks import email_send_task

    with transaction.atomic():
        email_queue(
            occasion="worker-test",
            recipients=["someone@example.org"],
            template="password-reset",
            context={"user": {"username": "someone"}, "reset_url": "http://127.0.0.1/x"},
        )
        # Nothing is handed to the worker before the commit.
        assert OutboundEmail.objects.get(occasion="worker-test").sent_at is None
    email = OutboundEmail.objects.get(occasion="worker-test")
    if not wait_for(lambda: OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists()):
        worker.terminate()
        pytest.fail("the worker did not send the e-mail:\n" + worker.communicate(timeout=20)[0][-4000:])
    # The task delivered twice (a redelivery after a crash) does not send it again.
    email_send_task.delay(email.pk)
    heartbeat_record_task.delay("after-resend")
    assert wait_for(lambda: Heartbeat.objects.filter(name="after-resend").exists())
    email.refresh_from_db()
    assert email.attempts == 1
