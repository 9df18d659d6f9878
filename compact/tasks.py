"""Background tasks of the compact app. Thin: they take ids, call a service and return."""

from celery import shared_task

from compact.accounts.services import password_reset_send, password_resets_send_pending
from compact.core.notifications import notification_digests_send
from compact.core.outbox import email_send_one, emails_send_listed, emails_send_pending
from compact.outreach.chasing import briefings_chase
from compact.registry.services import heartbeat_record
from compact.signon.services import signon_purge_expired
from config.celery import IDEMPOTENT_TASK_OPTIONS


@shared_task(name="compact.tasks.heartbeat_record", **IDEMPOTENT_TASK_OPTIONS)
def heartbeat_record_task(name: str = "worker") -> None:
    """Prove the worker and beat are running (shown on the system status page). Idempotent:
    it overwrites one row per process name."""
    heartbeat_record(name=name)


@shared_task(name="compact.tasks.email_send", **IDEMPOTENT_TASK_OPTIONS)
def email_send_task(email_id: int) -> None:
    """Send one queued e-mail. Idempotent: the row is claimed first and never sent twice."""
    email_send_one(email_id=email_id)


@shared_task(name="compact.tasks.emails_send_pending", **IDEMPOTENT_TASK_OPTIONS)
def emails_send_pending_task() -> None:
    """Sweep: send e-mails that were never handed to a worker or whose sending failed (first
    queuing those of password resets the broker never delivered)."""
    password_resets_send_pending()
    emails_send_pending()


@shared_task(name="compact.tasks.password_reset_send", **IDEMPOTENT_TASK_OPTIONS)
def password_reset_send_task(reset_id: int) -> None:
    """Queue the e-mails of one password-reset request. Idempotent: the request is deleted in
    the transaction that queues them."""
    password_reset_send(reset_id=reset_id)


@shared_task(name="compact.tasks.signon_purge_expired", **IDEMPOTENT_TASK_OPTIONS)
def signon_purge_expired_task() -> None:
    """Delete sign-on requests whose e-mail was not confirmed in time. Idempotent."""
    signon_purge_expired()


@shared_task(name="compact.tasks.notification_digests_send", **IDEMPOTENT_TASK_OPTIONS)
def notification_digests_send_task() -> None:
    """Queue the daily digest of each person whose morning has begun and whose notifications
    wait for it. Idempotent: a digest is unique per person and day, and its notifications are
    marked digested in the transaction that queues it."""
    notification_digests_send()


@shared_task(name="compact.tasks.emails_send", **IDEMPOTENT_TASK_OPTIONS)
def emails_send_task(email_ids: list[int]) -> int:
    """Send a batch of queued e-mails (those a batch job such as the scheduler's tick queued
    together); returns how many this run sent. Idempotent: each row is claimed before it is
    sent, so a batch delivered twice, or overlapping the sweep, sends each e-mail once."""
    return emails_send_listed(email_ids=email_ids)


@shared_task(name="compact.tasks.briefings_chase", **IDEMPOTENT_TASK_OPTIONS)
def briefings_chase_task() -> int:
    """Remind the USG and OCT of the next briefing to Member States when it is owed. Idempotent:
    each reminder is claimed in the scheduler's log before it is queued."""
    return briefings_chase()
