"""The core's background tasks that services enqueue (see ``core.background``)."""

from __future__ import annotations

from tabyin.core.background import task_ref


@task_ref("core.heartbeat", module="tabyin.core.tasks")
def heartbeat(*, token: str = "") -> None:
    """Record that the task engine runs; with a token, as the proof a probe waits for."""
