"""Background jobs of the reports app, registered by importing each feature's tasks module.

Each takes ids or plain values and calls a service.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic
from tabyin.reports import services_retention
from tabyin.reports.notices import tasks as tasks_notices

__all__ = ["reports_deadlines", "reports_retention", "tasks_notices"]


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
