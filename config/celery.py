"""The Celery application.

Broker, schedule and limits come from Django settings (the ``CELERY_`` namespace), so the
embedded filesystem broker and production Redis are one switch of ``CELERY_BROKER_URL``.
"""

import os

from celery import Celery
from django.db import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("compact_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Options for tasks that are safe to run twice: acknowledged after they finish (a crash means
# a redelivery, not a loss) and retried with bounded backoff when the database is unavailable.
IDEMPOTENT_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "ignore_result": True,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
}
