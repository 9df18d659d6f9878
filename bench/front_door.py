"""Benchmark of the front door: password resets, sign-in with lockouts, API tokens.

    .venv/bin/python bench/front_door.py [--repeat 200] [--database-url URL] [--cache-url URL]

It creates a throwaway test database (in-memory SQLite by default, ``test_<name>`` on
PostgreSQL with ``--database-url postgres://…``; the cache is local memory unless
``--cache-url redis://…``) and one account, then times through Django's test client:

1. the password-reset request for the account's address and for an unknown one, interleaved:
   median, 95th percentile and SQL statements of each (they must be the same statements: the
   page must not tell which addresses exist by its work or its time);
2. signing in: a wrong password, the right one, and an attempt while locked out;
3. an API request with a valid token, with this project's LockoutTokenAuthentication and with
   DRF's plain TokenAuthentication, to show what counting failed tokens costs.

Passwords are hashed with Django's default hasher (PBKDF2), as in production, not the tests'
fast one. It prints one line per measure and an "OK"/"FAILED" line per check, and exits non-zero
if a check fails. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

VARYING = re.compile(r"'\d{4}-\d\d-\d\d[T ][0-9:.+]+'(::timestamptz)?|\"s\d+_x\d+\"")


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def post_time(client: object, path: str, data: dict[str, str]) -> float:
    """Milliseconds one POST takes."""
    start = time.perf_counter()
    client.post(path, data)
    return (time.perf_counter() - start) * 1000


def line(label: str, times: list[float], queries: int | None = None) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    extra = f"  {queries:>3} SQL" if queries is not None else ""
    return f"{label:<52} median {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms{extra}"


def statements(action: Callable[[], object], email: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return [VARYING.sub("?", q["sql"].replace(email, "<email>")) for q in queries]


def resets(repeat: int, email: str) -> tuple[list[float], list[float], list[str], list[str]]:
    from django.core.cache import cache
    from django.test import Client

    known, unknown = [], []
    for n in range(repeat):
        cache.clear()  # the rate limits would otherwise stop recording after three
        for address, bucket in ((email, known), (f"nobody{n}@example.org", unknown)):
            client = Client(REMOTE_ADDR=f"10.1.{n % 250}.{len(bucket) % 250}")
            bucket.append(post_time(client, "/accounts/password/reset/", {"email": address}))
    cache.clear()
    client = Client()
    sql_known = statements(lambda: client.post("/accounts/password/reset/", {"email": email}), email)
    other = "nobody-else@example.org"
    sql_unknown = statements(lambda: client.post("/accounts/password/reset/", {"email": other}), other)
    return known, unknown, sql_known, sql_unknown


def sign_ins(repeat: int) -> list[str]:
    from axes.models import AccessAttempt
    from django.test import Client

    lines = []
    wrong = {"username": "bench", "password": "wrong"}
    right = {"username": "bench", "password": "Bench-Pass-42"}
    # PBKDF2 makes each checked password cost a third of a second: fewer of these are enough.
    checked = min(repeat, 50)
    times = [post_time(Client(REMOTE_ADDR=f"10.2.0.{n}"), "/accounts/login/", wrong) for n in range(checked)]
    lines.append(line("sign-in, wrong password (one failure counted)", times))
    AccessAttempt.objects.all().delete()
    times = [post_time(Client(REMOTE_ADDR=f"10.3.0.{n}"), "/accounts/login/", right) for n in range(checked)]
    lines.append(line("sign-in, right password", times))
    locked = Client(REMOTE_ADDR="10.4.0.1")
    for _ in range(5):
        locked.post("/accounts/login/", {"username": "bench", "password": "wrong"})
    refused = [post_time(locked, "/accounts/login/", right) for _ in range(repeat)]
    lines.append(line("sign-in while locked out (429, password not checked)", refused))
    return lines


def tokens(repeat: int, key: str) -> list[str]:
    from django.test import override_settings
    from rest_framework.settings import api_settings
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    lines = []
    for label, auth in (
        (
            "API request, valid token (LockoutTokenAuthentication)",
            "compact.accounts.authentication.LockoutTokenAuthentication",
        ),
        ("API request, valid token (DRF TokenAuthentication)", "rest_framework.authentication.TokenAuthentication"),
    ):
        rest = {**api_settings.user_settings, "DEFAULT_AUTHENTICATION_CLASSES": [auth]}
        with override_settings(REST_FRAMEWORK=rest):
            client.get("/api/v1/committee/")
            lines.append(line(label, timed(lambda: client.get("/api/v1/committee/"), repeat)))
    return lines


def run(repeat: int) -> int:
    from rest_framework.authtoken.models import Token

    from compact.core.roles import Role, roles_ensure_groups
    from compact.registry.services import person_create

    roles_ensure_groups()
    user = person_create(
        username="bench", email="bench@example.org", first_name="Bench", last_name="Mark",
        password="Bench-Pass-42", roles=(Role.OCT,), actor=None,
    )  # fmt: skip
    known, unknown, sql_known, sql_unknown = resets(repeat, user.email)
    print(line("password reset, address of an account", known, len(sql_known)))
    print(line("password reset, unknown address", unknown, len(sql_unknown)))
    for text in sign_ins(repeat):
        print(text)
    for text in tokens(repeat, Token.objects.create(user=user).key):
        print(text)
    ratio = statistics.median(known) / statistics.median(unknown)
    same_sql = sql_known == sql_unknown
    print(f"{'OK' if same_sql else 'FAILED':<7} the reset runs the same SQL for both addresses")
    print(f"{'OK' if 0.8 < ratio < 1.25 else 'FAILED':<7} the reset takes the same time for both (ratio {ratio:.2f})")
    return 0 if same_sql and 0.8 < ratio < 1.25 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per measure (default 200)")
    parser.add_argument("--database-url", help="e.g. postgres://user:pw@127.0.0.1/compact (uses test_<name>)")
    parser.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/9 (default: local memory)")
    parser.add_argument("--broker-url", default="memory://localhost/", help="where resets are queued")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["CACHE_URL"] = args.cache_url or "locmemcache://"
    os.environ["CELERY_BROKER_URL"] = args.broker_url

    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        failed = run(max(20, args.repeat))
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
    sys.exit(failed)


if __name__ == "__main__":
    main()
