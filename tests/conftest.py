"""Personas, defined once (Healthchecks' hc/test.py), and the real-service switches.

Personas: an OCT officer, the USG, a committee member (CTED), the chair and vice-chair of a
working group, an entity focal point, an outsider (signed in, no role, no entity) and an
anonymous visitor. They sit in a small roster: WG 7 chaired by OHCHR, vice-chaired by UNODC.
"""

from __future__ import annotations

import copy
import datetime
import gc
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from rest_framework.test import APIClient

from compact.core.models import Classification
from compact.core.roles import Role, roles_ensure_groups
from compact.registry.models import Entity
from compact.registry.services import focal_point_appoint, person_create
from portal.reference import reference_load
from tests.api_schema import (  # noqa: F401 (fixtures for the whole suite)
    _schemas_of_module,
    fresh_schemas,
    schema_generations,
    schema_renders,
    schemas_generated_once_per_module,
)
from tests.browser.chromium import browser, browser_server, orm  # noqa: F401 (fixtures for the whole suite)
from tests.factories import COMPACT_SIGNED, EntityFactory, MembershipFactory, WorkingGroupFactory
from tests.helpers import T, open_period, shared_until_rolled_back
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.services import role_assign, role_representative_set

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Long tests start first, a share on each parallel worker (tests/scheduling.py); each test runs
# above a frame that holds a chunk of CPython's frame stack for it (tests/frame_stack.py).
pytest_plugins = ("tests.scheduling", "tests.frame_stack")

# --- Parallel runs: one migrated template, a copy per xdist worker -------------------------------
# Migrating the test database takes half a minute of CPU; with four workers each migrating its
# own, a 2-core machine spent two minutes before the first test. Instead the controller process
# migrates one template database before it starts the workers, and each worker's database
# (test_<name>_gw<n>) is created from it with CREATE DATABASE ... TEMPLATE, where `migrate` then
# finds nothing to apply. The template is dropped at the end of the run.
TEMPLATE_VARIABLE = "TEST_DATABASE_TEMPLATE"


def _starts_xdist_workers(config: pytest.Config) -> bool:
    """This process is xdist's controller and will start workers (``-n`` above 0)."""
    return (
        not hasattr(config, "workerinput")
        and bool(getattr(config.option, "numprocesses", None))
        and getattr(config.option, "dist", "no") != "no"
    )


def _template_wanted(config: pytest.Config) -> bool:
    from django.db import connection

    return _starts_xdist_workers(config) and connection.vendor == "postgresql" and not config.option.reuse_db


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _template_wanted(session.config):
        return
    from django.conf import settings
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    original_name, original_test_name = connection.settings_dict["NAME"], connection.settings_dict["TEST"]["NAME"]
    template = f"{connection.creation._get_test_db_name()}_template"
    connection.settings_dict["TEST"]["NAME"] = template
    compiling = _compile_while_migrating(session.config)
    try:
        with session.config.stash[blocking_manager_key].unblock():
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()
    finally:  # the controller itself runs no test: it goes back to the settings it was given
        connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = original_name
        connection.settings_dict["TEST"]["NAME"] = original_test_name
        _compiled(compiling)
    os.environ[TEMPLATE_VARIABLE] = template  # the workers, started next, inherit it


