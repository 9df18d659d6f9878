"""A real Celery worker, fed through the real Redis broker, runs our tasks against the database."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from compact.core.models import Heartbeat
from compact.tasks import heartbeat_record_task
from config.celery import app as celery_app
from tests.conftest import require_or_skip
from tests.helpers import calendar_only, service_environment

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class Worker:
    """A ``celery worker`` subprocess against the test database; its output goes to a file (a
    pipe nobody reads would fill up and stall the worker)."""

    def __init__(
        self, broker_url: str, log: Path, env: dict[str, str] | None = None, *, queues: str = "celery,pdf"
    ) -> None:
        self.log = log
        env = service_environment(CELERY_BROKER_URL=broker_url, **(env or {}))
        with log.open("w") as output:
            self.process = subprocess.Popen(
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
                    # Both queues unless told: the default one and the PDF editions' (settings).
                    "-Q",
                    queues,
                    "--hostname",
                    f"test-{os.getpid()}-{queues.replace(',', '-')}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, seconds: float = 60.0) -> float:
        """Wait until the worker says it is ready for tasks; returns that moment (monotonic)."""
        if not wait_for(lambda: " ready." in self.log.read_text(), seconds=seconds):
            self.fail("the worker did not start")
        return time.monotonic()

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, as on a crash or an out-of-memory kill."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def fail(self, what: str) -> None:
        self.stop()
        pytest.fail(f"{what}; the worker said:\n{self.log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def module_worker(django_db_setup, tmp_path_factory):
    """One worker for the tests of this module (starting one takes seconds of CPU), against the
    test database they share; the tests leave it idle, with nothing of theirs queued."""
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_or_skip("a real worker needs PostgreSQL and a Redis broker")
    # Earlier tests that committed transactions handed their e-mails to this broker with no
    # worker to take them; a backlog of thousands would hold up the tasks sent below.
    celery_app.control.purge()
    process = Worker(settings.CELERY_BROKER_URL, tmp_path_factory.mktemp("worker") / "worker.log")
    yield process
    process.stop()


@pytest.fixture
def worker(module_worker):
    """The module's worker, alive, with no message of an earlier test waiting for it."""
    celery_app.control.purge()
    if module_worker.process.poll() is not None:
        module_worker.fail(f"the module's worker exited ({module_worker.process.returncode})")
    return module_worker


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
        worker.fail("the worker did not run the task")
    first = Heartbeat.objects.get(name="ci-worker").seen_at
    # Idempotent: a second run updates the one row instead of adding another.
    heartbeat_record_task.delay("ci-worker")
    assert wait_for(lambda: Heartbeat.objects.get(name="ci-worker").seen_at > first)
    assert Heartbeat.objects.filter(name="ci-worker").count() == 1


def test_an_email_queued_by_a_service_is_sent_by_the_worker_after_commit_and_only_once(worker):
    from django.db import transaction

    from compact.core.models import OutboundEmail
    from compact.core.outbox import email_queue
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
        worker.fail("the worker did not send the e-mail")
    # The task delivered twice (a redelivery after a crash) does not send it again.
    email_send_task.delay(email.pk)
    heartbeat_record_task.delay("after-resend")
    assert wait_for(lambda: Heartbeat.objects.filter(name="after-resend").exists())
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_batch_of_emails_queued_together_is_sent_by_one_task_through_redis_once_each(worker):
    """The scheduler's chunks queue their e-mails with emails_queue_many: one task after the
    commit, which the worker runs; delivered again, it sends nothing twice."""
    from django.db import transaction

    from compact.core.models import OutboundEmail
    from compact.core.outbox import OutgoingMessage, emails_queue_many
    from compact.tasks import emails_send_task

    context = {"user": {"username": "someone"}, "reset_url": "http://127.0.0.1/x"}
    with transaction.atomic():
        queued = emails_queue_many(
            messages=[
                OutgoingMessage(
                    occasion=f"worker-batch:{number}",
                    recipients=[f"someone{number}@example.org"],
                    template="password-reset",
                    context=context,
                )
                for number in range(3)
            ]
        )
    batch = OutboundEmail.objects.filter(pk__in=[email.pk for email in queued])
    if not wait_for(lambda: batch.filter(sent_at__isnull=False).count() == 3):
        worker.fail("the worker did not send the batch")
    emails_send_task.delay([email.pk for email in queued])
    heartbeat_record_task.delay("after-batch")
    assert wait_for(lambda: Heartbeat.objects.filter(name="after-batch").exists())
    assert set(batch.values_list("attempts", flat=True)) == {1}


