"""Background tasks of the compact app. Thin: they call a service and return."""

from celery import shared_task

from compact.services import heartbeat_record
from config.celery import IDEMPOTENT_TASK_OPTIONS


@shared_task(name="compact.tasks.heartbeat_record", **IDEMPOTENT_TASK_OPTIONS)
def heartbeat_record_task(name: str = "worker") -> None:
    """Prove the worker and beat are running (shown on the system status page). Idempotent:
    it overwrites one row per process name."""
    heartbeat_record(name=name)
