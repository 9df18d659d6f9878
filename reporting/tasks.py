"""Background tasks of the reporting app. Thin: they call a service and log what it did."""

import logging

from celery import shared_task

from config.celery import IDEMPOTENT_TASK_OPTIONS
from reporting.services.compiled import edition_render
from reporting.services.scheduler import scheduler_tick

logger = logging.getLogger(__name__)


# Idempotent by construction (every action is claimed by a unique key), so acks_late is safe:
# a worker that dies mid-tick leaves the task to be redelivered and finished by another.
@shared_task(name="reporting.tasks.scheduler_tick", soft_time_limit=540, time_limit=600, **IDEMPOTENT_TASK_OPTIONS)
def scheduler_tick_task() -> str:
    report = scheduler_tick()
    logger.info("Scheduler tick: %s", report)
    return str(report)


# Idempotent: the edition is claimed (queued → rendering) before it is rendered, so a task
# delivered twice renders it once; one lost with its worker is queued again by the tick.
@shared_task(name="reporting.tasks.edition_render", soft_time_limit=540, time_limit=600, **IDEMPOTENT_TASK_OPTIONS)
def edition_render_task(edition_id: int) -> None:
    edition_render(edition_id=edition_id)
