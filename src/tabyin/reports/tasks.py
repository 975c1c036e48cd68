"""Background jobs of the reports app. Each takes ids or plain values and calls a service."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic, task
from tabyin.reports import notifications, services_retention, task_refs
from tabyin.reports.models import ReportRecipient


@task(task_refs.notify_units)
def notify_units(*, report_id: int, event: str = "new") -> int:
    units = list(ReportRecipient.objects.filter(report_id=report_id).values_list("unit_id", flat=True))
    return notifications.send(users=notifications.handlers_of(units), event=event)


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
