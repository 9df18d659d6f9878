"""Benchmark of the pages and API lists that list working groups or reporting periods, at N and
10·N groups.

    DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/python bench/pages.py [--groups 40]

It creates a throwaway test database (in-memory SQLite by default, ``test_<name>`` on
PostgreSQL when ``DATABASE_URL`` points there), loads the reference data, and builds N working
groups, each with a chair and a vice-chair (each with a representative who leads the group),
three members, a submission in an open period and one in a closed period (accepted, submitted,
returned or a draft, some confidential, some with an extension asked for). It signs in as an
OCT officer and as the chair of one group, and times each page (median of ``--repeat`` after
two warm-up requests) with its SQL queries. It then adds groups up to 10·N and times the same
pages again. The growth ratio (10·N / N) of each page's median is checked against 1.5×, and
the query counts must not grow at all. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

GROWTH_LIMIT = 1.5
MEMBERS_PER_GROUP = 3
# The bench's own groups are numbered from here, clear of the reference data's.
FIRST_NUMBER = 100


@dataclass
class Timing:
    median_ms: float  # wall clock: what a user waits, but it follows the machine's load
    cpu_ms: float  # this process's CPU time: Python's own work per request, steadier on a busy machine
    queries: str
    note: str = ""


@dataclass
class Scene:
    """What the pages are asked about: the periods and the two personas' clients."""

    open_period: Any
    closed_period: Any
    officer: Any
    chair: Any


# --- Building the groups ------------------------------------------------------------------------


def periods_create() -> tuple[Any, Any]:
    """A closed mid-year period (last year) and an open end-of-year one (this year)."""
    from reporting.submissions.models import ReportingPeriod

    today = datetime.date.today()
    closed = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.MID_YEAR,
        covers_from=datetime.date(today.year - 1, 1, 1),
        covers_until=datetime.date(today.year - 1, 6, 30),
        opens_on=datetime.date(today.year - 1, 6, 1),
        due_on=datetime.date(today.year - 1, 7, 15),
        closes_on=datetime.date(today.year - 1, 8, 1),
        state=ReportingPeriod.State.CLOSED,
    )
    opened = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.END_OF_YEAR,
        covers_from=datetime.date(today.year - 1, 7, 1),
        covers_until=datetime.date(today.year - 1, 12, 31),
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=20),
        state=ReportingPeriod.State.OPEN,
    )
    return opened, closed


