"""Which modules share their set-up data (tests/conftest.py, ``shared_by_module``): only those
where every test on the database asks for it and none commits."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.conftest import shared_by_module


@dataclass
class Marker:
    name: str
    kwargs: dict = field(default_factory=dict)


@dataclass
class Item:
    fixturenames: tuple[str, ...] = ()
    markers: list[Marker] = field(default_factory=list)

    def get_closest_marker(self, name: str) -> Marker | None:
        return next((marker for marker in self.markers if marker.name == name), None)


@pytest.mark.parametrize(
    ("tests", "shared"),
    [
        ([("db", "roster"), ("db", "roster", "chair")], True),
        ([("db", "roster"), ("no database",)], True),  # a test without the database does not matter
        ([("db", "roster"), ("db",)], False),  # a test on the database without the roster
        ([("db", "roster"), ("transactional_db", "roster")], False),  # one commits
        ([("db", "roster"), ("db", "roster", "live_server")], False),
        ([("no database",)], False),
    ],
)
def test_a_module_shares_data_only_if_every_database_test_asks_for_it_and_none_commits(tests, shared):
    assert shared_by_module([Item(fixturenames=names) for names in tests], "roster") is shared


def test_a_django_db_marker_counts_and_a_transactional_one_stops_the_sharing():
    marked = Item(fixturenames=(), markers=[Marker("django_db")])  # on the database, without the roster
    assert shared_by_module([Item(("db", "roster")), marked], "roster") is False
    committing = Item(("roster",), [Marker("django_db", {"transaction": True})])
    assert shared_by_module([Item(("db", "roster")), committing], "roster") is False


def test_a_shared_roster_is_a_copy_for_each_test(roster, request):
    # This module shares the roster: each test gets its own objects for the same rows.
    shared = request.getfixturevalue("_module_roster")
    assert roster.group is not shared.group and roster.group.pk == shared.group.pk