def test_the_scheduler_tick_sent_through_redis_opens_a_due_period_once(worker, roster, chair):
    """Beat's task through the broker: the worker's tick opens the period whose opening day
    has come (today, by the real clock: the worker's clock cannot be frozen), and a second
    tick finds nothing left to do."""
    from django.utils import timezone

    from compact.core.models import OutboundEmail
    from reporting.calendar.models import SchedulerEvent
    from reporting.calendar.services import scheduler_day
    from reporting.submissions.models import ReportingPeriod, Submission
    from reporting.submissions.periods.services import period_create
    from reporting.tasks import scheduler_tick_task

    # Only the period below is due: the calendar rules would create this year's periods too.
    calendar_only()
    today = scheduler_day(timezone.now(), settings.TIME_ZONE)
    period = period_create(
        kind="q1",
        covers_from=datetime.date(2001, 1, 1),
        covers_until=datetime.date(2001, 3, 31),
        opens_on=today,
        due_on=today + datetime.timedelta(days=60),
        actor=None,
    )
    scheduler_tick_task.delay()
    if not wait_for(lambda: Heartbeat.objects.filter(name="scheduler").exists(), seconds=60):
        worker.fail("the worker did not run the tick")
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.OPEN
    drafts = set(Submission.objects.filter(period=period).values_list("working_group__number", flat=True))
    assert drafts == {2, 7}
    assert SchedulerEvent.objects.filter(key=f"period-opened:{period.pk}").count() == 1
    # The draft's "period opened" notice went from the tick, through the broker, to the worker.
    notice = OutboundEmail.objects.get(recipient="chair@example.org", occasion__endswith=":opened")
    assert wait_for(lambda: OutboundEmail.objects.filter(pk=notice.pk, sent_at__isnull=False).exists())

    first = Heartbeat.objects.get(name="scheduler").seen_at
    events, emails = SchedulerEvent.objects.count(), OutboundEmail.objects.count()
    scheduler_tick_task.delay()
    assert wait_for(lambda: Heartbeat.objects.get(name="scheduler").seen_at > first, seconds=60)
    assert SchedulerEvent.objects.count() == events
    assert Submission.objects.filter(period=period).count() == 2
    assert OutboundEmail.objects.count() == emails
    notice.refresh_from_db()
    assert notice.attempts == 1


def test_a_report_edition_is_rendered_by_the_worker_not_the_web_request(worker, report_period, oct_officer):
    """OCT asks for an edition (a web request's service call); the task goes through Redis and
    the worker lays out the PDF with WeasyPrint, recording its progress and its hash."""
    from django.db import transaction

    from reporting.compiled.editions import edition_request
    from reporting.compiled.models import ReportEdition
    from reporting.compiled.services import consolidated_report_start

    with transaction.atomic():
        report = consolidated_report_start(period=report_period, actor=oct_officer)
        edition = edition_request(report=report, actor=oct_officer)
        assert edition.status == ReportEdition.Status.QUEUED
    if not wait_for(lambda: ReportEdition.objects.filter(pk=edition.pk, status="done").exists(), seconds=90):
        edition.refresh_from_db()
        worker.fail(f"the worker did not render the edition ({edition.status}: {edition.error})")
    edition.refresh_from_db()
    assert (edition.progress, edition.pages >= 3, len(edition.sha256)) == (100, True, 64)
    assert edition.started_at >= edition.requested_at and edition.finished_at >= edition.started_at
