"""Case work on one report by the handlers of a unit that received it.

Every function starts with ``recipient_for``: the actor must hold the case-handler role in a unit
the report was routed to, so an administrator (who can hold no such role) or a handler of another
unit or province stops there with ``PermissionDenied``. Reading or writing ciphertext needs, in
addition, the unit's private key, opened from the actor's own unlocked key (``services_keys``).

Audit entries name the report ("report 12") and hold only what the staff list shows anyway:
status, assignee, unit codes, dates, the hold. Never a word the reporter wrote.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import Membership, OrgUnit, User
from tabyin.core.notify import public as public_notify
from tabyin.reports import permissions
from tabyin.reports.cases.selectors import (
    CaseView,
    MessageView,
    NoShareError,
    NoteView,
    RecipientView,
    content_key,
    file_view,
    history,
    identity_of,
    named_answers,
    note_text,
    recipient_for,
    request_view,
    route_note,
    unit_private,
)
from tabyin.reports.config import routing
from tabyin.reports.crypto import sodium, storage
from tabyin.reports.enums import CLOSED_STATUSES, Author, CaseStatus, DisclosureState
from tabyin.reports.intake import validation
from tabyin.reports.intake.services import store_files
from tabyin.reports.intake.services_reporter import FileDownload, download
from tabyin.reports.keys import sealing
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import IdentityRequest, Message, Note, Report, ReportFile, ReportRecipient
from tabyin.reports.notices import services as notifications

# Callers reach the access checks through this module too (views, services_identity).
__all__ = ["CaseView", "NoShareError", "content_key", "recipient_for"]

NOTE_MAX = 10_000
REASON_MAX = 2_000


def _report(report_id: int) -> Report:
    report = Report.objects.select_related("category", "province", "assignee").filter(pk=report_id).first()
    if report is None:
        raise Report.DoesNotExist
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("category").get(pk=report.pk)


def _text(value: str, *, limit: int, field: str) -> str:
    text = validation.inert(value)
    if not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("Please keep this under %(n)d characters.") % {"n": limit}})
    return text


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def case_open(
    *, actor: User, unlocked: services_keys.Unlocked, report_id: int, language: str = "fa"
) -> CaseView:
    """Everything about a report the actor's unit may read, decrypted; reporter messages marked read."""
    report = _report(report_id)
    recipient = recipient_for(actor, report)
    private = unit_private(actor, unlocked, recipient)
    key = sodium.unseal(private, recipient.sealed_content_key)
    content: dict[str, Any] = sodium.decrypt_json(key, report.content)
    files = list(report.files.all())
    messages = []
    for message in report.messages.select_related("handler"):
        messages.append(
            MessageView(
                author=message.author,
                handler=str(message.handler) if message.handler else "",
                at=message.created_at,
                text=sodium.decrypt(key, message.body).decode(),
                files=[file_view(key, f) for f in files if f.message_id == message.pk],
            )
        )
    report.messages.filter(author=Author.REPORTER, read_at__isnull=True).update(read_at=timezone.now())
    core_services.audit_record(actor=actor, action=AuditAction.VIEW, obj=report, unit=recipient.unit)
    requests = list(report.identity_requests.select_related("unit", "requested_by", "decided_by"))
    return CaseView(
        report=report,
        unit=recipient.unit,
        category=report.category,
        place_name=str(content.get("place_name", "")),
        when=str(content.get("when", "")),
        what=str(content.get("what", "")),
        who=str(content.get("who", "")),
        answers=named_answers(report.category, dict(content.get("answers") or {}), language),
        concerns=list(content.get("concerns") or []),
        excluded=list(content.get("excluded") or []),
        identity=identity_of(report, recipient, key, private),
        files=[file_view(key, f) for f in files if f.message_id is None],
        messages=messages,
        notes=[
            NoteView(
                author=str(n.author) if n.author else "",
                at=n.created_at,
                text=note_text(n, key=key, keyring_id=recipient.keyring_id, private=private),
            )
            for n in report.notes.select_related("author")
        ],
        recipients=[
            RecipientView(
                unit=r.unit,
                route_note=route_note(r, private) if r.keyring_id == recipient.keyring_id else "",
                own=r.pk == recipient.pk,
            )
            for r in report.recipients.select_related("unit").order_by("id")
        ],
        history=history(report),
        identity_requests=[request_view(r, recipient.keyring_id, private) for r in requests],
        pending_identity=next((r for r in requests if r.state == DisclosureState.PENDING), None),
        overdue=report.status not in CLOSED_STATUSES and report.due_at < timezone.now(),
    )


def file_read(*, actor: User, unlocked: services_keys.Unlocked, report: Report, file_id: int) -> FileDownload:
    recipient, key = content_key(actor, unlocked, report)
    found = ReportFile.objects.filter(pk=file_id, report=report).first()
    if found is None:
        raise LookupError("no such file on this report")
    core_services.audit_record(
        actor=actor, action=AuditAction.VIEW, obj=report, unit=recipient.unit, after={"file": found.pk}
    )
    return download(key=key, found=found)


