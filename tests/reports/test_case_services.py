"""Case work through the services: who may read and act, what is kept, what the audit says."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import AuditEntry, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import Author, CaseStatus
from tabyin.reports.intake import services_reporter, validation
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Message, Note, Report, ReportRecipient
from tests import factories
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

CANARY = "CANARY-7f3a9 the clerk asked for cash"


def opened(user: User) -> services_keys.Unlocked:
    return services_keys.keys_unlock(user=user, passphrase=helpers.PASSPHRASE)


def report_for_tehran(**overrides: Any) -> tuple[Report, str]:
    """A bribery report in Tehran; with only Tehran's security office holding keys it goes there."""
    overrides.setdefault("what", f"{CANARY}: " + helpers.form()["what"])
    submitted = helpers.submit(**overrides)
    return submitted.report, submitted.code


def audit_rows(report: Report) -> list[AuditEntry]:
    """The changes made to a report (reads are audited too; test_reads_are_audited covers them)."""
    return list(
        AuditEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .exclude(action=AuditAction.VIEW)
        .order_by("id")
    )


def test_reads_are_audited_without_content(tehran_security: User) -> None:
    report, _code = report_for_tehran(files=[("a.pdf", helpers.PDF)])
    unlocked = opened(tehran_security)
    case = services_case.case_open(actor=tehran_security, unlocked=unlocked, report_id=report.pk)
    services_case.file_read(actor=tehran_security, unlocked=unlocked, report=report, file_id=case.files[0].id)
    reads = AuditEntry.objects.filter(object_id=str(report.pk), action=AuditAction.VIEW).order_by("id")
    assert [(e.actor_username, e.unit.code, e.after) for e in reads] == [
        ("tehran.security", "ir-23-security", {}),
        ("tehran.security", "ir-23-security", {"file": case.files[0].id}),
    ]


def test_the_receiving_unit_reads_everything_and_reporter_messages_become_read(tehran_security: User) -> None:
    report, code = report_for_tehran(files=[("رسید.pdf", helpers.PDF)])
    access = services_reporter.receipt_open(raw_code=code)
    assert access is not None
    services_reporter.reporter_message_send(access=access, text="پیام دوم گزارشگر", files=[])
    assert Message.objects.get().read_at is None

    case = services_case.case_open(
        actor=tehran_security, unlocked=opened(tehran_security), report_id=report.pk, language="en"
    )

    assert case.what.startswith(CANARY)
    assert case.place_name == "شعبهٔ ۱۲ تهران"
    assert case.answers == [("Was any money paid?", "No")]
    assert [f.label for f in case.files] == ["رسید.pdf"]
    assert [(m.author, m.text) for m in case.messages] == [(Author.REPORTER, "پیام دوم گزارشگر")]
    assert [(r.unit.code, r.own) for r in case.recipients] == [("ir-23-security", True)]
    assert case.identity is None
    assert Message.objects.get().read_at is not None


