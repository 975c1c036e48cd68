"""Retention: reminders before deadlines and deletion, deletion for good, legal hold, tallies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tabyin.core import background
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import (
    ArchivedTally,
    IdentityRequest,
    Message,
    Note,
    Report,
    ReportFile,
    ReportRecipient,
)
from tabyin.reports.retention import services as services_retention
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CANARY = "CANARY-retention-51c2"


@pytest.fixture
def handlers(tehran_security: User, hq_units_with_keys: dict[str, User]) -> dict[str, User]:
    """Handlers with e-mail addresses (notifications skip accounts without one)."""
    users = {"tehran": tehran_security, **hq_units_with_keys}
    for name, user in users.items():
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
    return users


def _report(**fields: Any) -> Report:
    """A real submission (Tehran bribery unless told), then dated and closed as the test needs."""
    category = fields.pop("category", "bribery")
    extra = fields.pop("form", {})
    files = fields.pop("files", None)
    submitted = helpers.submit(
        category=category, files=files, what=f"{CANARY} کارمند باجه برای انجام کار پول نقد خواست.", **extra
    )
    Report.objects.filter(pk=submitted.report.pk).update(**fields)
    return Report.objects.get(pk=submitted.report.pk)


def _stored(report: Report) -> list[Path]:
    root = Path(settings.TABYIN_REPORTS_FILES_DIR)
    return [
        root / name
        for name in ReportFile.objects.filter(report=report).values_list("storage_name", flat=True)
    ]


def _mail_text() -> str:
    return "\n".join(f"{m.subject}\n{m.body}\n{m.alternatives}" for m in mail.outbox)


def test_expired_reports_are_deleted_with_everything_and_leave_exact_tallies(
    handlers: dict[str, User],
) -> None:
    closed = "closed_substantiated"
    first = _report(
        files=[("رسید.pdf", helpers.PDF)],
        status=closed,
        received_at=datetime(2025, 3, 20, 21, 0, tzinfo=UTC),  # 1404/01/01 00:30 in Tehran
        closed_at=datetime(2025, 3, 30, 22, 0, tzinfo=UTC),
        expires_at=NOW - timedelta(days=1),
    )
    second = _report(
        status=closed,
        received_at=datetime(2025, 6, 1, 10, 0, tzinfo=UTC),
        closed_at=datetime(2025, 6, 21, 9, 0, tzinfo=UTC),  # 19 whole days
        expires_at=NOW,
    )
    national = _report(
        category="security",
        form={"province": "hq", "place_kind": "hq", "q_urgent": "no"},
        status="closed_unsubstantiated",
        received_at=datetime(2025, 3, 20, 20, 0, tzinfo=UTC),  # still 1403/12/30 in Tehran
        closed_at=datetime(2025, 4, 4, 20, 0, tzinfo=UTC),
        expires_at=NOW - timedelta(days=400),
    )
    held = _report(
        files=[("held.pdf", helpers.PDF)], status=closed, expires_at=NOW - timedelta(days=3), legal_hold=True
    )
    alive = _report(files=[("alive.pdf", helpers.PDF)], status=closed, expires_at=NOW + timedelta(seconds=1))
    Message.objects.create(report=first, author="reporter", body=b"x")
    Note.objects.create(report=first, author=handlers["tehran"], body=b"x")
    IdentityRequest.objects.create(
        report=first,
        unit=OrgUnit.objects.get(code="ir-23-security"),
        requested_by=handlers["tehran"],
        reason="r",
    )
    gone_files, kept_files = _stored(first), _stored(held) + _stored(alive)
    assert all(p.exists() for p in gone_files + kept_files) and len(gone_files) == 1

    purged = services_retention.purge_expired(NOW)

    assert purged == services_retention.Purged(reports=3, files=1, held=1)
    assert set(Report.objects.values_list("id", flat=True)) == {held.pk, alive.pk}
    assert not any(p.exists() for p in gone_files)
    assert all(p.exists() for p in kept_files)
    gone = [first.pk, second.pk, national.pk]
    for model in (Message, Note, ReportFile, ReportRecipient, IdentityRequest):
        assert not model.objects.filter(report_id__in=gone).exists()
    tallies = sorted(
        (
            t.year,
            t.category.code,
            t.province.iso_code if t.province else None,
            t.status,
            t.count,
            t.days_to_close,
        )
        for t in ArchivedTally.objects.select_related("category", "province")
    )
    assert tallies == [
        (1403, "security", None, "closed_unsubstantiated", 1, [15]),
        (1404, "bribery", "IR-23", "closed_substantiated", 2, [10, 19]),
    ]
    entry = AuditEntry.objects.get(object_type="reports.report", action="delete")
    assert (entry.actor, entry.after) == (
        None,
        {"purged_reports": 3, "purged_files": 1, "kept_on_legal_hold": 1},
    )
    # Nothing more to do: no second entry, tallies unchanged.
    assert services_retention.purge_expired(NOW) == services_retention.Purged(reports=0, files=0, held=1)
    assert AuditEntry.objects.filter(object_type="reports.report", action="delete").count() == 1
    assert ArchivedTally.objects.get(category__code="bribery").count == 2


@pytest.mark.django_db(transaction=True)
def test_a_purge_empties_the_write_ahead_log_after_deleting(handlers: dict[str, User]) -> None:
    """The deleted rows' old pages stay whole in SQLite's write-ahead log until a checkpoint; the
    purge truncates it (tests/core/test_data_at_rest.py shows what that does to the files)."""
    _report(files=[], status="closed_substantiated", expires_at=NOW - timedelta(days=1))

    with CaptureQueriesContext(connection) as queries:
        assert services_retention.purge_expired(NOW).reports == 1

    statements = [q["sql"] for q in queries.captured_queries]
    deleted = max(i for i, sql in enumerate(statements) if sql.startswith('DELETE FROM "reports_report"'))
    if connection.vendor == "sqlite":
        assert statements[-1] == "PRAGMA wal_checkpoint(TRUNCATE)"
        assert deleted < len(statements) - 1
    else:  # PostgreSQL: nothing to checkpoint by hand (docs/modules/core.md on VACUUM)
        assert not [sql for sql in statements if "checkpoint" in sql.lower()]


def test_a_later_purge_adds_to_the_same_tally(handlers: dict[str, User]) -> None:
    day = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    for days in (3, 8):
        _report(status="referred", received_at=day, expires_at=NOW - timedelta(days=days))
        services_retention.purge_expired(NOW - timedelta(days=days) + timedelta(hours=1))
    tally = ArchivedTally.objects.get()
    assert (tally.year, tally.status, tally.count, tally.days_to_close) == (1404, "referred", 2, [])


def test_a_legal_hold_set_through_the_service_prevents_deletion(handlers: dict[str, User]) -> None:
    report = _report(files=[("e.pdf", helpers.PDF)])
    services_case.status_set(actor=handlers["tehran"], report=report, status="closed_unsubstantiated")
    key = services_keys.keys_unlock(user=handlers["tehran"], passphrase=helpers.PASSPHRASE)
    services_case.legal_hold_set(
        actor=handlers["tehran"], unlocked=key, report=report, on=True, reason="پروندهٔ قضایی باز است"
    )
    report.refresh_from_db()
    assert report.expires_at is not None
    files = _stored(report)
    later = report.expires_at + timedelta(days=1)
    assert services_retention.purge_expired(later).reports == 0
    assert Report.objects.filter(pk=report.pk).exists() and all(p.exists() for p in files)
    services_case.legal_hold_set(
        actor=handlers["tehran"], unlocked=key, report=report, on=False, reason="پرونده بسته شد"
    )
    assert services_retention.purge_expired(later).reports == 1
    assert not Report.objects.filter(pk=report.pk).exists() and not any(p.exists() for p in files)


def test_handlers_are_reminded_once_before_deletion_and_the_mail_says_nothing(
    handlers: dict[str, User],
) -> None:
    # Bribery reminds 60 days ahead.
    soon = _report(status="closed_substantiated", expires_at=NOW + timedelta(days=59))
    later = _report(status="closed_substantiated", expires_at=NOW + timedelta(days=61))
    _report(status="closed_substantiated", expires_at=NOW + timedelta(days=1), legal_hold=True)
    mail.outbox.clear()

    assert services_retention.remind_expiring(NOW) == 1

    assert sorted(m.to[0] for m in mail.outbox) == ["tehran@example.org", "violations-board@example.org"]
    assert {m.subject for m in mail.outbox} == {
        "گزارش‌هایی در پایان دورهٔ نگهداری حذف خواهند شد"  # staff e-mails go out in Persian
    }
    assert CANARY not in _mail_text() and "bribery" not in _mail_text().lower()
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.expiry_reminded_at, later.expiry_reminded_at) == (NOW, None)
    assert services_retention.remind_expiring(NOW) == 0
    assert len(mail.outbox) == 2


def test_handlers_are_reminded_of_deadlines_once_per_deadline(handlers: dict[str, User]) -> None:
    near = _report(due_at=NOW + timedelta(days=1, hours=23))
    overdue = _report(due_at=NOW - timedelta(days=5))
    _report(due_at=NOW + timedelta(days=2, hours=1))
    _report(due_at=NOW - timedelta(days=5), status="closed_unsubstantiated")
    mail.outbox.clear()

    assert services_retention.remind_due(NOW) == 2

    # One e-mail per handler, however many reports.
    assert sorted(m.to[0] for m in mail.outbox) == ["tehran@example.org", "violations-board@example.org"]
    assert {m.subject for m in mail.outbox} == {"مهلت رسیدگی به گزارشی نزدیک است"}
    assert CANARY not in _mail_text()
    assert set(Report.objects.filter(due_reminded_at=NOW).values_list("id", flat=True)) == {
        near.pk,
        overdue.pk,
    }
    assert services_retention.remind_due(NOW + timedelta(minutes=30)) == 0
    assert services_retention.remind_due(NOW + timedelta(days=1)) == 1  # the one due in 2 days 1 hour
    # A new deadline earns a new reminder when it comes near.
    services_case.deadline_set(actor=handlers["tehran"], report=overdue, due_at=NOW + timedelta(days=10))
    assert services_retention.remind_due(NOW + timedelta(days=7)) == 0
    assert services_retention.remind_due(NOW + timedelta(days=8)) == 1
    assert CANARY not in _mail_text()


def test_the_purge_command_and_the_periodic_jobs(handlers: dict[str, User]) -> None:
    _report(
        status="closed_substantiated",
        expires_at=datetime(2020, 1, 1, tzinfo=UTC),
        files=[("a.pdf", helpers.PDF)],
    )
    out = StringIO()
    call_command("reports_purge", stdout=out)
    assert out.getvalue() == "deleted 1 reports and 1 files; 0 expired reports kept on legal hold\n"
    schedule = background.schedule()
    assert schedule["reports.retention"].every == timedelta(hours=6)
    assert schedule["reports.deadlines"].every == timedelta(hours=1)
    assert background.run("reports.retention", {}) == {
        "reminded": 0,
        "purged": 0,
        "files": 0,
        "held": 0,
    }
