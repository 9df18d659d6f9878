"""Handing a task to the broker from a web request, without ever making the request wait on it.

Services record their work in the database first (an outbox row, a queued edition) and publish
only after the commit; a minute sweep picks up whatever the broker did not take. So a publish
is a hint that saves up to a minute, never a duty: it is tried once, within the short timeouts
of ``REDIS_BROKER_TRANSPORT_OPTIONS`` (no retry), and skipped altogether while the broker is
known to be down (``compact.lib.outages``).
"""

from __future__ import annotations

import logging
from typing import Any

from compact.lib.outages import outage_active, outage_begin, server_of

logger = logging.getLogger(__name__)


def _broker_server(task: Any) -> str:
    conf = task.app.conf
    return server_of(conf.broker_write_url or conf.broker_url or "")


def task_publish(task: Any, *args: Any, what: str, fallback: str) -> bool:
    """Send ``task(*args)`` to the workers; returns whether it was handed over.

    ``what`` names the work in the log (``"e-mail 12"``) and ``fallback`` says who will do it
    instead (``"the sweep will send it"``). Never raises: the caller's change is committed.
    """
    server = _broker_server(task)
    if outage_active(server):
        logger.info("The broker at %s is down; %s is left to the sweep.", server, what)
        return False
    try:
        task.delay(*args)
    except Exception:
        outage_begin(server)
        logger.warning("Could not queue %s; %s.", what, fallback, exc_info=True)
        return False
    return True
