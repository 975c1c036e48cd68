"""Operational services: worker heartbeats, the task probe, session clean-up."""

from __future__ import annotations

import os
import secrets
import socket
import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from tabyin.core import task_refs
from tabyin.core.models import Heartbeat


def heartbeat_record(*, key: str, token: str = "") -> Heartbeat:
    beat, _ = Heartbeat.objects.update_or_create(
        key=key,
        defaults={
            "beat_at": timezone.now(),
            "token": token,
            "worker": f"{socket.gethostname()}:{os.getpid()}",
        },
    )
    return beat


def heartbeat_age(key: str) -> int | None:
    """Whole seconds since the last heartbeat of ``key``, or None if there was none."""
    beat = Heartbeat.objects.filter(key=key).values_list("beat_at", flat=True).first()
    return None if beat is None else int((timezone.now() - beat).total_seconds())


def tasks_probe_send() -> str:
    """Send a heartbeat with a fresh token through the task engine; returns the token."""
    token = secrets.token_hex(8)
    task_refs.heartbeat.enqueue(token=token)
    return token


def tasks_probe_done(token: str) -> Heartbeat | None:
    return Heartbeat.objects.filter(key="probe", token=token).first()


def tasks_probe_wait(token: str, timeout: float) -> Heartbeat | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = tasks_probe_done(token)
        if beat is not None:
            return beat
        time.sleep(0.2)
    return None


def sessions_clear_expired() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def flush_deleted_data() -> None:
    """After deleting what must not be kept (a report purge): on SQLite, copy the write-ahead log
    into the database and truncate it, so the deleted rows' old pages (still whole in the log) go
    too; ``secure_delete`` (settings) has already zeroed the freed space in the database file.

    PostgreSQL: nothing to do here. A DELETE leaves dead tuples until (auto)VACUUM marks their
    space reusable; neither VACUUM nor VACUUM FULL overwrites old data on disk, in the WAL archive
    or in backups (docs/modules/core.md says what an operator must do).
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
