"""Each test runs above a deep frame that holds a chunk of CPython's frame stack big enough for
its whole call stack (tests/frame_stack.py)."""

from __future__ import annotations

import inspect
import resource
import threading
from collections.abc import Callable

from tests.frame_stack import LOCAL_SLOTS, run_on_a_deep_chunk

DEPTH = 400  # ~40 KiB of frames: more than a 16 KiB chunk, less than what the deep one leaves
DESCENTS = 500


def _descend(depth: int) -> int:
    return 0 if depth == 0 else _descend(depth - 1) + 1


def _descents() -> None:
    for _ in range(DESCENTS):
        assert _descend(DEPTH) == DEPTH


def _page_faults_in_a_thread(run: Callable[[], None]) -> int:
    """The minor page faults of a new thread (a frame stack of its own) while it runs ``run``."""
    faults: list[int] = []

    def target() -> None:
        before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        run()
        faults.append(resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return faults[0]


def test_every_test_runs_above_the_deep_frame():
    callers = [frame_info.frame.f_code for frame_info in inspect.stack()]
    deep = [code for code in callers if code is run_on_a_deep_chunk.__code__]
    assert len(deep) == 1
    assert deep[0].co_nlocals >= LOCAL_SLOTS


def test_a_stack_that_reaches_past_a_chunk_maps_it_again_each_time_but_not_above_the_deep_frame():
    plain = _page_faults_in_a_thread(_descents)
    deep = _page_faults_in_a_thread(lambda: run_on_a_deep_chunk(_descents))

    assert plain >= DESCENTS  # each descent maps (and faults in) chunks that its return gives back
    assert deep < DESCENTS / 5  # the deep frame's own chunk, faulted in once
