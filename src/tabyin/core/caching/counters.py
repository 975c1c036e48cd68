"""Version counters in the shared cache: what cached public answers and their ETags are keyed on.

A counter is bumped when the data behind the answers changes; the next read then misses and renders
anew. Shared by every process (the ``shared`` cache: Redis in scaled mode). A counter that went
missing (evicted, or a Redis restart) starts again from the clock, never from 0 or 1: a number that
was in use before it vanished must not be handed out again, or an old copy would look current.
"""

from __future__ import annotations

import time

from django.core.cache import caches
from django.db import transaction


def read(key: str) -> int:
    return int(caches["shared"].get(key, 0))


def bump(key: str) -> int:
    """The counter's next value (the clock's microseconds when it was missing)."""
    shared = caches["shared"]
    try:
        return int(shared.incr(key))
    except ValueError:
        value = time.time_ns() // 1000
        shared.set(key, value, timeout=None)
        return value


def bump_now_and_at_commit(key: str) -> None:
    """Bump at once and again when the transaction commits: an answer rendered from a read made
    before the commit (the change not yet visible) must not outlive it."""
    bump(key)
    transaction.on_commit(lambda: bump(key))