@pytest.mark.parametrize(
    ("username", "unit_code"), [("t.insp", "ir-23-inspection"), ("g.sec", "ir-01-security")]
)
def test_a_handler_of_another_unit_or_province_can_do_nothing(
    tehran_security: User, username: str, unit_code: str
) -> None:
    report, _code = report_for_tehran()
    other = factories.persona(username, unit_code, Role.CASE_HANDLER)
    key = helpers.keys_for(other)
    calls = [
        lambda: services_case.case_open(actor=other, unlocked=key, report_id=report.pk),
        lambda: services_case.status_set(actor=other, report=report, status=CaseStatus.UNDER_REVIEW),
        lambda: services_case.assign(actor=other, report=report, assignee=other),
        lambda: services_case.note_add(actor=other, unlocked=key, report=report, text="x"),
        lambda: services_case.deadline_set(actor=other, report=report, due_at=timezone.now()),
        lambda: services_case.legal_hold_set(actor=other, unlocked=key, report=report, on=True, reason="x"),
        lambda: services_case.file_read(actor=other, unlocked=key, report=report, file_id=1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Report.objects.get().status == CaseStatus.RECEIVED


def test_an_administrator_passes_no_check(tehran_security: User, hq_admin: User) -> None:
    report, _code = report_for_tehran()
    fake = services_keys.Unlocked(user_id=hq_admin.pk, private_key=sodium.keypair()[1])
    with pytest.raises(PermissionDenied):
        services_case.case_open(actor=hq_admin, unlocked=fake, report_id=report.pk)
    with pytest.raises(PermissionDenied):
        services_case.status_set(actor=hq_admin, report=report, status=CaseStatus.CLOSED_SUBSTANTIATED)


def test_a_colleague_without_a_share_is_told_to_wait(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    newcomer = factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    key = helpers.keys_for(newcomer)
    with pytest.raises(services_case.NoShareError):
        services_case.case_open(actor=newcomer, unlocked=key, report_id=report.pk)
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    services_keys.keys_share(
        actor=tehran_security, unlocked=opened(tehran_security), keyring=keyring, user=newcomer
    )
    assert services_case.case_open(actor=newcomer, unlocked=key, report_id=report.pk).what.startswith(CANARY)


def test_closing_sets_the_deletion_date_from_the_category_and_reopening_clears_it(
    tehran_security: User,
) -> None:
    report, _code = report_for_tehran()
    services_case.status_set(actor=tehran_security, report=report, status=CaseStatus.CLOSED_UNSUBSTANTIATED)
    report.refresh_from_db()
    assert report.closed_at is not None
    assert report.category.retention_days == 3650
    assert report.expires_at == report.closed_at + timedelta(days=3650)

    services_case.status_set(actor=tehran_security, report=report, status=CaseStatus.INVESTIGATING)
    report.refresh_from_db()
    assert (report.status, report.closed_at, report.expires_at) == (CaseStatus.INVESTIGATING, None, None)
    entries = audit_rows(report)
    assert [e.after["status"] for e in entries[1:]] == ["closed_unsubstantiated", "investigating"]
    assert entries[1].before["status"] == "received"
    assert entries[1].unit is not None and entries[1].unit.code == "ir-23-security"


def test_assign_only_to_a_handler_of_the_unit(tehran_security: User, tehran_inspection: User) -> None:
    report, _code = report_for_tehran()
    with pytest.raises(ValidationError):
        services_case.assign(actor=tehran_security, report=report, assignee=tehran_inspection)
    services_case.assign(actor=tehran_security, report=report, assignee=tehran_security)
    assert Report.objects.get().assignee == tehran_security
    assert audit_rows(report)[-1].after == {"assignee": "tehran.security"}


def test_notes_and_messages_are_stored_encrypted_and_the_reporter_reads_the_message(
    tehran_security: User,
) -> None:
    report, code = report_for_tehran()
    key = opened(tehran_security)
    services_case.note_add(actor=tehran_security, unlocked=key, report=report, text="NOTE-CANARY یادداشت")
    services_case.message_send(
        actor=tehran_security,
        unlocked=key,
        report=report,
        text="MSG-CANARY لطفاً رسید را بفرستید",
        files=[validation.Attachment(name="form.pdf", data=helpers.PDF)],
        max_files=5,
        max_bytes=1024 * 1024,
    )
    assert b"NOTE-CANARY" not in bytes(Note.objects.get().body)
    assert b"MSG-CANARY" not in bytes(Message.objects.get().body)
    access = services_reporter.receipt_open(raw_code=code)
    assert access is not None
    said = services_reporter.reporter_case(access=access).messages
    assert [(s.author, s.text, [f.label for f in s.files]) for s in said] == [
        (Author.HANDLER, "MSG-CANARY لطفاً رسید را بفرستید", ["form.pdf"])
    ]
    assert mail.outbox == []  # the reporter has no address; nobody else needs telling
    for entry in AuditEntry.objects.all():
        assert "CANARY" not in str(entry.before) + str(entry.after)


@pytest.mark.abuse
def test_an_empty_message_or_a_disguised_file_stores_nothing(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    with pytest.raises(validation.SubmissionError) as refused:
        services_case.message_send(
            actor=tehran_security,
            unlocked=opened(tehran_security),
            report=report,
            text="\u202e  ",
            files=[validation.Attachment(name="x.pdf", data=b"MZ\x90\x00 not a pdf")],
            max_files=5,
            max_bytes=1024 * 1024,
        )
    assert sorted(refused.value.errors) == ["body", "files"]
    assert Message.objects.count() == 0


def test_transfer_moves_access_and_is_audited_with_both_units(
    tehran_security: User, tehran_inspection: User, django_capture_on_commit_callbacks: Any
) -> None:
    report, _code = report_for_tehran()
    tehran_inspection.email = "insp@example.org"
    tehran_inspection.save()
    with django_capture_on_commit_callbacks(execute=True):
        services_case.transfer(
            actor=tehran_security,
            unlocked=opened(tehran_security),
            report=report,
            to_unit=factories.unit("ir-23-inspection"),
            reason="a matter for inspection",
        )
    assert list(ReportRecipient.objects.values_list("unit__code", flat=True)) == ["ir-23-inspection"]
    with pytest.raises(PermissionDenied):
        services_case.case_open(actor=tehran_security, unlocked=opened(tehran_security), report_id=report.pk)
    case = services_case.case_open(
        actor=tehran_inspection, unlocked=opened(tehran_inspection), report_id=report.pk
    )
    assert case.what.startswith(CANARY)
    entry = audit_rows(report)[-1]
    assert entry.before == {"unit": "ir-23-security"}
    # The reason may retell the report: it goes to an encrypted note the new unit reads, not the log.
    assert entry.after == {"unit": "ir-23-inspection", "reason_note": Note.objects.get(report=report).pk}
    assert case.notes[-1].text == (
        "Transferred from حراست تهران to بازرسی تهران. Reason: a matter for inspection"
    )
    assert "a matter for inspection" not in str(entry.before) + str(entry.after)
    assert [m.to for m in mail.outbox] == [["insp@example.org"]]
    assert CANARY not in mail.outbox[0].body and "bribery" not in mail.outbox[0].body


def test_transfer_refuses_a_unit_without_keys_or_one_the_reporter_excluded(tehran_security: User) -> None:
    report, _code = report_for_tehran(lists={"excluded": ["inspection"]})
    key = opened(tehran_security)
    with pytest.raises(ValidationError, match="cannot read reports yet"):
        services_case.transfer(
            actor=tehran_security,
            unlocked=key,
            report=report,
            to_unit=factories.unit("ir-01-security"),
            reason="r",
        )
    inspection = factories.persona("t.insp", "ir-23-inspection", Role.CASE_HANDLER)
    helpers.keys_for(inspection)
    with pytest.raises(ValidationError, match="asked that this kind of office not receive"):
        services_case.transfer(
            actor=tehran_security,
            unlocked=key,
            report=report,
            to_unit=factories.unit("ir-23-inspection"),
            reason="r",
        )
    with pytest.raises(ValidationError):
        services_case.transfer(
            actor=tehran_security, unlocked=key, report=report, to_unit=factories.unit("ir-23"), reason="r"
        )
    assert list(ReportRecipient.objects.values_list("unit__code", flat=True)) == ["ir-23-security"]


def test_legal_hold_needs_a_reason_and_is_audited(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    key = opened(tehran_security)
    with pytest.raises(ValidationError):
        services_case.legal_hold_set(actor=tehran_security, unlocked=key, report=report, on=True, reason="  ")
    services_case.legal_hold_set(
        actor=tehran_security, unlocked=key, report=report, on=True, reason="court order 12"
    )
    assert Report.objects.get().legal_hold is True
    entry = audit_rows(report)[-1]
    # The reason is an encrypted note (issue 15.5); the audit log points to it.
    note = Note.objects.get()
    assert (entry.before, entry.after) == (
        {"legal_hold": False},
        {"legal_hold": True, "reason_note": note.pk},
    )
    case = services_case.case_open(actor=tehran_security, unlocked=key, report_id=report.pk)
    assert [n.text for n in case.notes] == ["Legal hold placed. Reason: court order 12"]


def test_a_new_deadline_is_audited_and_earns_a_new_reminder(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    Report.objects.filter(pk=report.pk).update(due_reminded_at=timezone.now())
    due = timezone.now() + timedelta(days=45)
    services_case.deadline_set(actor=tehran_security, report=report, due_at=due)
    report.refresh_from_db()
    assert (report.due_at, report.due_reminded_at) == (due, None)
    assert audit_rows(report)[-1].after == {"due_at": due.isoformat()}
