"""The Celery application.

Broker, schedule and limits come from Django settings (the ``CELERY_`` namespace), so the
embedded filesystem broker and production Redis are one switch of ``CELERY_BROKER_URL``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("compact_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
