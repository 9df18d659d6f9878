"""The load test's pages one at a time, in process: SQL queries and time per request.

    DATABASE_URL=postgres://compact:compact@127.0.0.1:5432/compact .venv/bin/python bench/load/pages.py

Builds the same database as bench/load/run.py (then drops it) and requests each page of the
load test's mix through Django's test client, signed in as each persona: the number of SQL
queries (which does not depend on the machine's load) and the median time of ``--repeat``
requests. ``--profile NAME`` prints pyinstrument's profile of that page instead (if installed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # bench/load/run.py: the data and the settings


def pages(accounts: dict) -> list[tuple[str, str, str]]:
    """(persona, name, path) for every page of the mix."""
    draft = accounts["chair"][0]["submission"] if accounts["chair"] else None
    project = accounts["projects"][0]["pk"]
    common = [
        ("home (task inbox)", "/"),
        ("notifications", "/notifications/"),
        ("working groups", "/working-groups/"),
        ("reporting", "/reporting/"),
        ("project page", f"/projects/{project}/"),
    ]
    rows = [("oct", name, path) for name, path in common]
    rows += [
        ("oct", "matrix list", "/projects/"),
        ("oct", "matrix list, filtered", "/projects/?country=JO&pillar=I&status=ongoing"),
        ("oct", "matrix API", "/api/v1/projects/"),
        ("reader", "home (task inbox)", "/"),
        ("reader", "matrix list", "/projects/"),
        ("reader", "working groups", "/working-groups/"),
    ]
    if draft:
        rows += [("chair", name, path) for name, path in common[:4]]
        rows.append(("chair", "report editor", f"/reporting/submissions/{draft}/edit/"))
    return rows


def measure(client: object, path: str, repeat: int) -> tuple[int, int, float]:
    from django.db import connection

    client.get(path)
    statements: list[str] = []

    def count(execute: object, sql: str, *args: object) -> object:
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        status = client.get(path).status_code
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - began) * 1000)
    return status, len(statements), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", help="a page's name (as printed) to profile with pyinstrument")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        accounts = run.data_load(args.projects, users=2)
        clients = {}
        for persona in ("oct", "reader", "chair"):
            if accounts[persona]:
                clients[persona] = Client()
                clients[persona].force_login(get_user_model().objects.get(username=accounts[persona][0]["username"]))
        print(f"\n{'persona':<8} {'page':<24} {'status':>6} {'queries':>8} {'median ms':>10}")
        for persona, name, path in pages(accounts):
            if persona not in clients:
                continue
            if args.profile == name:
                from pyinstrument import Profiler

                clients[persona].get(path)
                with Profiler() as profiler:
                    for _ in range(args.repeat):
                        clients[persona].get(path)
                print(profiler.output_text(unicode=True, color=False, show_all=False))
                continue
            status, queries, median = measure(clients[persona], path, args.repeat)
            print(f"{persona:<8} {name:<24} {status:>6} {queries:>8} {median:>10.1f}")
    finally:
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
