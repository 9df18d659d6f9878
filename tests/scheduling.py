"""Long tests first, one share of them per xdist worker.

Why: pytest-django sorts the collection into database tests, then transactional ones (every
Chromium test, every test that starts a worker, beat or gunicorn), then the rest. Under
``--dist worksteal`` each worker is first handed a contiguous third (quarter, ...) of that
list, and an idle worker steals from the *end* of a busy worker's queue. So the long tests all
sat in the last worker's share, and whichever of them was left at the end ran alone: a run
finished up to a minute and a half after its other workers had stopped (the Chromium CSP crawl
or a schemathesis chunk, last by the luck of the seed).

What: after pytest-randomly has shuffled and pytest-django has grouped, the long tests (marked
``long`` or ``browser``) are dealt round-robin to the front of each worker's initial share,
and the other tests fill the shares in their order. The long tests start
at once on every worker; the work that is left at the end is short tests, which stealing
spreads. Nothing changes when the run is not parallel or not work-stealing, and every test
still runs exactly once.
"""

from __future__ import annotations

import pytest

LONG_MARKERS = ("long", "browser")


def is_long(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(name) for name in LONG_MARKERS)


def worksteal_shares(total: int, workers: int) -> list[int]:
    """The sizes of the first shares xdist's work-stealing scheduler hands out: it gives each idle
    worker in turn ``len(pending) // workers_remaining`` from the front of the list."""
    sizes = []
    remaining = total
    for handed in range(workers):
        size = remaining // (workers - handed)
        sizes.append(size)
        remaining -= size
    return sizes


def long_tests_first(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` reordered so that each worker's initial share starts with its part of the long tests."""
    long_items: list[pytest.Item] = []
    others: list[pytest.Item] = []
    for item in items:
        (long_items if is_long(item) else others).append(item)
    if not long_items or workers < 2:
        return items
    sizes = worksteal_shares(len(items), workers)
    dealt: list[list[pytest.Item]] = [[] for _ in sizes]
    for index, item in enumerate(long_items):
        dealt[index % workers].append(item)
    ordered: list[pytest.Item] = []
    for size, own_long in zip(sizes, dealt, strict=True):
        # A share smaller than its long tests (a tiny selection) just takes more; the last share
        # takes whatever is left, so every test is placed once.
        room = max(size - len(own_long), 0)
        ordered += own_long + others[:room]
        del others[:room]
    ordered += others
    return ordered


DIST_KEY = "compact_dist"  # the controller's --dist, handed to each worker (theirs reads "no")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """On xdist's controller, as each worker starts: tell it how the tests will be handed out."""
    node.workerinput[DIST_KEY] = node.config.option.dist


def _worksteal_workers(config: pytest.Config) -> int:
    """The number of xdist workers when this is a worker of a ``--dist worksteal`` run, else 0."""
    workerinput = getattr(config, "workerinput", None)
    if not workerinput or workerinput.get(DIST_KEY) != "worksteal":
        return 0
    return int(workerinput["workercount"])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # trylast: after pytest-randomly's shuffle and pytest-django's grouping. Every worker computes
    # the same order from the same seed, as xdist requires of their collections.
    workers = _worksteal_workers(config)
    if workers:
        items[:] = long_tests_first(items, workers)
