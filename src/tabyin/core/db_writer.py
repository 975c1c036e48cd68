"""One writer at a time on an SQLite database, across the threads *and processes* of the site.

SQLite lets one transaction write at a time; a writer that finds the database locked waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between tries whatever happens meanwhile. A hot
write path (a poll's answers: issue 17, ADR 0042) loses more time in those sleeps than in writing:
with two web processes, a third of both cores sat idle. Here writers queue instead on a lock that
wakes the next at once: a thread lock inside the process, then ``flock`` on a file beside the
database across processes (the kernel hands it over when it is released).

The lock file is opened once per process, lazily: a descriptor opened before granian forks its
workers would be shared by them, and a lock held through it would not keep them apart. A database
kept in memory (tests) has one process: the thread lock alone. Other databases (PostgreSQL) need
neither: ``hold`` does nothing.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from django.db import connections

LOCK_SUFFIX: Final = ".writer-lock"  # beside the database file (backups leave it out)
_thread = threading.Lock()
_files: dict[tuple[int, str], int] = {}  # (process id, lock path) → descriptor


def _lock_path(alias: str) -> str | None:
    name = str(connections[alias].settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return f"{name}{LOCK_SUFFIX}"


def _descriptor(path: str) -> int:
    key = (os.getpid(), path)
    fd = _files.get(key)
    if fd is None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        _files[key] = fd
    return fd


@contextmanager
def exclusive(path: str) -> Iterator[None]:
    """This process's and every other process's only holder of the lock file ``path``."""
    fd = _descriptor(path)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def hold(alias: str) -> Iterator[None]:
    """Around a write transaction on ``alias``: the only writer of this site while it runs."""
    if connections[alias].vendor != "sqlite":
        yield
        return
    path = _lock_path(alias)
    with _thread:
        if path is None:
            yield
            return
        with exclusive(path):
            yield
