"""Background jobs of retention: deadline reminders, and deletion at the end of the retention period."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic
from tabyin.reports.retention import services as services_retention


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
