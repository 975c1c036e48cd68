"""Background jobs of the reports app. Each takes ids or plain values and calls a service."""

from __future__ import annotations

from tabyin.core.background import task
from tabyin.reports import notifications
from tabyin.reports.models import ReportRecipient


@task
def notify_units(report_id: int, event: str = "new") -> int:
    units = list(ReportRecipient.objects.filter(report_id=report_id).values_list("unit_id", flat=True))
    return notifications.send(users=notifications.handlers_of(units), event=event)
