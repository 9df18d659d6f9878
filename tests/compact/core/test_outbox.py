"""Outgoing e-mail is recorded with the change that caused it and sent exactly once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from compact.core.models import OutboundEmail
from compact.core.outbox import email_queue, email_send_one, emails_send_pending

pytestmark = pytest.mark.django_db

CONTEXT = {"user": {"username": "amina", "get_full_name": "Amina O'Brien"}, "reset_url": "http://x/reset"}


def queue(occasion: str = "test", recipients=("a@example.org",)) -> list[OutboundEmail]:
    with transaction.atomic():
        return email_queue(occasion=occasion, recipients=recipients, template="password-reset", context=CONTEXT)


@pytest.mark.django_db(transaction=True)
def test_queuing_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        email_queue(occasion="x", recipients=["a@example.org"], template="password-reset", context=CONTEXT)


def test_the_same_occasion_and_recipient_is_queued_once():
    queue()
    assert queue() == []
    assert queue(recipients=["A@EXAMPLE.ORG"]) == []
    assert OutboundEmail.objects.count() == 1


def test_an_email_is_sent_once_however_often_it_is_asked_for():
    (email,) = queue()
    assert email_send_one(email_id=email.pk) is True
    assert email_send_one(email_id=email.pk) is False
    assert emails_send_pending() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.org"] and message.subject == "Reset your Compact Tracker password"
    assert "Amina O'Brien" in message.body  # plain text, not HTML-escaped
    assert message.alternatives and "Amina O&#x27;Brien" in message.alternatives[0][0]


def test_a_claimed_email_is_left_to_its_claimant():
    from django.utils import timezone

    (email,) = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now() + timezone.timedelta(minutes=5))
    assert email_send_one(email_id=email.pk) is False
    assert mail.outbox == []


def test_a_failed_send_is_retried_later_by_the_sweep(settings, time_machine):
    time_machine.move_to("2026-05-01 10:00Z")
    (email,) = queue()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    assert email_send_one(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 1 and email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_send_pending() == 0  # backing off
    time_machine.move_to("2026-05-01 10:02Z")
    assert emails_send_pending() == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.last_error == ""


@pytest.fixture
def broker_down(settings):
    """Point the Celery app at an address where no broker listens, as when Redis is down."""
    from config.celery import app

    def reset_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    keys = ("broker_url", "broker_write_url", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    reset_pools()
    yield
    app.conf.update(saved)
    reset_pools()


def test_a_broker_that_is_down_does_not_fail_the_change(broker_down, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert "the sweep will send it" in caplog.text
    email = OutboundEmail.objects.get()
    assert email.sent_at is None  # kept for the sweep
    assert emails_send_pending() == 1


def test_after_a_broker_failure_the_outbox_leaves_emails_to_the_sweep_for_a_while(db, monkeypatch, caplog):
    """One connection timeout per process, not one per e-mail: the rest wait for the sweep."""
    from compact.core import outbox as emails
    from compact.lib.outages import outages_reset
    from compact.tasks import email_send_task

    calls = []

    def broker_down(email_id):
        calls.append(email_id)
        raise ConnectionError("broker unreachable")

    # The outbox queues the task by name (a signature), which ends in the task's apply_async.
    monkeypatch.setattr(email_send_task, "apply_async", lambda args=(), kwargs=None, **options: broker_down(*args))
    emails._enqueue_send(1)
    emails._enqueue_send(2)
    assert calls == [1]
    assert "Could not queue e-mail 1" in caplog.text
    outages_reset()  # the pause is over
    emails._enqueue_send(3)
    assert calls == [1, 3]


def test_attachments_are_stored_with_the_email_and_sent_with_it():
    from compact.core.outbox import EmailAttachment

    files = [
        EmailAttachment("invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST"),
        EmailAttachment("logo.png", b"\x89PNG\r\n\x00\xff", "image/png"),
    ]
    with transaction.atomic():
        (email,) = email_queue(
            occasion="with-files",
            recipients=["a@example.org"],
            template="password-reset",
            context=CONTEXT,
            attachments=files,
        )
    email.refresh_from_db()
    assert [a["filename"] for a in email.attachments] == ["invitation.ics", "logo.png"]
    assert email_send_one(email_id=email.pk) is True
    parts = {part.get_filename(): part for part in mail.outbox[0].message().walk() if part.get_filename()}
    calendar = parts["invitation.ics"]
    assert calendar.get_content_type() == "text/calendar" and calendar.get_param("method") == "REQUEST"
    assert calendar.get_payload(decode=True) == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert parts["logo.png"].get_content_type() == "image/png"
    assert parts["logo.png"].get_payload(decode=True) == b"\x89PNG\r\n\x00\xff"


def test_an_email_without_attachments_has_none():
    (email,) = queue(occasion="plain")
    assert email.attachments == []
    email_send_one(email_id=email.pk)
    assert not [part for part in mail.outbox[0].message().walk() if part.get_filename()]
