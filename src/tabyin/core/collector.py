"""The cyclic garbage collector around bulk work.

Bulk ingestion allocates some hundred short-lived objects an item, none in a reference cycle. At
Python's default young threshold (700 allocations) the collector then runs every few items and frees
nothing, and its periodic full passes walk the whole process heap (Django, the caller's data); in the
monitor's pipeline that was ~7 % of the time (benchmarks/bench_monitor_pipeline.py). Collections
still happen inside the block, only less often.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["YOUNG_THRESHOLD", "fewer_collections"]

YOUNG_THRESHOLD = 50_000


class _State:
    lock = threading.Lock()
    users = 0
    saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections(young: int = YOUNG_THRESHOLD) -> Iterator[None]:
    """Raise the collector's young threshold to at least ``young`` for the block. The threads of a
    process share the setting: the first to enter saves it, the last to leave restores it."""
    with _State.lock:
        if _State.users == 0:
            _State.saved = gc.get_threshold()
            gc.set_threshold(max(young, _State.saved[0]), *_State.saved[1:])
        _State.users += 1
    try:
        yield
    finally:
        with _State.lock:
            _State.users -= 1
            if _State.users == 0:
                gc.set_threshold(*_State.saved)
