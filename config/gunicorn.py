"""gunicorn's settings for the web process (``gunicorn -c config/gunicorn.py config.wsgi``).

Read from the environment, so that one file serves every machine (docs/operations.md,
"Serving"):

- ``WEB_CONCURRENCY``: worker processes; default twice the CPU cores plus one (5 on 2 cores).
  A page is mostly Python (templates, forms) holding the GIL, so processes, not threads, use
  the cores; the extra workers cover the time one spends waiting on PostgreSQL or Redis, and
  a sign-in, which hashes its password for half a second, does not stall everyone else's
  pages behind it.
- ``GUNICORN_THREADS``: threads per worker (the ``gthread`` worker when more than 1); default 1.
- ``PORT`` (loopback) or ``GUNICORN_BIND`` (e.g. ``0.0.0.0:8000``, ``unix:/run/compact.sock``).
- ``GUNICORN_TIMEOUT``: seconds before a silent worker is restarted (default 30).
- ``GUNICORN_MAX_REQUESTS``: requests before a worker is replaced, with jitter (default 2000),
  bounding what a slow leak can hold.
"""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
# Behind a proxy that keeps connections open (nginx's keepalive to the upstream).
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10
# The application is imported once in the master, then forked: workers share its memory
# and start in milliseconds. (Database connections are opened per worker, after the fork.)
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# The workers' heartbeat files go to memory, not a disk that may stall (gunicorn's advice).
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108  (a fixed system folder, not a temporary file)
worker_tmp_dir = str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() else None


def when_ready(server: object) -> None:
    """Before the workers are forked: import every view (Django imports the URLconf only on a
    first request) and load the six languages' catalogues, so that each worker starts with them
    in memory shared with the master instead of paying a few seconds of imports on the first
    request it serves (measured: the first requests of five fresh workers timed out under load)."""
    from config.wsgi import warm_up

    warm_up()
