"""Redis down: the web keeps working, its e-mails wait in the outbox and go out, once, after.

Each test points the app's Celery at a Redis of its own on a free port (a throwaway
``redis-server`` in a temporary folder, or nothing at all), so stopping it disturbs no other
test. ``_enqueue_send`` hands the e-mail over once, briefly (``compact.lib.publish``), and logs
a failure; the minute sweep (``compact.tasks.emails_send_pending``) sends what the broker could
not take. tests/security/test_redis_down.py times every request path the same way.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.urls import reverse

from compact.core.models import Heartbeat, OutboundEmail
from compact.tasks import emails_send_pending_task, heartbeat_record_task
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.conftest import require_or_skip
from tests.redis_outage import HUNG_BOUND, REFUSED_BOUND, RedisServer, broker, free_port
from tests.test_celery_worker import Worker, wait_for

pytestmark = [pytest.mark.services]

# The publish's warning names the e-mail (compact.lib.publish, called by the outbox).
PUBLISH_LOGGER = "compact.lib.publish"


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        require_or_skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def wg7_draft(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def queue_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == PUBLISH_LOGGER and r.levelno == logging.WARNING]


def test_the_submit_page_answers_at_once_with_nothing_listening_on_the_broker_port(
    report_period, chair, client_for, django_capture_on_commit_callbacks, caplog, settings
):
    """A broker that refuses connections (Redis stopped, host up) costs the request well
    under a second; the submission stands and its e-mail waits in the outbox."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_URL = url
    draft = wg7_draft(report_period)
    caplog.set_level(logging.WARNING, logger=PUBLISH_LOGGER)
    with broker(url):
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client_for(chair).post(
                reverse("reporting-submission-act", args=[draft.pk]), {"action": "submit", "comment": ""}
            )
        elapsed = time.monotonic() - began
    assert response.status_code == 302, response.content[:2000]
    assert callbacks, "the submission handed no e-mail to the broker"
    assert elapsed < REFUSED_BOUND, f"the request took {elapsed:.2f} s with the broker down"
    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED
    email = OutboundEmail.objects.get(occasion__startswith=f"reporting:{draft.pk}:step:")
    assert (email.recipient, email.sent_at, email.attempts) == (settings.OCT_SECRETARIAT_EMAIL, None, 0)
    assert any(f"Could not queue e-mail {email.pk}" in message for message in queue_warnings(caplog))


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_a_submission_goes_through_with_redis_down_and_its_email_goes_out_once_redis_is_back(
    redis_server, report_period, chair, caplog, settings, tmp_path
):
    if connection.vendor != "postgresql":
        require_or_skip("the worker subprocess needs PostgreSQL (it cannot see an SQLite test database)")
    settings.CELERY_BROKER_URL = redis_server.url
    draft = wg7_draft(report_period)
    caplog.set_level(logging.WARNING, logger=PUBLISH_LOGGER)
    with broker(redis_server.url):
        heartbeat_record_task.delay("before-outage")  # the web process holds a live broker connection
        redis_server.stop()

        began = time.monotonic()
        submission_act(submission=draft, action="submit", actor=chair)  # commits; on_commit publishes
        elapsed = time.monotonic() - began
        assert elapsed < REFUSED_BOUND, f"submitting took {elapsed:.2f} s with Redis down"
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


def test_the_submit_page_answers_within_seconds_when_redis_hangs_under_a_live_connection(
    redis_server, report_period, chair, client_for, django_capture_on_commit_callbacks, caplog, settings
):
    settings.CELERY_BROKER_URL = redis_server.url
    draft = wg7_draft(report_period)
    caplog.set_level(logging.WARNING, logger=PUBLISH_LOGGER)
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
    assert elapsed < HUNG_BOUND, f"the request took {elapsed:.2f} s with Redis hung"
