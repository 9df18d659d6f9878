"""Background tasks of the workinggroups app."""

from celery import shared_task
from django.db import OperationalError

from workinggroups.services import role_permissions_sync_all


@shared_task(
    name="workinggroups.tasks.role_permissions_sync_all",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def role_permissions_sync_all_task() -> int:
    """Bring chairs' object permissions in line with roles that started or ended today.
    Idempotent: a second run finds nothing to change."""
    return role_permissions_sync_all()
