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
