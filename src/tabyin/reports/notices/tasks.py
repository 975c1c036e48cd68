"""Background jobs of the notices: send what was queued with a report or message, sweep the lost."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic, task
from tabyin.reports import task_refs
from tabyin.reports.notices import services as notifications


@task(task_refs.notify_units)
def notify_units(*, report_id: int, event: str = "new") -> int:
    """Send the notices ``notifications.notices_queue`` wrote with the report or message."""
    return notifications.notices_send(report_id=int(report_id), event=event)


@periodic("reports.notices_sweep", every=timedelta(minutes=1))
def notices_sweep() -> int:
    """Queue again the notices whose task was lost or whose worker died mid-send."""
    return len(notifications.notices_sweep(now=timezone.now()))
