"""The end of a report's life: reminders before deadlines and deletion, then deletion for good.

- ``remind_due``: handlers of the receiving units are told (by an e-mail that says only that
  something is waiting) when an open report is two days from its deadline or past it.
- ``remind_expiring``: told ``category.reminder_days`` before a report is deleted.
- ``purge_expired``: a report past ``expires_at`` and not under legal hold is deleted with its
  messages, notes, files (on disk too), recipients and identity requests. It leaves only a count
  in ``ArchivedTally`` (year, category, province, final status, days to close), so the published
  statistics stay whole.

Periodic tasks in ``tasks.py`` and ``tabyin manage reports_purge`` call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from tabyin.core import jalali
from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction
from tabyin.core.system import services as core_services_system
from tabyin.reports.crypto import storage
from tabyin.reports.enums import CLOSED_STATUSES
from tabyin.reports.models import ArchivedTally, Category, Report, ReportFile, ReportRecipient
from tabyin.reports.notices import services as notifications

DUE_NOTICE = timedelta(days=2)


@dataclass(frozen=True)
class Purged:
    reports: int
    files: int
    held: int  # expired but kept: under legal hold


def _tally(report: Report) -> None:
    year = int(jalali.to_jalali(report.received_at).year)
    tally = (
        ArchivedTally.objects.select_for_update()
        .filter(
            year=year, category_id=report.category_id, province_id=report.province_id, status=report.status
        )
        .first()
    )
    if tally is None:
        tally = ArchivedTally(
            year=year, category_id=report.category_id, province_id=report.province_id, status=report.status
        )
    tally.count += 1
    if report.closed_at is not None:
        tally.days_to_close = [*tally.days_to_close, (report.closed_at - report.received_at).days]
    tally.save()


def purge_expired(now: datetime) -> Purged:
    """Delete every report whose retention period ended, unless under legal hold."""
    names: list[str] = []
    with transaction.atomic():
        # Locked and re-read here: a legal hold set a moment ago must win over the purge.
        expired = list(
            Report.objects.select_for_update().filter(expires_at__lte=now, legal_hold=False).order_by("id")
        )
        for report in expired:
            _tally(report)
        ids = [r.pk for r in expired]
        names = list(ReportFile.objects.filter(report_id__in=ids).values_list("storage_name", flat=True))
        Report.objects.filter(pk__in=ids).delete()
        held = Report.objects.filter(expires_at__lte=now, legal_hold=True).count()
        if ids:
            core_services.audit_record(
                actor=None,
                action=AuditAction.DELETE,
                obj=Report(),
                after={"purged_reports": len(ids), "purged_files": len(names), "kept_on_legal_hold": held},
            )
    # Files go once the rows are gone for good: a rolled-back purge must not leave rows whose
    # files were already deleted (an orphan file is harmless: it is ciphertext without its key).
    for name in names:
        storage.delete(name)
    if ids:
        # The deleted rows' pages stay whole in SQLite's write-ahead log until a checkpoint, which
        # cannot run inside a transaction: now, or when the caller's transaction commits.
        transaction.on_commit(core_services_system.flush_deleted_data)
    return Purged(reports=len(ids), files=len(names), held=held)


def _units(report_ids: list[int]) -> list[int]:
    return sorted(
        set(ReportRecipient.objects.filter(report_id__in=report_ids).values_list("unit_id", flat=True))
    )


def remind_expiring(now: datetime) -> int:
    """One e-mail per handler concerned, however many reports; each report is reminded once."""
    ids: list[int] = []
    for category in Category.objects.all():
        ids.extend(
            Report.objects.filter(
                category=category,
                legal_hold=False,
                expiry_reminded_at__isnull=True,
                expires_at__isnull=False,
                expires_at__lte=now + timedelta(days=category.reminder_days),
            ).values_list("id", flat=True)
        )
    if ids:
        notifications.send(users=notifications.handlers_of(_units(ids)), event="expiry")
        Report.objects.filter(pk__in=ids).update(expiry_reminded_at=now)
    return len(ids)


def remind_due(now: datetime) -> int:
    """Open reports within two days of their deadline or past it, not yet reminded for this
    deadline (a reminder sent before the current deadline's notice period was for an older one)."""
    due = Report.objects.filter(due_at__lte=now + DUE_NOTICE).exclude(status__in=CLOSED_STATUSES)
    due = due.filter(Q(due_reminded_at__isnull=True) | Q(due_reminded_at__lt=F("due_at") - DUE_NOTICE))
    ids = list(due.values_list("id", flat=True))
    if ids:
        notifications.send(users=notifications.handlers_of(_units(ids)), event="due")
        Report.objects.filter(pk__in=ids).update(due_reminded_at=now)
    return len(ids)
