"""Background jobs of the core app. Each takes ids or plain values and calls a service."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from tabyin.core import task_refs
from tabyin.core.background import periodic, task
from tabyin.core.notify import public as public_notify
from tabyin.core.notify import services as services_notify
from tabyin.core.system import services as services_system


@periodic(task_refs.heartbeat, every=timedelta(seconds=settings.TABYIN_HEARTBEAT_SECONDS))
def heartbeat(*, token: str = "") -> None:
    # A probe (with a token) keeps its own row so the periodic beat cannot overwrite its proof.
    services_system.heartbeat_record(key="probe" if token else "tasks", token=token)


@periodic("core.clear_expired_sessions", every=timedelta(hours=6))
def clear_expired_sessions() -> None:
    services_system.sessions_clear_expired()


@periodic("core.notify_scan", every=timedelta(minutes=5))
def notify_scan() -> None:
    """Tell staff about new waiting work, and send what quiet hours or digests held."""
    services_notify.work_scan()


@task(task_refs.public_deliver)
def public_deliver(*, notice_id: int) -> None:
    public_notify.deliver(notice_id=notice_id)


@periodic("core.public_retry", every=timedelta(minutes=5))
def public_retry() -> None:
    """Try again the notices to the public that an outside channel did not take (or whose task was
    lost)."""
    public_notify.retry_due()


__all__ = ["clear_expired_sessions", "heartbeat", "notify_scan", "public_deliver", "public_retry", "task"]