def groups_add(first: int, count: int, scene: Scene) -> None:
    """``count`` more groups (numbered from ``first``) with their rosters, their leaders' right
    to lead, and a submission in each period; bulk inserts, as the services would leave them."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from compact.core.models import Classification, User
    from compact.registry.models import Entity
    from reporting.calendar.models import ExtensionRequest
    from reporting.submissions.models import Submission
    from workinggroups.models import RoleAssignment, WorkingGroup

    signed = datetime.date(2018, 2, 23)
    entities = list(Entity.objects.filter(is_active=True).order_by("acronym"))
    numbers = range(FIRST_NUMBER + first, FIRST_NUMBER + first + count)
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(number=n, name=f"Bench working group {n} on border security", short_name=f"Bench {n}")
        for n in numbers
    )
    people = User.objects.bulk_create(
        User(username=f"bench-lead-{group.number}-{seat}", first_name="Lead", last_name=f"{seat} {group.number}")
        for group in groups
        for seat in ("chair", "vice")
    )
    assignments, leaders = [], iter(people)
    for index, group in enumerate(groups):
        picks = [entities[(index * 5 + offset) % len(entities)] for offset in range(2 + MEMBERS_PER_GROUP)]
        roles = [RoleAssignment.Role.CHAIR, RoleAssignment.Role.VICE_CHAIR] + [RoleAssignment.Role.MEMBER] * 3
        for entity, role in zip(picks, roles, strict=True):
            person = next(leaders) if role != RoleAssignment.Role.MEMBER else None
            assignments.append(
                RoleAssignment(working_group=group, entity=entity, role=role, person=person, starts_on=signed)
            )
    RoleAssignment.objects.bulk_create(assignments)
    lead = Permission.objects.get(codename="lead_workinggroup")
    kind = ContentType.objects.get_for_model(WorkingGroup)
    UserObjectPermission.objects.bulk_create(
        UserObjectPermission(user=a.person, permission=lead, content_type=kind, object_pk=str(a.working_group_id))
        for a in assignments
        if a.person is not None
    )
    submissions = []
    now = datetime.datetime.now(datetime.UTC)
    # About a page of text in each of two sections, as a real input has.
    text = " ".join(["The group met twice and agreed its guidance on border security."] * 25)
    for index, group in enumerate(groups):
        classification = Classification.CONFIDENTIAL if index % 7 == 0 else Classification.UNCLASSIFIED
        past_status = [Submission.Status.ACCEPTED, Submission.Status.SUBMITTED, Submission.Status.ACCEPTED][index % 3]
        submissions.append(
            Submission(
                period=scene.closed_period,
                working_group=group,
                status=past_status,
                classification=classification,
                summary=text,
                challenges=text,
                last_edited_at=now,
                submitted_at=now,
                on_time=index % 4 != 0,
            )
        )
        status = [Submission.Status.DRAFT, Submission.Status.SUBMITTED, Submission.Status.RETURNED][index % 3]
        submissions.append(
            Submission(
                period=scene.open_period,
                working_group=group,
                status=status,
                classification=classification,
                summary=text if index % 2 else "",
                last_edited_at=now if index % 2 else None,
                submitted_at=now if status != Submission.Status.DRAFT else None,
                on_time=True if status != Submission.Status.DRAFT else None,
            )
        )
    created = Submission.objects.bulk_create(submissions)
    due = scene.open_period.due_on
    ExtensionRequest.objects.bulk_create(
        ExtensionRequest(
            submission=submission,
            due_before=due,
            requested_until=due + datetime.timedelta(days=14),
            reason="The chair is travelling.",
            requested_by=people[index * 2 % len(people)],
        )
        for index, submission in enumerate(created)
        if submission.period_id == scene.open_period.pk and submission.status == Submission.Status.DRAFT
    )


def personas(scene_periods: tuple[Any, Any]) -> Scene:
    """An OCT officer (strictly confidential clearance) and the chair of one bench group."""
    from compact.core.models import Classification
    from compact.core.roles import Role
    from compact.registry.models import Entity
    from compact.registry.services import person_create

    unoct = Entity.objects.filter(acronym="UNOCT").first()
    officer = person_create(
        username="bench-oct",
        email="bench-oct@example.org",
        first_name="Bench",
        last_name="Officer",
        entity=unoct,
        roles=(Role.OCT,),
        clearance=Classification.STRICTLY_CONFIDENTIAL,
        actor=None,
    )
    chair = person_create(
        username="bench-chair",
        email="bench-chair@example.org",
        first_name="Bench",
        last_name="Chair",
        entity=Entity.objects.filter(is_active=True).order_by("acronym").first(),
        clearance=Classification.CONFIDENTIAL,
        actor=None,
    )
    return Scene(open_period=scene_periods[0], closed_period=scene_periods[1], officer=officer, chair=chair)


def chair_seat_take(scene: Scene) -> None:
    """The bench chair represents the chair of the first bench group (through the services,
    which grant the right to lead and the chair role)."""
    from workinggroups.models import RoleAssignment
    from workinggroups.services import role_representative_set

    seat = RoleAssignment.objects.get(working_group__number=FIRST_NUMBER, role=RoleAssignment.Role.CHAIR)
    role_representative_set(assignment=seat, person=scene.chair, actor=None)


# --- Requests -----------------------------------------------------------------------------------


def pages(scene: Scene) -> list[tuple[str, str, str]]:
    """(persona, label, path) of every page measured."""
    opened, closed = scene.open_period.pk, scene.closed_period.pk
    return [
        ("oct", "page  /working-groups/", "/working-groups/"),
        ("oct", "page  /reporting/ (home)", "/reporting/"),
        ("oct", "page  period (open)", f"/reporting/periods/{opened}/"),
        ("oct", "page  period (closed)", f"/reporting/periods/{closed}/"),
        ("oct", "page  /reporting/calendar/", "/reporting/calendar/"),
        ("oct", "page  /reporting/extensions/", "/reporting/extensions/"),
        ("oct", "page  /reporting/compiled/", "/reporting/compiled/"),
        ("oct", "API   /api/v1/working-groups/", "/api/v1/working-groups/"),
        ("oct", "API   /api/v1/reporting-periods/", "/api/v1/reporting-periods/"),
        ("oct", "API   /api/v1/submissions/", "/api/v1/submissions/"),
        ("chair", "page  /working-groups/", "/working-groups/"),
        ("chair", "page  /reporting/ (home)", "/reporting/"),
        ("chair", "API   /api/v1/submissions/", "/api/v1/submissions/"),
    ]


def measure(client: Any, path: str, repeat: int) -> Timing:
    """Median of ``repeat`` requests after two warm-up ones, and their SQL queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        response = client.get(path)
    except Exception as error:
        return Timing(math.nan, math.nan, "-", f"skipped: {type(error).__name__}: {error}"[:90])
    if response.status_code != 200:
        return Timing(math.nan, math.nan, "-", f"skipped: HTTP {response.status_code}")
    client.get(path)
    times, cpu, queries = [], [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.add(len(captured))
    counted = "–".join(str(n) for n in sorted(queries)[:: max(1, len(queries) - 1)])
    return Timing(statistics.median(times), statistics.median(cpu), counted)


def measure_all(scene: Scene, repeat: int) -> list[Timing]:
    from django.test import Client

    clients = {}
    for persona, user in (("oct", scene.officer), ("chair", scene.chair)):
        clients[persona] = Client()
        clients[persona].force_login(user)
    return [measure(clients[persona], path, repeat) for persona, _label, path in pages(scene)]


# --- The run ------------------------------------------------------------------------------------


def _ratio(small: float, large: float) -> float:
    return large / small if small and not math.isnan(small) else math.nan


def print_results(scene: Scene, sizes: tuple[int, int], first: list[Timing], second: list[Timing], judge: str) -> bool:
    """The table; whether every page passed: the same queries at both sizes, and the median
    (CPU or wall clock, as ``judge`` says) at most GROWTH_LIMIT times higher."""
    small, large = (f"{size:,} groups" for size in sizes)
    print(f"{'persona':<6} {'request':<34} | {small:^24} | {large:^24} | growth (10x groups)")
    columns = f"{'wall ms':>7} {'CPU ms':>7} {'queries':>8}"
    print(f"{'':<6} {'':<34} | {columns} | {columns} | {'wall':>6} {'CPU':>6}")
    print("-" * 118)
    passed = True
    for (persona, label, _path), a, b in zip(pages(scene), first, second, strict=True):
        wall, cpu = _ratio(a.median_ms, b.median_ms), _ratio(a.cpu_ms, b.cpu_ms)
        judged = cpu if judge == "cpu" else wall
        same_queries = a.queries == b.queries and a.queries != "-"
        ok = judged <= GROWTH_LIMIT and same_queries
        passed &= ok
        verdict = "OK" if ok else ("FAIL (queries grow)" if not same_queries else "FAIL")
        print(
            f"{persona:<6} {label:<34} | {a.median_ms:>7.1f} {a.cpu_ms:>7.1f} {a.queries:>8} |"
            f" {b.median_ms:>7.1f} {b.cpu_ms:>7.1f} {b.queries:>8} | {wall:>5.2f}x {cpu:>5.2f}x {verdict}"
        )
        for note in dict.fromkeys(n for n in (a.note, b.note) if n):
            print(f"    ({note})")
    return passed


def run(groups: int, repeat: int, judge: str) -> bool:
    from django.db import connection

    from portal.reference import reference_load
    from workinggroups.models import WorkingGroup

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    began = time.perf_counter()
    reference_load()
    # Only the bench's groups: the reference data's would make the two sizes not 1:10.
    WorkingGroup.objects.all().delete()
    print(f"Reference data loaded in {time.perf_counter() - began:.1f} s")
    scene = personas(periods_create())
    results = []
    for start, size in ((0, groups), (groups, 10 * groups)):
        began = time.perf_counter()
        groups_add(start, size - start, scene)
        if start == 0:
            chair_seat_take(scene)
        print(f"{size:,} groups built in {time.perf_counter() - began:.1f} s")
        results.append(measure_all(scene, repeat))
    print(f"\nMedian of {repeat} requests after 2 warm-up ones; SQL queries per request; load average {_load()}")
    passed = print_results(scene, (groups, 10 * groups), *results, judge=judge)
    verdict = "OK" if passed else "FAIL"
    print(f"\n{verdict}: every page's {judge} time grows at most {GROWTH_LIMIT}x for 10x the groups,", end=" ")
    print("its queries not at all")
    return passed


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=40, help="groups at the first size (default 40); then 10x")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument(
        "--judge",
        choices=("cpu", "wall"),
        default="cpu",
        help="which median the growth limit checks: the process's CPU time (default; steady on a busy "
        "machine) or the wall clock (on a quiet machine)",
    )
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        passed = run(max(1, args.groups), args.repeat, args.judge)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
