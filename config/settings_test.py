"""Test settings: the production settings with only what tests need swapped.

The database and broker still come from the environment, so CI runs the same suite against
PostgreSQL and Redis (``DATABASE_URL``, ``CELERY_BROKER_URL``) that a laptop runs on SQLite.
"""

import os

# Tests run as production does, whatever a developer's .env says (the environment wins over .env).
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from config.settings import *  # noqa: F403
from config.settings import STORAGES

# TEST_CLOCK=2027-01-31T12:00Z runs the whole suite (and the Celery workers the tests start, which
# load these settings too) with the clock set to that moment and ticking: a test that depends on
# the real date fails under some TEST_CLOCK (docs/operations.md, "Tests on any date").
if os.environ.get("TEST_CLOCK"):
    import datetime
    import time

    import time_machine

    # Every process of the run (the workers start later) reads the same clock: the moment plus
    # the real time elapsed since the first process started.
    started = float(os.environ.setdefault("TEST_CLOCK_STARTED", str(time.time())))
    moment = datetime.datetime.fromisoformat(os.environ["TEST_CLOCK"].replace("Z", "+00:00"))
    time_machine.travel(moment + datetime.timedelta(seconds=time.time() - started), tick=True).start()

# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client talks plain HTTP.
SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Threads (the live server) must not keep connections open past a request, or the test
# database cannot be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0
