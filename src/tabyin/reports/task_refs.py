"""The reports app's background tasks that services enqueue (see ``core.background``)."""

from __future__ import annotations

from tabyin.core.background import task_ref


@task_ref("reports.notify_units", module="tabyin.reports.notices.tasks")
def notify_units(*, report_id: int, event: str = "new") -> None:
    """Tell the receiving units' handlers that something waits (never what)."""
