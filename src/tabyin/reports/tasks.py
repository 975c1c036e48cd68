"""Background jobs of the reports app. Each takes ids or plain values and calls a service."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic, task
from tabyin.reports import notifications, services_retention, task_refs


@task(task_refs.notify_units)
def notify_units(*, report_id: int, event: str = "new") -> int:
    """Send the notices ``notifications.notices_queue`` wrote with the report or message."""
    return notifications.notices_send(report_id=int(report_id), event=event)


@periodic("reports.notices_sweep", every=timedelta(minutes=1))
def notices_sweep() -> int:
    """Queue again the notices whose task was lost or whose worker died mid-send."""
    return len(notifications.notices_sweep(now=timezone.now()))


@periodic("reports.retention", every=timedelta(hours=6))
def reports_retention() -> dict[str, int]:
    """Remind before deletion, then delete what is past its retention period (not on hold)."""
    now = timezone.now()
    reminded = services_retention.remind_expiring(now)
    purged = services_retention.purge_expired(now)
    return {"reminded": reminded, "purged": purged.reports, "files": purged.files, "held": purged.held}


@periodic("reports.deadlines", every=timedelta(hours=1))
def reports_deadlines() -> int:
    return services_retention.remind_due(timezone.now())
