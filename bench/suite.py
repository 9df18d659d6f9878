"""The test suite, serial and in parallel: wall time, CPU time, tests and the sum of their durations.

    DATABASE_URL=postgres://compact:compact@127.0.0.1:5432/compact CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \\
    CACHE_URL=redis://127.0.0.1:6379/14 REQUIRE_SERVICES=1 python bench/suite.py --workers 0 logical 3 4

Runs ``pytest -n <workers>`` once per value given (0: serially), each with the same random order
(one pytest-randomly seed), and prints one line per run: wall seconds, the CPU seconds of pytest
and everything it started (workers, Celery workers, Chromium, redis-servers; not PostgreSQL's
or the shared Redis's), the tests run and failed, and the sum of the tests' durations (setup,
call and teardown, from pytest's JUnit report). The ratio of wall times is the figure to read:
on a busy machine both grow. Extra arguments after ``--`` go to pytest (a subset of the suite).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 1)[0] if Path("/proc/loadavg").exists() else "?"


def junit_figures(path: Path) -> tuple[int, int, float]:
    """Tests run (skipped ones left out), tests failed or in error, and the sum of their durations."""
    tests = failed = 0
    seconds = 0.0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("skipped") is not None:
            continue
        tests += 1
        failed += case.find("failure") is not None or case.find("error") is not None
        seconds += float(case.get("time", 0))
    return tests, failed, seconds


def run(workers: str, seed: int, extra: list[str]) -> None:
    report = OUT / f"tests-n{workers}.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-n",
        workers,
        "--maxprocesses",
        "8",
        "-p",
        "randomly",
        f"--randomly-seed={seed}",
        f"--junitxml={report}",
        "-o",
        "junit_duration_report=total",
        *extra,
    ]
    before_load, cpu, began = load(), children_cpu(), time.monotonic()
    finished = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall, cpu = time.monotonic() - began, children_cpu() - cpu
    tests, failed, summed = junit_figures(report) if report.exists() else (0, 0, 0.0)
    print(
        f"-n {workers:>7}: {wall:7.1f} s wall, {cpu:7.1f} s CPU, {tests} tests ({failed} failed, "
        f"exit {finished.returncode}), durations sum {summed:7.1f} s; load {before_load} -> {load()}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", nargs="+", default=["0", "logical"], help="values of -n to compare (0: serial)")
    parser.add_argument("--seed", type=int, default=random.randrange(1, 2**31), help="pytest-randomly seed")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest (e.g. a directory)")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"seed {options.seed}, {os.cpu_count()} CPUs", flush=True)
    for workers in options.workers:
        run(workers, options.seed, options.pytest_args)


if __name__ == "__main__":
    main()
