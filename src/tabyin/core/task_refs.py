"""The core's background tasks that services enqueue (see ``core.background``)."""

from __future__ import annotations

from tabyin.core.background import task_ref


@task_ref("core.heartbeat", module="tabyin.core.tasks")
def heartbeat(*, token: str = "") -> None:
    """Record that the task engine runs; with a token, as the proof a probe waits for."""


@task_ref("core.public_deliver", module="tabyin.core.tasks")
def public_deliver(*, notice_id: int) -> None:
    """Send a notice to the public on its queued outside channels (SMS, Bale, push)."""
