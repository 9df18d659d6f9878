"""Test settings: the production settings with only what tests need swapped.

The database and broker still come from the environment, so CI runs the same suite against
PostgreSQL and Redis (``DATABASE_URL``, ``CELERY_BROKER_URL``) that a laptop runs on SQLite.
"""

import os

# Tests run as production does, whatever a developer's .env says (the environment wins over .env).
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


# --- Parallel runs (pytest-xdist, `make test`) ----------------------------------------------------
# Each xdist worker (PYTEST_XDIST_WORKER=gw0, gw1, ...) has a test database of its own
# (pytest-django names it test_<name>_gw<n>); here it gets the rest of what tests share: its own
# Redis databases for the broker and the cache (a test's cache.clear() flushes the whole Redis
# database, and a test's purge empties the queues), and its own VAR_DIR (uploads, imports, outages).
# The values are written back into the environment, marked with the worker's name, so that the
# Celery workers, web servers and beats the tests start as subprocesses (they inherit the
# environment and load these settings too) use the same ones, and are not shifted a second time.


def worker_number(worker: str) -> int:
    """The number of an xdist worker from its name: ``gw3`` → 3."""
    if not (worker.startswith("gw") and worker[2:].isdigit()):
        raise ValueError(f"PYTEST_XDIST_WORKER={worker!r} is not an xdist worker name (gw<n>)")
    return int(worker[2:])


def worker_redis_url(url: str, number: int) -> str:
    """``url`` moved to the Redis database of xdist worker ``number``: two databases down per
    worker from the one given (the broker and the cache of CI's 15 and 14 become 13 and 12 for
    gw1, 11 and 10 for gw2, ...), so a run of up to eight workers fits Redis's sixteen."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url  # memory://, locmemcache://: already private to the process
    given = int(parts.path.strip("/") or 0)
    database = given - 2 * number
    if database < 0:
        raise ValueError(
            f"xdist worker gw{number} has no Redis database left below {url} (two per worker): "
            "give the run fewer workers (-n) or start from higher database numbers (CI uses 15 and 14)"
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


def worker_environment(worker: str) -> None:
    """Point this process (and the subprocesses it starts) at xdist worker ``worker``'s share."""
    if os.environ.get("TEST_SERVICES_OF_WORKER") == worker:
        return  # a subprocess of that worker: its environment is already the worker's
    number = worker_number(worker)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", number + 1))
    shared = {name: os.environ[name] for name in ("CELERY_BROKER_URL", "CACHE_URL") if name in os.environ}
    # A worker may use one database for both (as a serial run may); two workers never share one.
    owned = [{worker_redis_url(url, n) for url in shared.values()} for n in range(workers)]
    taken = [url for urls in owned for url in urls if url.startswith(("redis:", "rediss:"))]
    if len(set(taken)) < len(taken):
        raise ValueError(
            f"CELERY_BROKER_URL and CACHE_URL ({', '.join(shared.values())}) would give two of the "
            f"{workers} xdist workers the same Redis database: use two neighbouring databases (15 and 14)"
        )
    for name, url in shared.items():
        os.environ[name] = worker_redis_url(url, number)
    from pathlib import Path

    var = Path(os.environ.get("VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
    os.environ["VAR_DIR"] = str(var / "tests" / worker)
    os.environ["TEST_SERVICES_OF_WORKER"] = worker


if os.environ.get("PYTEST_XDIST_WORKER"):
    worker_environment(os.environ["PYTEST_XDIST_WORKER"])

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

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
# On PostgreSQL (the processes tests start load these settings too):
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # a test database needs no durability: a commit (a transactional test's, a live server's, a
    # worker's) does not wait for PostgreSQL to flush its log to disk;
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
    # a transactional test's flush empties the tables that hold rows instead of truncating all of
    # them (tests/postgresql/base.py: about half a second less for each of the hundred such tests).
    DATABASES["default"]["ENGINE"] = "tests.postgresql"
