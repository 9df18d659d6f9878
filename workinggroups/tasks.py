"""Background tasks of the workinggroups app."""

from celery import shared_task

from config.celery import IDEMPOTENT_TASK_OPTIONS
from workinggroups.services import role_permissions_sync_all


@shared_task(name="workinggroups.tasks.role_permissions_sync_all", **IDEMPOTENT_TASK_OPTIONS)
def role_permissions_sync_all_task() -> int:
    """Bring chairs' object permissions in line with roles that started or ended today.
    Idempotent: a second run finds nothing to change."""
    return role_permissions_sync_all()
