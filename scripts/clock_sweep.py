#!/usr/bin/env python3
"""Run the test suite with the clock set to the dates where the reporting calendar turns.

Tests must pass on any date and in any order. This runs pytest once per moment — the day
before, of and after each default calendar rule's opening, due and closing days this year, and
the turn of the year — with ``TEST_CLOCK`` set (config/settings_test.py starts the clock there,
in the test process and in the Celery workers the tests start), in random order (pytest-randomly,
a new seed each run), and prints a summary of what failed where.

    .venv/bin/python scripts/clock_sweep.py                   # every moment, whole suite
    .venv/bin/python scripts/clock_sweep.py --limit 4 tests/reporting   # a few moments, some tests
    .venv/bin/python scripts/clock_sweep.py --at 2027-01-31T12:00Z

Exit status 1 if any run failed. Uses the same DATABASE_URL / CELERY_BROKER_URL as ``make test``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOON_IN_NEW_YORK = "T17:00:00Z"  # the scheduler's day has begun (07:00) and the day is not over


def calendar_moments(year: int) -> list[str]:
    """The day before, of and after each rule's opening, due and closing day, at noon in New York."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from reporting.calendar.models import CalendarRule
    from reporting.calendar.services import DEFAULT_RULES, rule_plan

    days: set[datetime.date] = {datetime.date(year, 1, 1), datetime.date(year, 12, 31)}
    for kind, (month, day, following, opens) in DEFAULT_RULES.items():
        rule = CalendarRule(
            kind=kind, due_month=month, due_day=day, due_following_year=following, opens_days_before_due=opens
        )
        plan = rule_plan(rule, year)
        for turning in (plan.opens_on, plan.due_on, plan.closes_on):
            days.update(turning + datetime.timedelta(days=shift) for shift in (-1, 0, 1))
    return [f"{day:%Y-%m-%d}{NOON_IN_NEW_YORK}" for day in sorted(days)]


def run(moment: str, pytest_args: list[str]) -> tuple[bool, str]:
    env = {**os.environ, "TEST_CLOCK": moment}
    seed = random.randrange(2**32)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "randomly", f"--randomly-seed={seed}", *pytest_args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    summary = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR")) or " passed" in line]
    return result.returncode == 0, f"{moment} --randomly-seed={seed}: " + " | ".join(summary[-6:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=datetime.date.today().year)
    parser.add_argument("--limit", type=int, default=0, help="spread this many moments over the year")
    parser.add_argument("--at", action="append", default=[], help="a moment of your own (repeatable)")
    parser.add_argument("--list", action="store_true", help="print the moments and stop")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (test paths, -k, -m …)")
    args = parser.parse_args()
    moments = args.at or calendar_moments(args.year)
    if args.limit and len(moments) > args.limit:
        step = len(moments) / args.limit
        moments = [moments[int(i * step)] for i in range(args.limit)]
    if args.list:
        print("\n".join(moments))
        return 0
    failed = 0
    for moment in moments:
        ok, line = run(moment, args.pytest_args)
        failed += not ok
        print(("ok   " if ok else "FAIL ") + line, flush=True)
    print(f"{len(moments) - failed} of {len(moments)} runs passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
