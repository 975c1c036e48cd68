"""``core.db_writer``: SQLite writers queue on a lock shared by the site's processes (ADR 0042)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
from pathlib import Path

import pytest
from django.db import connections

from tabyin.core import db_writer

_fork = multiprocessing.get_context("fork")
_spawn = multiprocessing.get_context("spawn")


def _would_block(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


def _hold_until(path: str, held: object, release: object) -> None:
    with db_writer.exclusive(path):
        held.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]


def test_another_process_holding_the_lock_keeps_this_one_out(tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite3.writer-lock")
    held, release = _spawn.Event(), _spawn.Event()
    child = _spawn.Process(target=_hold_until, args=(path, held, release))
    child.start()
    try:
        assert held.wait(30)
        mine = os.open(path, os.O_RDWR)
        assert _would_block(mine) is True
        release.set()
        child.join(30)
        assert child.exitcode == 0
        assert _would_block(mine) is False
        os.close(mine)
    finally:
        release.set()
        child.join(30)


def _try_in_child(path: str, result: object) -> None:
    fd = db_writer._descriptor(path)
    result.put(_would_block(fd))  # type: ignore[attr-defined]


# What granian does; the child only opens a file, takes a lock and writes to a queue.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_descriptor_opened_before_a_fork_is_not_shared_with_the_child(tmp_path: Path) -> None:
    """granian forks its workers after the start-up checks: a lock taken through a descriptor the
    parent opened would not keep a child out, so each process opens its own."""
    path = str(tmp_path / "db.sqlite3.writer-lock")
    result = _fork.Queue()
    with db_writer.exclusive(path):
        child = _fork.Process(target=_try_in_child, args=(path, result))
        child.start()
        assert result.get(timeout=30) is True
        child.join(30)
    assert child.exitcode == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (":memory:", None),
        ("file:memorydb_default?mode=memory&cache=shared", None),
        ("/srv/tabyin/tabyin.sqlite3", "/srv/tabyin/tabyin.sqlite3.writer-lock"),
    ],
)
def test_the_lock_file_sits_beside_a_database_file_only(
    name: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", name)
    assert db_writer._lock_path("default") == expected
