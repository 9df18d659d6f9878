"""PDF renders on their own queue ("pdf"); reminders, e-mails and the scheduler on the default
one, so that a long render never holds them up — whoever sends the render (a web request, the
minute sweep, a worker starting) and however `make run` starts the processes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from config.celery import app
from reporting.compiled.editions import edition_request, editions_requeue_lost
from reporting.compiled.models import ReportEdition
from reporting.compiled.services import consolidated_report_start

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = ("compact.", "reporting.", "workinggroups.")


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def our_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(OUR_APPS))


def test_edition_renders_go_to_the_pdf_queue_and_every_other_task_to_the_default_one():
    assert settings.PDF_QUEUE == "pdf" and settings.CELERY_TASK_DEFAULT_QUEUE == "celery"
    tasks = our_tasks()
    assert "reporting.tasks.edition_render" in tasks and "compact.tasks.email_send" in tasks
    routed = {name: queue_of(name) for name in tasks}
    assert {name for name, queue in routed.items() if queue == "pdf"} == {"reporting.tasks.edition_render"}
    assert {queue for name, queue in routed.items() if name != "reporting.tasks.edition_render"} == {"celery"}


def test_beat_sends_only_the_pdf_workers_heartbeat_to_the_pdf_queue():
    """The schedule's sweeps run on the default queue (only the renders they send go to "pdf");
    the one entry for "pdf" proves on /system/ that a PDF worker is alive."""
    queues = {
        key: entry.get("options", {}).get("queue") or queue_of(entry["task"])
        for key, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }
    assert {key for key, queue in queues.items() if queue != "celery"} == {"every-minute-record-pdf-worker-heartbeat"}
    pdf_heartbeat = settings.CELERY_BEAT_SCHEDULE["every-minute-record-pdf-worker-heartbeat"]
    assert (pdf_heartbeat["task"], pdf_heartbeat["args"], queues["every-minute-record-pdf-worker-heartbeat"]) == (
        "compact.tasks.heartbeat_record",
        ("pdf-worker",),
        "pdf",
    )


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """(task name, queue) of every message handed to the broker in this test."""
    calls: list[tuple[str, str]] = []
    original = app.amqp.send_task_message

    def recording(producer, name, message, *args, **kwargs):
        queue = kwargs.get("queue")
        calls.append((name, getattr(queue, "name", queue) or kwargs.get("routing_key")))
        return original(producer, name, message, *args, **kwargs)

    monkeypatch.setattr(app.amqp, "send_task_message", recording)
    return calls


@pytest.mark.django_db
def test_a_requested_edition_and_one_requeued_by_the_sweep_are_sent_to_the_pdf_queue(
    sent, report_period, oct_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        report = consolidated_report_start(period=report_period, actor=oct_officer)
        edition = edition_request(report=report, actor=oct_officer)
    assert ("reporting.tasks.edition_render", "pdf") in sent

    # The message was lost (no worker took it): the minute sweep, itself a task of the default
    # queue, sends the render again — to the pdf queue.
    sent.clear()
    ReportEdition.objects.filter(pk=edition.pk).update(lease_until=None)
    assert editions_requeue_lost() == 1
    assert sent == [("reporting.tasks.edition_render", "pdf")]


def test_make_run_starts_a_worker_for_each_queue_and_one_beat():
    """The Procfile (`make run`, honcho): without a worker on "pdf" no edition would ever render."""
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if ": " in line)
    consumed = [re.search(r"-Q (\S+)", command) for name, command in lines.items() if " worker " in command]
    queues = sorted(queue for found in consumed if found for queue in found.group(1).split(","))
    assert queues == ["celery", "pdf"], lines
    assert sum(" beat " in command for command in lines.values()) == 1
