"""Benchmark of the project matrix: importing N generated projects, then browsing them.

    DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/python bench/matrix.py [--projects 10000]

It creates a throwaway test database (in-memory SQLite by default, ``test_<name>`` on
PostgreSQL when ``DATABASE_URL`` points there), loads the reference data, and imports 1,000
generated projects in the CSV template's format through the real import service
(``matrix_import_preview`` then ``matrix_import_commit``, ``actor=None`` as ``manage.py
import_matrix`` does). It then adds the rest up to N, with bulk inserts by default or through
the import service with ``--import-all``. At 1,000 and at N projects it times the browse page
(``/projects/``) and the API list (``/api/v1/projects/``), 50 to a page, without and with
filters, signed in as an OCT officer, and counts the SQL queries of each request: the counts
must be the same at 1,000 and at N projects. It also times, alternately with the API list, a
bare DRF endpoint defined here (``BareProjectList``: the same filters and pagination, the
stored columns through ``.values()``) and prints the ratio ours/bare, checked against the
targets of issue 19 (≤ 2×, ≤ 8 queries the same at both sizes). See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

FIRST_STEP = 1_000
FILTERS = "country=JO&pillar=I&status=ongoing"
BARE_PATH = "/bench/bare-projects/"
# Issue 19's targets for the API list with filters on.
MAX_RATIO = 2.0
MAX_QUERIES = 8
# Jordan is over-represented so that the filtered list still fills a page at 1,000 projects.
OTHER_COUNTRIES = """IQ SY LB EG LY TN DZ MA MR ML NE TD NG CM BF SN SO KE ET SD YE SA AE QA KW OM AF PK IN BD LK
MV ID PH MY TH KZ KG TJ TM UZ TR BA RS MK AL UA FR BE DE GB US CO PE BR TT"""
COUNTRIES = ["JO"] * 12 + OTHER_COUNTRIES.split()
WORDS = """border security prison staff training youth radicalization financing prosecution victims aviation
cyber rehabilitation reintegration legislation dialogue community policing investigation cooperation strategy
resilience gender human rights technical assistance"""
STATUS_WEIGHTS = {"ongoing": 45, "completed": 40, "in-development": 15}
STAGES = ["", "", "idea", "planning", "financing", "implementation", "evaluation"]


@dataclass
class Timing:
    label: str
    median_ms: float
    p95_ms: float
    queries: str
    found: int | None
    note: str = ""


# --- Generating the file ------------------------------------------------------------------------


def template_rows(first: int, count: int, acronyms: list[str], groups: list[int]) -> Iterator[list[str]]:
    """``count`` projects in the template's columns, keys ``bench-<first>`` onwards; the same
    seed gives the same rows."""
    from compact.lib.places import regions

    region_codes = [region.code for region in regions()]
    for number in range(first, first + count):
        rng = random.Random(number)
        entities = rng.sample(acronyms, rng.choice([1, 1, 2, 3, 4]))
        start = rng.randint(2005, 2028)
        end = "" if rng.random() < 0.1 else str(start + rng.randint(0, 6))
        scope, countries = ("global", []) if rng.random() < 0.05 else ("", sorted(set(rng.sample(COUNTRIES, 3))))
        yield [
            f"bench-{number:06d}",
            f"Bench {number}: {' '.join(rng.sample(WORDS.split(), 4))}",
            f"{' '.join(rng.sample(WORDS.split(), 8)).capitalize()}.",
            entities[0],
            ";".join(entities[1:]),
            "EU" if rng.random() < 0.2 else "",
            rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
            rng.choice(STAGES),
            f"{start}-{rng.randint(1, 12):02d}" if rng.random() < 0.3 else str(start),
            end,
            ";".join(sorted(rng.sample(["I", "II", "III", "IV"], rng.choice([1, 1, 2])))),
            ";".join(str(g) for g in sorted(rng.sample(groups, rng.choice([0, 1, 1, 2])))),
            scope,
            ";".join(countries),
            rng.choice(region_codes) if countries and rng.random() < 0.3 else "",
            "confidential" if rng.random() < 0.05 else "unclassified",
            rng.choice(["", "yes", "no"]),
            rng.choice(["", "", "yes", "no"]),
            str(rng.randint(5, 500) * 10_000) if rng.random() < 0.5 else "",
            "EU; Japan" if rng.random() < 0.3 else "",
        ]


def template_file(rows: Iterator[list[str]]) -> bytes:
    from compact.matrix.imports.files import TEMPLATE_HEADER

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


# --- Importing ----------------------------------------------------------------------------------


def import_projects(first: int, count: int) -> list[tuple[int, int, float, float]]:
    """Import ``count`` generated projects through the import service, in files the service
    accepts (at most its size limit): (rows, bytes, preview seconds, commit seconds) a file."""
    from compact.matrix.imports.files import MAX_BYTES
    from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
    from compact.registry.models import Entity
    from workinggroups.models import WorkingGroup

    acronyms = sorted(Entity.objects.filter(is_active=True).values_list("acronym", flat=True))
    groups = sorted(WorkingGroup.objects.filter(retired_on__isnull=True).values_list("number", flat=True))
    lines, chunk = [], 10_000
    for start in range(first, first + count, chunk):
        size = min(chunk, first + count - start)
        data = template_file(template_rows(start, size, acronyms, groups))
        assert len(data) <= MAX_BYTES, f"{len(data)} bytes: lower the chunk size"
        began = time.perf_counter()
        preview = matrix_import_preview(data=data, file_name="bench.csv")
        previewed = time.perf_counter()
        if not preview.ok:
            errors = preview.errors + [f"{r.key}: {e}" for r in preview.rows for e in r.errors][:10]
            raise SystemExit("The generated file does not import:\n" + "\n".join(errors))
        batch = matrix_import_commit(data=data, file_name="bench.csv", sha256=preview.sha256, actor=None)
        done = time.perf_counter()
        assert batch.created == size, batch.created
        lines.append((size, len(data), previewed - began, done - previewed))
    return lines


def import_line(rows: int, size: int, preview: float, commit: float, label: str = "") -> str:
    total = preview + commit
    return (
        f"{rows:>8,} {size / 1e6:>8.1f} MB {preview:>9.1f} s {commit:>9.1f} s {total:>9.1f} s "
        f"{rows / total:>8.0f}  {label}"
    ).rstrip()


def bulk_generate(first: int, count: int) -> str:
    """Write ``count`` more generated projects straight to the tables, as the import would
    store them, with bulk inserts (about 100 times faster than the import service); the line
    of the import table."""
    from compact.matrix.imports.files import TEMPLATE_HEADER
    from compact.matrix.models import Project, ProjectCountry, ProjectPillar, ProjectRegion
    from compact.registry.models import Entity
    from workinggroups.models import WorkingGroup

    entities = {e.acronym: e for e in Entity.objects.filter(is_active=True)}
    groups = {g.number: g for g in WorkingGroup.objects.filter(retired_on__isnull=True)}
    began = time.perf_counter()
    records = [
        dict(zip(TEMPLATE_HEADER, row, strict=True))
        for row in template_rows(first, count, sorted(entities), sorted(groups))
    ]
    projects = Project.objects.bulk_create([_bulk_project(record, entities) for record in records], batch_size=1000)
    related: dict[type, list[Any]] = defaultdict(list)
    for project, record in zip(projects, records, strict=True):
        for acronym in _list(record["partner_entities"]):
            related[Project.partner_entities.through].append(
                Project.partner_entities.through(project=project, entity=entities[acronym])
            )
        for number in _list(record["themes"]):
            related[Project.themes.through].append(
                Project.themes.through(project=project, workinggroup=groups[int(number)])
            )
        related[ProjectCountry] += [ProjectCountry(project=project, country=c) for c in _list(record["countries"])]
        related[ProjectRegion] += [ProjectRegion(project=project, region=r) for r in _list(record["regions"])]
        related[ProjectPillar] += [ProjectPillar(project=project, pillar=p) for p in project.pillars]
    for model, rows in related.items():
        model.objects.bulk_create(rows, batch_size=2000)
    return f"{count:>8,} {'bulk inserts, not the import service:':>47} {time.perf_counter() - began:>9.1f} s"


def _list(text: str) -> list[str]:
    return [piece for piece in text.split(";") if piece]


def _bulk_project(record: dict[str, str], entities: dict[str, Any]) -> Any:
    from compact.matrix.models import Project

    def month_year(text: str) -> tuple[int | None, int | None]:
        parts = [int(piece) for piece in text.split("-")] if text else [None]
        return parts[0], parts[1] if len(parts) > 1 else None

    start_year, start_month = month_year(record["start"])
    end_year, end_month = month_year(record["end"])
    countries, regions = _list(record["countries"]), record["regions"]
    scope = record["scope"] or ("national" if len(countries) == 1 and not regions else "regional")
    yes_no = {"yes": True, "no": False, "": None}
    return Project(
        source_key=record["key"],
        title=record["title"],
        main_activities=record["main_activities"],
        lead_entity=entities[record["lead_entity"]],
        partner_organizations=_list(record["partner_organizations"]),
        status=record["status"],
        stage=record["stage"],
        start_year=start_year,
        start_month=start_month,
        end_year=end_year,
        end_month=end_month,
        pillars=_list(record["pillars"]),
        scope=scope,
        classification=record["classification"],
        gender_marker=yes_no[record["gender_marker"]],
        hrdd_assessed=yes_no[record["hrdd_assessed"]],
        budget_usd=int(record["budget_usd"]) if record["budget_usd"] else None,
        donors=record["donors"],
    )


# --- Requests -----------------------------------------------------------------------------------


def measure(client: Any, label: str, path: str, repeat: int) -> Timing:
    """Median and p95 of ``repeat`` requests after two warm-up ones, and their SQL queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        response = client.get(path)
    except Exception as error:
        return Timing(label, math.nan, math.nan, "-", None, f"skipped: {type(error).__name__}: {error}"[:90])
    if response.status_code != 200:
        return Timing(label, math.nan, math.nan, "-", None, f"skipped: HTTP {response.status_code}")
    client.get(path)
    times, queries = [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.add(len(captured))
    found = response.json()["count"] if path.startswith("/api/") else response.context["page"].paginator.count
    times.sort()
    p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
    counted = "–".join(str(n) for n in sorted(queries)[:: max(1, len(queries) - 1)])
    return Timing(label, statistics.median(times), p95, counted, found)


def measure_drawing_the_selects(client: Any, repeat: int) -> Timing:
    """The filtered page with its filter selects drawn at every request, as before issue 19:
    their caches (``compact.core.widgets``: the shared one and the process's copies) keeping
    nothing."""
    from django.core.cache.backends.dummy import DummyCache

    from compact.core import widgets

    kept = widgets.cache, widgets.LOCAL_COPIES
    widgets.cache, widgets.LOCAL_COPIES = DummyCache("bench", {}), 0
    widgets.local_copies_clear()
    try:
        return measure(client, f"page  /projects/?{FILTERS} (selects drawn)", f"/projects/?{FILTERS}", repeat)
    finally:
        widgets.cache, widgets.LOCAL_COPIES = kept


def measure_all(client: Any, repeat: int) -> list[Timing]:
    return [
        measure(client, "page  /projects/", "/projects/", repeat),
        measure(client, f"page  /projects/?{FILTERS}", f"/projects/?{FILTERS}", repeat),
        measure_drawing_the_selects(client, repeat),
        measure(client, "API   /api/v1/projects/", "/api/v1/projects/", repeat),
        measure(client, f"API   /api/v1/projects/?{FILTERS}", f"/api/v1/projects/?{FILTERS}", repeat),
    ]


def oct_client() -> Any:
    from django.test import Client

    from compact.core.models import Classification
    from compact.core.roles import Role
    from compact.registry.models import Entity
    from compact.registry.services import person_create

    officer = person_create(
        username="bench-oct",
        email="bench-oct@example.org",
        first_name="Bench",
        last_name="Officer",
        entity=Entity.objects.filter(acronym="UNOCT").first(),
        roles=(Role.OCT,),
        clearance=Classification.STRICTLY_CONFIDENTIAL,
        actor=None,
    )
    client = Client()
    client.force_login(officer)
    return client


# --- The bare endpoint ---------------------------------------------------------------------------


def bare_urlconf() -> Any:
    """The site's URLs and ``BARE_PATH``: a DRF view that answers the list's query with the
    stored columns of the page's projects, as ``.values()`` gives them — the floor the list is
    measured against. Same authentication, permission, filters (``ProjectQuerySerializer`` and
    ``projects_filtered``, hence the reader's clearance), ordering and pagination; none of the
    list's related lists (partners, working groups, countries, regions) nor its URL."""
    from django.urls import path
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from compact.core.api.pagination import PageNumberPagination
    from compact.matrix.api import ProjectQuerySerializer
    from compact.matrix.selectors import PROJECT_ROW_COLUMNS, projects_filtered
    from config import urls

    class BareProjectList(APIView):
        def get(self, request: Request) -> Response:
            query = ProjectQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            projects = projects_filtered(request.user, **query.selector_arguments())
            rows = projects.values(*PROJECT_ROW_COLUMNS, "lead_entity__acronym")
            paginator = PageNumberPagination()
            page = paginator.paginate_queryset(rows, request, view=self)
            return paginator.get_paginated_response(page)

    class BenchURLs:
        urlpatterns = [path(BARE_PATH.strip("/") + "/", BareProjectList.as_view()), *urls.urlpatterns]

    return BenchURLs


@dataclass
class Comparison:
    projects: int
    ours_ms: float
    bare_ms: float
    ours_queries: int
    bare_queries: int

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.bare_ms


def compare_with_bare(client: Any, projects: int, repeat: int) -> Comparison:
    """Medians of the API list and of the bare endpoint, both filtered, timed in turn (one of
    each, ``repeat`` times after two warm-ups each) so that the machine's load weighs on both
    alike; and the SQL queries of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ours_path, bare_path = f"/api/v1/projects/?{FILTERS}", f"{BARE_PATH}?{FILTERS}"
    for path in (ours_path, bare_path) * 2:
        assert client.get(path).status_code == 200, path
    times: dict[str, list[float]] = {ours_path: [], bare_path: []}
    queries: dict[str, int] = {}
    for _ in range(repeat):
        for path in (ours_path, bare_path):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(path)
                times[path].append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries[path] = max(queries.get(path, 0), len(captured))
    return Comparison(
        projects,
        statistics.median(times[ours_path]),
        statistics.median(times[bare_path]),
        queries[ours_path],
        queries[bare_path],
    )


def print_comparisons(comparisons: list[Comparison], steps: list[tuple[int, list[Timing]]]) -> bool:
    """The ratios and query counts against the targets; whether all are met."""
    print(f"\nAPI list vs the bare DRF .values() endpoint, ?{FILTERS}: medians, timed in turn")
    print(f"{'projects':>9} {'ours ms':>9} {'bare ms':>9} {'ratio':>7} {'queries':>8} {'bare q.':>8}")
    for c in comparisons:
        print(
            f"{c.projects:>9,} {c.ours_ms:>9.1f} {c.bare_ms:>9.1f} {c.ratio:>6.2f}× {c.ours_queries:>8} "
            f"{c.bare_queries:>8}"
        )
    ratio_ok = all(c.ratio <= MAX_RATIO for c in comparisons)
    counts = {c.ours_queries for c in comparisons}
    queries_ok = len(counts) == 1 and max(counts) <= MAX_QUERIES
    worst = max(c.ratio for c in comparisons)
    print(f"{'OK' if ratio_ok else 'FAIL'}   ratio ours/bare ≤ {MAX_RATIO:g}× at every size (worst {worst:.2f}×)")
    shown = ", ".join(f"{c.ours_queries} at {c.projects:,}" for c in comparisons)
    print(f"{'OK' if queries_ok else 'FAIL'}   queries ≤ {MAX_QUERIES} and the same at every size ({shown})")
    for count, timings in steps:
        page, drawn = (t for t in timings if t.label.startswith("page  /projects/?"))
        print(
            f"      page /projects/?{FILTERS} at {count:,} projects: median {page.median_ms:.1f} ms "
            f"(selects drawn at every request: {drawn.median_ms:.1f} ms)"
        )
    return ratio_ok and queries_ok


# --- The run ------------------------------------------------------------------------------------


def print_requests(steps: list[tuple[int, list[Timing]]]) -> None:
    head = f"{'request (50 a page)':<70}"
    for count, _timings in steps:
        head += f" | {f'{count:,} projects':^35}"
    print(head.rstrip())
    sub = " " * 70 + " | median ms    p95 ms  queries  found" * len(steps)
    print(sub)
    print("-" * len(sub))
    for index, timing in enumerate(steps[0][1]):
        line = f"{timing.label:<70}"
        notes = []
        for _count, timings in steps:
            t = timings[index]
            found = "-" if t.found is None else f"{t.found:,}"
            line += f" | {t.median_ms:>9.1f} {t.p95_ms:>9.1f} {t.queries:>8} {found:>6}"
            if t.note:
                notes.append(t.note)
        print(line)
        for note in dict.fromkeys(notes):
            print(f"    ({note})")


def run(total: int, repeat: int, import_all: bool) -> bool:
    from django.db import connection

    from portal.reference import reference_load

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    began = time.perf_counter()
    reference_load()
    print(f"Reference data loaded in {time.perf_counter() - began:.1f} s\n")
    client = oct_client()
    steps = [count for count in (FIRST_STEP, total) if count <= total]
    imports, bulk, results, comparisons, loaded = [], [], [], [], 0
    for count in dict.fromkeys(steps):
        if import_all or loaded == 0:
            imports += import_projects(loaded, count - loaded)
        else:
            bulk.append(bulk_generate(loaded, count - loaded))
        loaded = count
        results.append((count, measure_all(client, repeat)))
        comparisons.append(compare_with_bare(client, count, repeat))
    print("Import of the CSV template (matrix_import_preview + matrix_import_commit, actor=None), one file a line")
    print(f"{'rows':>8} {'file':>11} {'preview':>11} {'commit':>11} {'total':>11} {'rows/s':>8}")
    for line in imports:
        print(import_line(*line))
    if len(imports) > 1:
        print(import_line(*(sum(column) for column in zip(*imports, strict=True)), "all imported"))
    for line in bulk:
        print(line)
    print(f"\nRequests as an OCT officer: median and p95 of {repeat} after 2 warm-up ones; SQL queries per request")
    print_requests(results)
    met = print_comparisons(comparisons, results)
    loadavg = Path("/proc/loadavg")
    if loadavg.exists():
        print(f"Load average (1, 5, 15 min, running/all, last pid): {loadavg.read_text().strip()}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, help="projects to generate (default 10,000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per measure (default 20)")
    parser.add_argument(
        "--import-all",
        action="store_true",
        help="import every project through the import service (about 4 minutes for 10,000 on SQLite); "
        "by default only the first 1,000 are, the others are written with bulk inserts",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with override_settings(ROOT_URLCONF=bare_urlconf()):
            met = run(max(1, args.projects), args.repeat, args.import_all)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
