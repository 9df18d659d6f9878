"""Background tasks of the reporting app. Thin: they call a service and log what it did."""

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from compact.lib.publish import task_publish
from config.celery import IDEMPOTENT_TASK_OPTIONS
from reporting.calendar.scheduler import scheduler_tick
from reporting.compiled.editions import edition_render, editions_requeue_lost
from reporting.consultation.chasing import consultations_chase

logger = logging.getLogger(__name__)


# Idempotent by construction (every action is claimed by a unique key), so acks_late is safe:
# a worker that dies mid-tick leaves the task to be redelivered and finished by another.
@shared_task(name="reporting.tasks.scheduler_tick", soft_time_limit=540, time_limit=600, **IDEMPOTENT_TASK_OPTIONS)
def scheduler_tick_task() -> str:
    report = scheduler_tick()
    logger.info("Scheduler tick: %s", report)
    return str(report)


# Idempotent: the edition is claimed (queued → rendering) before it is rendered, so a task
# delivered twice renders it once; one lost with its worker is queued again by the sweep.
@shared_task(name="reporting.tasks.edition_render", soft_time_limit=540, time_limit=600, **IDEMPOTENT_TASK_OPTIONS)
def edition_render_task(edition_id: int) -> None:
    edition_render(edition_id=edition_id)


@shared_task(name="reporting.tasks.editions_requeue_lost", **IDEMPOTENT_TASK_OPTIONS)
def editions_requeue_lost_task() -> int:
    """Sweep (every minute, and when a worker starts): queue again the editions no worker took
    and those whose worker died (its lease ran out). Idempotent: each is moved back to queued
    with a compare-and-swap, and the render's claim is the one gate."""
    count = editions_requeue_lost()
    if count:
        logger.info("Queued %s edition(s) again.", count)
    return count


@shared_task(name="reporting.tasks.consultations_chase", soft_time_limit=540, time_limit=600, **IDEMPOTENT_TASK_OPTIONS)
def consultations_chase_task() -> dict[str, int]:
    """Close the consultation rounds whose deadline day is over and remind the consulted
    entities that have not commented. Idempotent: each close is a compare-and-swap and each
    reminder is claimed in the scheduler's log before it is queued."""
    done = consultations_chase()
    if any(done.values()):
        logger.info("Consultations: %s", done)
    return done


@worker_ready.connect
def _sweep_when_a_worker_starts(sender: Any = None, **kwargs: Any) -> None:
    # A worker that starts is often the one replacing a worker that died mid-render: look for
    # its editions now rather than at the next minute's sweep.
    task_publish(editions_requeue_lost_task, what="the editions sweep", fallback="beat will send it")