# --- writing -------------------------------------------------------------------------------------


def _audit(actor: User, report: Report, unit: OrgUnit, action: AuditAction, **changes: Any) -> None:
    before = changes.pop("before", None)
    core_services.audit_record(
        actor=actor, action=action, obj=report, unit=unit, before=before, after=changes
    )


@transaction.atomic
def status_set(*, actor: User, report: Report, status: str) -> Report:
    recipient = recipient_for(actor, report)
    if status not in CaseStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    report = _locked(report)
    before = {
        "status": report.status,
        "closed_at": _iso(report.closed_at),
        "expires_at": _iso(report.expires_at),
    }
    closing = status in CLOSED_STATUSES
    if closing and report.closed_at is None:
        report.closed_at = timezone.now()
        report.expires_at = report.closed_at + timedelta(days=report.category.retention_days)
        report.expiry_reminded_at = None
    elif not closing:
        report.closed_at = report.expires_at = report.expiry_reminded_at = None
    report.status = status
    report.save(update_fields=["status", "closed_at", "expires_at", "expiry_reminded_at", "updated_at"])
    _audit(
        actor,
        report,
        recipient.unit,
        AuditAction.UPDATE,
        before=before,
        status=report.status,
        closed_at=_iso(report.closed_at),
        expires_at=_iso(report.expires_at),
    )
    return report


def assignable(actor: User, report: Report) -> list[User]:
    """The handlers of the actor's unit for this report: whom a case may be assigned to."""
    recipient = recipient_for(actor, report)
    ids = Membership.objects.filter(role=Role.CASE_HANDLER, unit=recipient.unit).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def assign(*, actor: User, report: Report, assignee: User | None) -> Report:
    recipient = recipient_for(actor, report)
    if assignee is not None and assignee not in assignable(actor, report):
        raise ValidationError({"assignee": _("Assign the report to a case handler of your unit.")})
    report = _locked(report)
    before = {"assignee": report.assignee.get_username() if report.assignee else None}
    report.assignee = assignee
    report.save(update_fields=["assignee", "updated_at"])
    _audit(
        actor,
        report,
        recipient.unit,
        AuditAction.UPDATE,
        before=before,
        assignee=assignee.get_username() if assignee else None,
    )
    return report


@transaction.atomic
def note_add(*, actor: User, unlocked: services_keys.Unlocked, report: Report, text: str) -> Note:
    recipient, key = content_key(actor, unlocked, report)
    body = _text(text, limit=NOTE_MAX, field="body")
    note = Note.objects.create(report=report, author=actor, body=sodium.encrypt(key, body.encode()))
    _audit(actor, report, recipient.unit, AuditAction.CREATE, note=note.pk)
    return note


def message_send(
    *,
    actor: User,
    unlocked: services_keys.Unlocked,
    report: Report,
    text: str,
    files: list[validation.Attachment],
    max_files: int,
    max_bytes: int,
) -> Message:
    """To the reporter, who reads it with their receipt code. No e-mail: the reporter has no address.
    Raises ``validation.SubmissionError`` when the text or a file is refused; nothing is stored then."""
    recipient, key = content_key(actor, unlocked, report)
    invalid = validation.SubmissionError()
    body = ""
    try:
        body = validation.check_message(text)
    except ValueError as error:
        invalid.add("body", str(error))
    checked = validation.check_files(files, max_files=max_files, max_bytes=max_bytes, invalid=invalid)
    if invalid.errors:
        raise invalid
    written: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                report=report, author=Author.HANDLER, handler=actor, body=sodium.encrypt(key, body.encode())
            )
            for stored in store_files(
                report=report, key=key, files=checked, author=Author.HANDLER, message_id=message.pk
            ):
                written.append(stored.storage_name)
            _audit(actor, report, recipient.unit, AuditAction.CREATE, message=message.pk, files=len(checked))
            # The reporter's inbox (and SMS, Bale or push if they chose one): that, never what.
            with translation.override(settings.LANGUAGE_CODE):
                public_notify.tell_public(
                    app="reports", ref=f"report-{report.pk}", key=f"message-{message.pk}",
                    title=_("There is a new message about your report"),
                    body=_("Open your report with its receipt code to read it."),
                    url=reverse("reports:follow-up"),
                )  # fmt: skip
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return message


@transaction.atomic
def deadline_set(*, actor: User, report: Report, due_at: datetime) -> Report:
    recipient = recipient_for(actor, report)
    report = _locked(report)
    before = {"due_at": _iso(report.due_at)}
    report.due_at = due_at
    report.due_reminded_at = None  # a new deadline earns a new reminder
    report.save(update_fields=["due_at", "due_reminded_at", "updated_at"])
    _audit(actor, report, recipient.unit, AuditAction.UPDATE, before=before, due_at=_iso(due_at))
    return report


