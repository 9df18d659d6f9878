"""Benchmark of the matrix import (issue 19): the seed's report matrix and 10,000 generated projects.

    DATABASE_URL=postgres://compact:compact@127.0.0.1:5432/compact \\
        .venv/bin/python bench/imports.py [--projects 10000] [--repeat 5]

It creates a throwaway PostgreSQL database (``test_<name>_imports``; SQLite when DATABASE_URL
is not set, for a quick look only: the targets are for PostgreSQL), loads the reference data,
and imports through the real services, as ``manage.py import_matrix`` does (``actor=None``):

- the seed's 317 rows (``data/seed/a72-840-ctitf-matrix.txt``): ``matrix_import_preview`` then
  ``matrix_import_commit``, median of ``--repeat`` runs, each from the same empty matrix (every
  run is rolled back at the end); then the same file again on top of itself (nothing changes);
- ``--projects`` generated projects in the CSV template (``bench/matrix.py``'s generator), in
  one file: the preview and the commit timed apart, then the same file again (all unchanged);
- the SQL queries of each step, per row, and the queries of committing 50 and 500 rows (they
  must not grow with the rows).

Each time is printed against its target (seed ≤ 1 s, 10,000 projects ≤ 10 s) with OK or FAIL,
and the machine's load beside it: timings on a busy machine are not the product's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

SEED = ROOT / "data" / "seed" / "a72-840-ctitf-matrix.txt"
SEED_TARGET_S = 1.0
BULK_TARGET_S = 10.0
BULK_TARGET_ROWS = 10_000


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def counted(step: Callable[[], Any]) -> tuple[Any, float, int]:
    """(result, seconds, SQL queries) of ``step``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - began
    return result, seconds, len(queries.captured_queries)


def import_file(data: bytes, name: str) -> dict[str, Any]:
    """Preview then commit ``data``: times, queries and what the commit did."""
    from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview

    preview, preview_s, preview_q = counted(lambda: matrix_import_preview(data=data, file_name=name))
    if not preview.ok:
        errors = preview.errors + [f"{r.key}: {e}" for r in preview.rows for e in r.errors][:10]
        raise SystemExit(f"{name} does not import:\n" + "\n".join(errors))
    batch, commit_s, commit_q = counted(
        lambda: matrix_import_commit(data=data, file_name=name, sha256=preview.sha256, actor=None)
    )
    return {
        "rows": len(preview.rows),
        "preview_s": preview_s,
        "commit_s": commit_s,
        "preview_q": preview_q,
        "commit_q": commit_q,
        "counts": (batch.created, batch.updated, batch.unchanged),
    }


def import_rolled_back(data: bytes, name: str) -> dict[str, Any]:
    from django.db import transaction

    with transaction.atomic():
        result = import_file(data, name)
        transaction.set_rollback(True)  # the next run starts from the same state
    return result


def verdict(seconds: float, target: float) -> str:
    return f"{'OK' if seconds <= target else 'FAIL'} (target ≤ {target:g} s)"


def print_run(label: str, run: dict[str, Any], note: str = "") -> None:
    rows = run["rows"]
    created, updated, unchanged = run["counts"]
    print(
        f"  {label}: preview {run['preview_s']:.2f} s ({run['preview_q']} queries), "
        f"commit {run['commit_s']:.2f} s ({run['commit_q']} queries); "
        f"{(run['preview_q'] + run['commit_q']) / rows:.3f} queries a row; "
        f"{created} created, {updated} updated, {unchanged} unchanged{note}"
    )


def bench_seed(repeat: int) -> None:
    data = SEED.read_bytes()
    runs = [import_rolled_back(data, SEED.name) for _ in range(repeat)]
    totals = [run["preview_s"] + run["commit_s"] for run in runs]
    median = statistics.median(totals)
    print(f"Seed ({SEED.name}), preview + commit, {repeat} runs from an empty matrix (each rolled back)")
    print_run("last run", runs[-1])
    print(
        f"  median {median:.2f} s (preview {statistics.median(r['preview_s'] for r in runs):.2f} s, "
        f"commit {statistics.median(r['commit_s'] for r in runs):.2f} s; "
        f"min {min(totals):.2f} s, max {max(totals):.2f} s)  {verdict(median, SEED_TARGET_S)}"
    )
    first = import_file(data, SEED.name)
    again = import_file(data, SEED.name)
    print_run("imported again on top of itself", again, "  (must be 0 created, 0 updated)")
    assert first["counts"][0] == first["rows"] and again["counts"][:2] == (0, 0), (first, again)


def generated_file(first: int, count: int) -> bytes:
    from bench.matrix import template_file, template_rows
    from compact.registry.models import Entity
    from workinggroups.models import WorkingGroup

    acronyms = sorted(Entity.objects.filter(is_active=True).values_list("acronym", flat=True))
    groups = sorted(WorkingGroup.objects.filter(retired_on__isnull=True).values_list("number", flat=True))
    return template_file(template_rows(first, count, acronyms, groups))


def bench_constant_queries() -> None:
    """Commit queries for 50 and for 500 new rows (same names): must not grow with the rows."""
    counts = {}
    for size in (50, 500):
        counts[size] = import_rolled_back(generated_file(900_000, size), f"queries-{size}.csv")["commit_q"]
    growth = counts[500] - counts[50]
    print(
        f"Commit queries, 50 rows: {counts[50]}, 500 rows: {counts[500]} "
        f"({growth:+d} for 10× the rows)  {'OK' if growth <= 5 else 'FAIL'} (target: constant, ±5)"
    )


def bench_bulk(projects: int) -> None:
    from compact.matrix.imports.files import MAX_BYTES

    data = generated_file(0, projects)
    if len(data) > MAX_BYTES:
        raise SystemExit(f"{len(data):,} bytes is over the import's limit: use fewer --projects")
    print(f"\n{projects:,} generated projects in the CSV template, one file of {len(data) / 1e6:.1f} MB")
    run = import_file(data, "bench.csv")
    total = run["preview_s"] + run["commit_s"]
    target = BULK_TARGET_S * projects / BULK_TARGET_ROWS
    print_run("first import", run)
    print(f"  preview + commit {total:.2f} s  {verdict(total, target)}")
    print(
        f"  preview {run['preview_s']:.2f} s, commit {run['commit_s']:.2f} s; "
        f"{projects / total:,.0f} rows/s (the issue's starting point: 430 s for the preview, ~10 min commit)"
    )
    again = import_file(data, "bench.csv")
    print_run("imported again", again, "  (must be 0 created, 0 updated)")
    print(f"  preview + commit {again['preview_s'] + again['commit_s']:.2f} s (no target)")
    assert run["counts"][0] == projects and again["counts"][:2] == (0, 0), (run, again)


def run(projects: int, repeat: int) -> None:
    from django.db import connection

    from portal.reference import reference_load

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); load before: {load()}")
    if connection.vendor != "postgresql":
        print("  (not PostgreSQL: the targets are for PostgreSQL; set DATABASE_URL)")
    began = time.perf_counter()
    reference_load()
    print(f"Reference data loaded in {time.perf_counter() - began:.1f} s\n")
    bench_seed(repeat)
    print()
    bench_constant_queries()
    bench_bulk(projects)
    print(f"\nLoad after: {load()} (1, 5 and 15 minutes; the machine has {os.cpu_count()} CPUs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=BULK_TARGET_ROWS, help="generated projects (default 10,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the seed import (default 5, median)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        # Not test_<name>: a test run on the same database name must not be clobbered.
        connection.settings_dict["TEST"]["NAME"] = f"test_{original_name}_imports"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(max(1, args.projects), max(1, args.repeat))
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
