"""Background jobs of the core app. Each takes ids or plain values and calls a service."""

from __future__ import annotations

from datetime import timedelta

from tabyin.core import services_system
from tabyin.core.background import periodic, task


@periodic(every=timedelta(minutes=1))
def heartbeat(token: str = "") -> None:
    services_system.heartbeat_record(key="tasks", token=token)


@periodic(every=timedelta(hours=6))
def clear_expired_sessions() -> None:
    services_system.sessions_clear_expired()


__all__ = ["clear_expired_sessions", "heartbeat", "task"]