# --- Byte code written once, while the template migrates --------------------------------------------
# Each worker imports every test module, and pytest rewrites each one's asserts and compiles it
# (~5 s of a worker's ~9 s of collecting, 49,000 lines), and every process a test starts (Celery
# workers, gunicorn, beat, manage.py) compiles the project's modules, unless their byte code is
# on disk: on a fresh checkout it is not, and where PYTHONDONTWRITEBYTECODE is set (as in many
# container images) no process ever writes it. Migrating the template keeps one CPU busy for
# ~20 s and leaves the other idle; a collection run on that CPU meanwhile writes the byte code
# (pytest's rewritten test modules, the project's modules), and every process after it reads it:
# collecting takes a worker ~4 s instead of ~9 s. Its outcome does not matter (the workers
# collect, and report, for themselves).
# The collection is serial and plain (no xdist, whatever PYTEST_ADDOPTS says, so it never
# starts workers or a template of its own).
COLLECTION_ONLY = ("--collect-only", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly")


def _compile_while_migrating(config: pytest.Config) -> subprocess.Popen | None:
    left_out = {"PYTHONDONTWRITEBYTECODE", "PYTEST_ADDOPTS"}
    environment = {name: value for name, value in os.environ.items() if name not in left_out}
    command = [sys.executable, "-m", "pytest", *COLLECTION_ONLY]
    try:
        return subprocess.Popen(
            [*command, *config.args],
            cwd=config.invocation_params.dir,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def _compiled(compiling: subprocess.Popen | None) -> None:
    if compiling is None:
        return
    try:
        compiling.wait(timeout=60)
    except subprocess.TimeoutExpired:
        compiling.kill()
        compiling.wait()


# --- Garbage collection after collecting ------------------------------------------------------------
# Collecting builds a heap that lives as long as the run (thousands of test items with their
# parameters: the access matrix alone has 5,000 cells), and every full collection of Python's
# cyclic garbage collector walked all of it again: a third of the CPU of a run of request tests.
# Frozen once collected, the collector only looks at what the tests allocate.
#
# What the tests allocate and keep is large too (a module's world, built once; Hypothesis's and
# the template engine's caches), and full collections walked it again and again: ~85-270 ms
# each, ~90 of them in each worker of a whole run (~20 s of its CPU, timed with gc.callbacks),
# ~22 of them while collecting the tests. The young generations are still collected as Python
# does (that is where a test's cyclic garbage goes); the full collection waits for a hundred
# collections of the middle one instead of ten, from before the tests are collected: ~17 a
# worker, ~7 s. A thousand saved ~5 s more but let the busiest worker grow to 1.6 GB (0.8 GB
# before, 1.1 GB with a hundred; docs/operations.md). xdist's controller collects no tests and
# keeps Python's thresholds: what it holds is mostly the garbage of the reports it has printed.
FULL_COLLECTION_AFTER = 100


def pytest_configure(config: pytest.Config) -> None:
    if not _starts_xdist_workers(config):
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session) -> None:
    template = os.environ.get(TEMPLATE_VARIABLE)
    if not template or not _starts_xdist_workers(session.config):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with session.config.stash[blocking_manager_key].unblock():
        connection.creation._destroy_test_db(template, verbosity=0)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A worker's test database is created from the controller's migrated template, if any."""
    from django.conf import settings

    template = os.environ.get(TEMPLATE_VARIABLE)
    if template:
        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = template


def require_or_skip(reason: str) -> None:
    """Skip a test that needs a real service, but fail in CI, where every service must run."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@dataclass
class Roster:
    unoct: Entity
    cted: Entity
    ohchr: Entity
    unodc: Entity
    unesco: Entity
    group: WorkingGroup
    other_group: WorkingGroup
    chair_role: RoleAssignment
    vice_chair_role: RoleAssignment


# --- Data a module's tests share -----------------------------------------------------------------------
# The roster (and the real registry, for the matrix's tests) is the same for every test that asks
# for it, and it was the costliest fixture of a typical test (~19 ms, ~2,400 tests; the registry
# ~1 s of CPU, a few dozen tests). Where a module allows it, it is built once for the module in a
# transaction of its own, and each test runs in a savepoint of that transaction and gets its own
# copy of the objects (as Django's setUpTestData does): what a test writes is rolled back, and
# what it changes on the objects is its own. A module allows it when
# every one of its tests that touches the database asks for that data, and none commits (a
# transactional test, a live server, a worker: they would wait on the shared rows' locks); any
# other module builds it for each test, as before.
SHAREABLE = ("roster", "registry")


def _touches_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "db" in names or "transactional_db" in names or item.get_closest_marker("django_db") is not None


def _commits(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or "django_db_serialized_rollback" in names
        or (marker is not None and bool(marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")))
    )


def shared_by_module(items: list[pytest.Item], name: str) -> bool:
    """Whether the tests of one module (``items``) may share fixture ``name``'s rows."""
    touching = [item for item in items if _touches_database(item)]
    return bool(touching) and all(name in getattr(item, "fixturenames", ()) and not _commits(item) for item in touching)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    modules: dict[object, list[pytest.Item]] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None:
            modules.setdefault(module, []).append(item)
    for module, its in modules.items():
        module.shared_test_data = frozenset(name for name in SHAREABLE if shared_by_module(its, name))


@contextmanager
def _shared_for_module(
    request: pytest.FixtureRequest, name: str, django_db_blocker, build: Callable[[], T]
) -> Iterator[T | None]:
    """``name``'s data built once in the module's shared transaction if the module shares it,
    else None (each test builds its own)."""
    if name not in getattr(request.module, "shared_test_data", ()):
        yield None
        return
    with shared_until_rolled_back(django_db_blocker, build) as shared:
        yield shared


@pytest.fixture(scope="module")
def _module_registry(request, django_db_setup, django_db_blocker) -> Iterator[bool]:
    """Whether the module's tests share one load of the registry (its report, or None: each loads)."""
    with _shared_for_module(request, "registry", django_db_blocker, reference_load) as report:
        yield report is not None


@pytest.fixture
def registry(_module_registry, db) -> None:
    """The real registry (``reference_load``: the Compact's entities with their aliases, the
    organizations the matrix names, the working groups and their roles), not the test roster."""
    if not _module_registry:
        reference_load()


@pytest.fixture(scope="module")
def _module_roster(request, django_db_setup, django_db_blocker) -> Iterator[Roster | None]:
    with _shared_for_module(request, "roster", django_db_blocker, roster_build) as shared:
        yield shared


@pytest.fixture
def roster(_module_roster, db) -> Roster:
    return copy.deepcopy(_module_roster) if _module_roster is not None else roster_build()


def roster_build() -> Roster:
    """The personas' roster: WG 7 chaired by OHCHR and vice-chaired by UNODC, WG 2 chaired by UNODC."""
    roles_ensure_groups()
    entities = {
        acronym: EntityFactory(acronym=acronym, name=name)
        for acronym, name in [
            ("UNOCT", "United Nations Office of Counter-Terrorism"),
            ("CTED", "Counter-Terrorism Committee Executive Directorate"),
            ("OHCHR", "Office of the United Nations High Commissioner for Human Rights"),
            ("UNODC", "United Nations Office on Drugs and Crime"),
            ("UNESCO", "United Nations Educational, Scientific and Cultural Organization"),
        ]
    }
    for entity in entities.values():
        MembershipFactory(entity=entity)
    group = WorkingGroupFactory(number=7, name="Human rights and the rule of law", short_name="Human rights")
    other = WorkingGroupFactory(number=2, name="Countering the financing of terrorism", short_name="Financing")
    chair = role_assign(group=group, entity=entities["OHCHR"], role="chair", starts_on=COMPACT_SIGNED, actor=None)
    vice = role_assign(group=group, entity=entities["UNODC"], role="vice-chair", starts_on=COMPACT_SIGNED, actor=None)
    role_assign(group=other, entity=entities["UNODC"], role="chair", starts_on=COMPACT_SIGNED, actor=None)
    return Roster(
        unoct=entities["UNOCT"],
        cted=entities["CTED"],
        ohchr=entities["OHCHR"],
        unodc=entities["UNODC"],
        unesco=entities["UNESCO"],
        group=group,
        other_group=other,
        chair_role=chair,
        vice_chair_role=vice,
    )


def _person(
    username: str, entity: Entity | None, roles: tuple[Role, ...] = (), clearance: str = Classification.UNCLASSIFIED
) -> AbstractBaseUser:
    return person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        last_name="Tester",
        entity=entity,
        roles=roles,
        clearance=clearance,
        password="pw",
        actor=None,
    )


@pytest.fixture
def oct_officer(roster: Roster) -> AbstractBaseUser:
    return _person("officer", roster.unoct, (Role.OCT,), Classification.STRICTLY_CONFIDENTIAL)


@pytest.fixture
def oct_colleague(roster: Roster) -> AbstractBaseUser:
    """A second OCT officer, who decides on what ``oct_officer`` put forward (four eyes)."""
    return _person("colleague", roster.unoct, (Role.OCT,), Classification.STRICTLY_CONFIDENTIAL)


@pytest.fixture
def usg(roster: Roster) -> AbstractBaseUser:
    return _person("usg", roster.unoct, (Role.USG,), Classification.STRICTLY_CONFIDENTIAL)


@pytest.fixture
def committee_member(roster: Roster) -> AbstractBaseUser:
    return _person("cted", roster.cted, (Role.COMMITTEE_MEMBER,), Classification.CONFIDENTIAL)


@pytest.fixture
def chair(roster: Roster) -> AbstractBaseUser:
    user = _person("chair", roster.ohchr)
    role_representative_set(assignment=roster.chair_role, person=user, actor=None)
    return user


@pytest.fixture
def vice_chair(roster: Roster) -> AbstractBaseUser:
    user = _person("vicechair", roster.unodc)
    role_representative_set(assignment=roster.vice_chair_role, person=user, actor=None)
    return user


@pytest.fixture
def focal_point(roster: Roster) -> AbstractBaseUser:
    user = _person("focal", roster.unesco)
    focal_point_appoint(user=user, entity=roster.unesco, actor=None)
    return user


@pytest.fixture
def outsider(roster: Roster) -> AbstractBaseUser:
    return _person("outsider", None)


@pytest.fixture
def client_for():
    """A logged-in test client for a persona: ``client_for(chair)``."""

    def make(user: AbstractBaseUser | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for():
    def make(user: AbstractBaseUser | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through the test client leaves the
    language its middleware chose active in the thread (a Spanish reader's page made the next
    test's error messages Spanish, depending on the order the tests ran in)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _default_time_zone():
    """Each test starts in the site's time zone: a request through the test client leaves the
    reader's zone active in the thread (``UserTimeZoneMiddleware``), and a UTC reader's page
    made the next test's "today" a day later in New York's evening, depending on the order."""
    from django.utils import timezone

    timezone.deactivate()
    yield
    timezone.deactivate()


@pytest.fixture(scope="session")
def _outages_folder(tmp_path_factory) -> Path:
    """Where this test process (an xdist worker has its own) remembers broker and cache outages.
    One folder for the session, emptied around every test: a numbered folder per test cost a
    scan of the ever-growing temporary folder each time (half a minute of CPU over the suite)."""
    return tmp_path_factory.mktemp("outages")


@pytest.fixture(autouse=True)
def _broker_trusted_again(settings, _outages_folder):
    """Publishing stops for a while after a broker failure; a test that stopped the broker must
    not leave the next test's e-mails to the sweep. Outages are remembered in a folder of this
    test process's own, so that test runs side by side do not see each other's."""
    from compact.lib.outages import outages_reset

    settings.OUTAGES_DIR = _outages_folder
    outages_reset()
    yield
    outages_reset()


@pytest.fixture
def work_plan(roster: Roster):
    return work_plan_build(roster)


def work_plan_build(roster: Roster):
    """WG 7's 2026–2027 work plan: one output with two activities."""
    from workinggroups.models import WorkPlan, WorkPlanActivity, WorkPlanOutput

    plan = WorkPlan.objects.create(working_group=roster.group, biennium_start=2026)
    output = WorkPlanOutput.objects.create(work_plan=plan, title="Guidance on human rights in counter-terrorism")
    first = WorkPlanActivity.objects.create(output=output, position=1, title="Draft the guidance note", pillars=["IV"])
    first.lead_entities.set([roster.ohchr])
    WorkPlanActivity.objects.create(output=output, position=2, title="Regional workshops", status="ongoing")
    return plan


@pytest.fixture
def report_period(roster: Roster, work_plan):
    """The 2026 mid-year progress report, open, due 15 July 2026, with drafts for WG 2 and WG 7
    (WG 7's pre-filled with its two work-plan activities)."""
    return open_period(
        "mid-year",
        (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        datetime.date(2026, 6, 15),
        datetime.date(2026, 7, 15),
    )


@pytest.fixture
def briefing_period(roster: Roster):
    """The Q3 2026 quarterly briefing, open, due 10 October 2026, with drafts for both groups."""
    return open_period(
        "q3",
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        datetime.date(2026, 9, 15),
        datetime.date(2026, 10, 10),
    )
