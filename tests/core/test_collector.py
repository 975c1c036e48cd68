"""core.collector.fewer_collections: raised inside, restored after, shared by threads."""

from __future__ import annotations

import gc
import threading

from tabyin.core.collector import YOUNG_THRESHOLD, fewer_collections


def test_threshold_is_raised_inside_and_restored_after_even_on_error() -> None:
    before = gc.get_threshold()
    try:
        with fewer_collections():
            assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before


def test_the_last_thread_to_leave_restores_the_setting() -> None:
    before = gc.get_threshold()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with fewer_collections():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with fewer_collections():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    # The other thread is still inside: the setting stays raised.
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    leave.set()
    thread.join(5)
    assert gc.get_threshold() == before


def test_a_higher_threshold_already_set_is_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD * 2, *before[1:])
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD * 2
    finally:
        gc.set_threshold(*before)