def transfer_targets(actor: User, report: Report) -> list[OrgUnit]:
    """Receiving units that can read (have a keyring) and do not have the report yet."""
    recipient_for(actor, report)
    have = ReportRecipient.objects.filter(report=report).values("unit_id")
    return list(
        OrgUnit.objects.filter(
            is_active=True,
            kind__in=validation.RECEIVING,
            id__in=[keyring.unit_id for keyring in routing.readable_keyrings()],
        )
        .exclude(id__in=have)
        .order_by("province__iso_code", "kind", "code")
    )


@transaction.atomic
def transfer(
    *, actor: User, unlocked: services_keys.Unlocked, report: Report, to_unit: OrgUnit, reason: str
) -> Report:
    """Hand the report to another unit: its key sealed to that unit, the actor's unit removed."""
    recipient, key = content_key(actor, unlocked, report)
    why = _text(reason, limit=REASON_MAX, field="reason")
    if not permissions.can_receive(to_unit) or not to_unit.is_active:
        raise ValidationError(
            {"unit": _("Only a violations board, security office or inspection can receive it.")}
        )
    if ReportRecipient.objects.filter(report=report, unit=to_unit).exists():
        raise ValidationError({"unit": _("That unit already has this report.")})
    keyring = next((k for k in routing.readable_keyrings() if k.unit_id == to_unit.pk), None)
    if keyring is None:
        raise ValidationError(
            {"unit": _("That unit cannot read reports yet: none of its handlers has set a passphrase.")}
        )
    content = sodium.decrypt_json(key, report.content)
    if to_unit.kind in (content.get("excluded") or []):
        raise ValidationError(
            {"unit": _("The reporter asked that this kind of office not receive the report.")}
        )
    if to_unit.kind in (content.get("concerns") or []) and to_unit.province_id is not None:
        raise ValidationError(
            {"unit": _("The report names staff of this kind of office: send it to headquarters instead.")}
        )
    ReportRecipient.objects.create(
        report=report,
        unit=to_unit,
        keyring=keyring,
        sealed_content_key=sodium.seal(bytes(keyring.public_key), key),
        route_note=sodium.seal(bytes(keyring.public_key), f"transferred from {recipient.unit.code}".encode()),
    )
    # The reason may retell the report, so it is kept as an encrypted note for the new unit, not in
    # the audit log that administrators read; the audit entry points to the note.
    note = Note.objects.create(
        report=report,
        author=actor,
        body=sodium.encrypt(
            key,
            (
                _("Transferred from %(from)s to %(to)s. Reason: %(reason)s")
                % {"from": recipient.unit.name_fa, "to": to_unit.name_fa, "reason": why}
            ).encode(),
        ),
    )
    # A pending identity request follows the report: an approval must seal to a unit that can read
    # it, and the new unit reads the reason given.
    private = unit_private(actor, unlocked, recipient)
    for pending in IdentityRequest.objects.filter(
        report=report, unit=recipient.unit, state=DisclosureState.PENDING
    ):
        pending.unit = to_unit
        pending.reason = sealing.reseal(
            pending.reason, keyring_id=recipient.keyring_id, private=private, to=keyring
        )
        pending.save(update_fields=["unit", "reason"])
    recipient.delete()
    report = _locked(report)
    before_assignee = report.assignee.get_username() if report.assignee else None
    report.assignee = None  # the old unit's handler can no longer read it
    report.save(update_fields=["assignee", "updated_at"])
    core_services.audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        unit=recipient.unit,
        before={"unit": recipient.unit.code, "assignee": before_assignee},
        after={"unit": to_unit.code, "assignee": None, "reason_note": note.pk},
    )
    users = notifications.handlers_of([to_unit.pk])
    transaction.on_commit(lambda: notifications.send(users=users, event="transfer"))
    return report


@transaction.atomic
def legal_hold_set(
    *, actor: User, unlocked: services_keys.Unlocked, report: Report, on: bool, reason: str
) -> Report:
    """The reason (often a court's or prosecutor's letter about the case) is an encrypted note;
    the audit log keeps that the hold changed and which note says why."""
    recipient, key = content_key(actor, unlocked, report)
    why = _text(reason, limit=REASON_MAX, field="reason")
    report = _locked(report)
    before = {"legal_hold": report.legal_hold}
    report.legal_hold = on
    report.save(update_fields=["legal_hold", "updated_at"])
    said = _("Legal hold placed. Reason: %(reason)s") if on else _("Legal hold lifted. Reason: %(reason)s")
    note = Note.objects.create(
        report=report, author=actor, body=sodium.encrypt(key, (said % {"reason": why}).encode())
    )
    core_services.audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        unit=recipient.unit,
        before=before,
        after={"legal_hold": on, "reason_note": note.pk},
    )
    return report


def export_record(*, actor: User, unit: OrgUnit, rows: int) -> None:
    """Exports carry decrypted text out of the site: who took one, and how many rows, is kept."""
    core_services.audit_record(
        actor=actor, action=AuditAction.CREATE, obj=unit, unit=unit, after={"export": "reports", "rows": rows}
    )
