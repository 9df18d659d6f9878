"""Issue 14, hole 8: a worker killed mid-render must not leave its edition stuck.

Real PostgreSQL, the real Redis broker and real ``celery worker`` subprocesses: OCT asks for
an edition long enough that laying it out takes a few seconds, the worker rendering it is
killed (SIGKILL: no clean-up of any kind) while it is at "Laying out the pages", and a new
worker is started. The edition must be done within two minutes of the new worker being up,
rendered exactly once after the kill (one file, one "generated" audit row), and the first
worker's message, redelivered by Redis later, must change nothing.

The lease is shortened to two seconds for the test through ``EDITION_LEASE_SECONDS`` (thirty
in production; see docs/operations.md).
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compact.core.models import AuditEvent, Heartbeat
from compact.tasks import heartbeat_record_task
from config.celery import app as celery_app
from reporting.compiled.editions import edition_request
from reporting.compiled.models import ReportEdition
from reporting.compiled.services import consolidated_report_start, report_text_save
from reporting.tasks import edition_render_task
from tests.conftest import require_or_skip
from tests.test_celery_worker import Worker, wait_for

pytestmark = [pytest.mark.long, pytest.mark.services, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 2.0
PARAGRAPH = (
    "The working group convened its members in a hybrid meeting to review progress against the "
    "biennial work plan, agreed on the division of labour for the next quarter, and exchanged "
    "information on the technical assistance delivered to Member States, including the lessons "
    "learned from joint programming and the coordination with the resident coordinators."
)


@pytest.fixture
def broker_url() -> str:
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        require_or_skip("real workers need PostgreSQL and a Redis broker")
    # Messages earlier tests left with no worker to take them would hold up the ones below.
    celery_app.control.purge()
    return settings.CELERY_BROKER_URL


@pytest.fixture
def long_report(report_period, oct_officer):
    """A consolidated report whose observations fill some forty pages."""
    report = consolidated_report_start(period=report_period, actor=oct_officer)
    return report_text_save(
        report=report,
        actor=oct_officer,
        base_revision=0,
        fields={"observations": "\n\n".join([PARAGRAPH] * 360)},
        text_classification="unclassified",
    )


def test_an_edition_whose_worker_is_killed_mid_render_is_rendered_once_by_the_next_worker(
    broker_url, long_report, oct_officer, tmp_path
):
    media = tmp_path / "media"
    env = {"EDITION_LEASE_SECONDS": str(LEASE_SECONDS), "MEDIA_ROOT": str(media)}
    first = Worker(broker_url, tmp_path / "first.log", env=env)
    try:
        first.wait_ready()
        with transaction.atomic():
            edition = edition_request(report=long_report, actor=oct_officer)  # published after the commit
        laying_out = ReportEdition.objects.filter(pk=edition.pk, status="rendering", progress=30)
        if not wait_for(laying_out.exists, seconds=60):
            first.fail("the first worker did not start laying out the edition")
    finally:
        first.kill()
    edition.refresh_from_db()
    assert (edition.status, edition.progress, edition.attempts) == ("rendering", 30, 1)

    # The lease it no longer renews runs out; then a worker comes up, as a supervisor restarts one.
    assert wait_for(lambda: ReportEdition.objects.get(pk=edition.pk).lease_until < timezone.now(), seconds=10)
    second = Worker(broker_url, tmp_path / "second.log", env=env)
    try:
        ready = second.wait_ready()
        if not wait_for(ReportEdition.objects.filter(pk=edition.pk, status="done").exists, seconds=120):
            edition.refresh_from_db()
            second.fail(f"the edition was not done within two minutes ({edition.status}, {edition.stage})")
        assert time.monotonic() - ready < 120
        edition.refresh_from_db()
        assert (edition.attempts, edition.progress, edition.pages > 20) == (2, 100, True)
        files = sorted(file.name for file in (media / "reporting" / "editions").iterdir())
        # One PDF and its Word file: the killed worker left no half-written file behind.
        assert files == sorted(name.rsplit("/", 1)[-1] for name in (edition.file.name, edition.word_file.name))
        generated = AuditEvent.objects.filter(verb="reporting.edition_generated", object_id=str(long_report.pk))
        assert generated.count() == 1
        assert AuditEvent.objects.filter(verb="reporting.edition_requeued").count() == 1

        # Redis redelivers the killed worker's unacknowledged message (after its visibility
        # timeout, an hour): the edition is done, the claim refuses it, nothing changes.
        edition_render_task.delay(edition.pk)
        heartbeat_record_task.delay("after-the-redelivery")  # the solo worker runs tasks in order
        if not wait_for(Heartbeat.objects.filter(name="after-the-redelivery").exists):
            second.fail("the worker did not run the redelivered message")
    finally:
        second.stop()
    again = ReportEdition.objects.get(pk=edition.pk)
    assert (again.sha256, again.finished_at, again.attempts) == (edition.sha256, edition.finished_at, 2)
    assert (again.word_sha256, again.word_file.name) == (edition.word_sha256, edition.word_file.name)
    assert len(list((media / "reporting" / "editions").iterdir())) == 2 and generated.count() == 1
