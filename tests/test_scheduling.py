"""Long tests first on each parallel worker (tests/scheduling.py), checked against xdist's own
work-stealing scheduler: the order we give is handed out the way we assume."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from xdist.scheduler.worksteal import WorkStealingScheduling

from tests.scheduling import _worksteal_workers, long_tests_first, pytest_configure_node, worksteal_shares


@dataclass(eq=False)
class FakeItem:
    nodeid: str
    markers: tuple[str, ...] = ()

    def get_closest_marker(self, name: str):
        return pytest.mark.long if name in self.markers else None


@dataclass(eq=False)
class FakeNode:
    """What the scheduler calls on a worker: records the tests it is handed."""

    name: str
    handed: list[int] = field(default_factory=list)
    shutting_down: bool = False

    @property
    def gateway(self) -> SimpleNamespace:
        return SimpleNamespace(id=self.name)

    def send_runtest_some(self, indices: list[int]) -> None:
        self.handed += indices

    def shutdown(self) -> None:  # a worker with (almost) nothing queued is told to finish
        self.shutting_down = True


class FakeConfig:
    def __init__(self, workers: int) -> None:
        self.workers = workers

    def getvalue(self, name: str):
        assert name == "tx"
        return [f"{self.workers}*popen"]


def first_shares(items: list[FakeItem], workers: int) -> list[list[str]]:
    """The tests xdist's work-stealing scheduler hands each worker before any stealing."""
    scheduler = WorkStealingScheduling(FakeConfig(workers))
    nodes = [FakeNode(f"gw{n}") for n in range(workers)]
    for node in nodes:
        scheduler.add_node(node)
        scheduler.add_node_collection(node, [item.nodeid for item in items])
    scheduler.schedule()
    return [[items[index].nodeid for index in node.handed] for node in nodes]


def suite(short: int, long_ids: list[int], marker: str = "long") -> list[FakeItem]:
    """``short`` tests in a row (as pytest-django leaves them: the long ones grouped near the end)."""
    return [FakeItem(f"t{n}", (marker,) if n in long_ids else ()) for n in range(short)]


@pytest.mark.parametrize(("total", "workers"), [(8705, 3), (10, 3), (7, 4), (3, 3), (100, 8)])
def test_the_shares_are_the_ones_xdist_hands_out(total, workers):
    items = suite(total, [])
    assert [len(share) for share in first_shares(items, workers)] == worksteal_shares(total, workers)


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_each_worker_starts_with_its_part_of_the_long_tests(workers):
    items = suite(300, long_ids=list(range(270, 282)))
    shares = first_shares(long_tests_first(items, workers), workers)
    long_ids = {f"t{n}" for n in range(270, 282)}
    for share in shares:
        own = [test for test in share if test in long_ids]
        assert len(own) == 12 // workers
        assert share[: len(own)] == own, "the long tests open the share"
    handed = [test for share in shares for test in share]
    assert sorted(handed) == sorted(item.nodeid for item in items), "every test once"


def test_the_other_tests_keep_their_order():
    items = suite(30, long_ids=[3, 17, 29])
    ordered = [item.nodeid for item in long_tests_first(items, 3)]
    short = [f"t{n}" for n in range(30) if n not in (3, 17, 29)]
    assert [test for test in ordered if test in short] == short
    assert ordered[0] == "t3" and ordered[10] == "t17" and ordered[20] == "t29"


def test_browser_tests_count_as_long():
    items = suite(9, long_ids=[7, 8], marker="browser")
    ordered = [item.nodeid for item in long_tests_first(items, 2)]
    assert ordered[0] == "t7" and ordered[4] == "t8"


def test_more_long_tests_than_a_share_holds_still_places_each_once():
    items = suite(5, long_ids=[0, 1, 2, 3])
    ordered = long_tests_first(items, 3)
    assert sorted(item.nodeid for item in ordered) == sorted(item.nodeid for item in items)


def test_one_worker_or_no_long_test_changes_nothing():
    items = suite(10, long_ids=[9])
    assert long_tests_first(items, 1) == items
    plain = suite(10, [])
    assert long_tests_first(plain, 3) == plain


def test_only_a_worker_of_a_work_stealing_run_reorders():
    controller = SimpleNamespace(option=SimpleNamespace(dist="worksteal"))
    node = SimpleNamespace(config=controller, workerinput={"workercount": 3})
    pytest_configure_node(node)  # what xdist's controller calls as it starts each worker
    assert _worksteal_workers(SimpleNamespace(workerinput=node.workerinput)) == 3
    controller.option.dist = "load"
    pytest_configure_node(node)
    assert _worksteal_workers(SimpleNamespace(workerinput=node.workerinput)) == 0
    assert _worksteal_workers(SimpleNamespace(option=SimpleNamespace(dist="worksteal"))) == 0  # no worker
