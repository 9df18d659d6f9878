"""Each test runs above a frame of its own that holds a chunk of CPython's frame stack big
enough for the test's whole call stack.

Why: CPython 3.11 keeps a thread's Python frames in chunks of memory, 16 KiB each unless a frame
needs more, and gives a chunk back to the system (``munmap``) as soon as the stack returns below
it; the next call that reaches past that edge maps a new chunk (``mmap``) and faults its pages
in again. A test's hot calls — the ORM compiling a query under Django's middleware and views,
the template engine's recursion — reach past such an edge and come back thousands of times a
second: ``strace`` counted ~4,100 pairs of ``mmap``/``munmap`` a second in the access matrix, and
the kernel's work for them (system calls, page faults, the caches they clear) was a seventh of
its CPU.

What: a chunk is sized to the frame that needs it, doubling from 16 KiB until the frame and a
margin fit, so a frame of ``LOCAL_SLOTS`` local variables gets a chunk of 256 KiB of which it
takes ~125 KiB. Each test is run from such a frame (``pytest_runtest_protocol`` calls pytest's
own protocol through ``run_on_a_deep_chunk``): the frames of the test, its fixtures and the
requests it makes are pushed into what is left of that chunk (~130 KiB: ~1,500 frames), so the
chunk is mapped once per test rather than thousands of times. A deeper stack still works: it
takes further chunks as before. The frame's slots are never used; initialising them costs ~10 µs
a test. The access matrix alone (one process, fixed order): 107.8 → 92.8 CPU-s (system time
15.7 → 6.2 s).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import _pytest.runner
import pytest

# 16,000 slots of 8 bytes (~125 KiB) need a chunk of 256 KiB (CPython sizes a chunk to the frame
# plus 1,000 slots, doubling from 16 KiB), which leaves ~130 KiB above the frame.
LOCAL_SLOTS = 16_000


def _deep_frame_caller(slots: int) -> Callable[..., Any]:
    """A function whose frame has ``slots`` local variables (never assigned when it runs) and
    that calls ``run(*args)``."""
    # The slots are local variables assigned only in a branch that never runs: each costs a
    # place in the frame, nothing else. The source is built here, from a number.
    names = " = ".join(f"_{number}" for number in range(slots))
    source = (
        f"def run_on_a_deep_chunk(run, *args):\n    if run is None:\n        {names} = None\n    return run(*args)\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<tests/frame_stack.py>", "exec"), namespace)
    return namespace["run_on_a_deep_chunk"]


run_on_a_deep_chunk = _deep_frame_caller(LOCAL_SLOTS)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    # pytest's own implementation, run from the deep frame; its answer (True) ends the hook, so
    # pytest does not run the test a second time. The hook's wrappers (warnings, logging,
    # xdist's) wrap this call as they wrap pytest's.
    return run_on_a_deep_chunk(_pytest.runner.pytest_runtest_protocol, item, nextitem)
