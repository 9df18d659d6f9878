"""Background tasks of the compact app. Thin: they call a service and return."""

from celery import shared_task
from django.db import OperationalError

from compact.services import heartbeat_record


@shared_task(
    name="compact.tasks.heartbeat_record",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def heartbeat_record_task(name: str = "worker") -> None:
    """Prove the worker and beat are running (shown on the system status page). Idempotent:
    it overwrites one row per process name."""
    heartbeat_record(name=name)
