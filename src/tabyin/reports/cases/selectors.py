"""What handlers read. The inbox shows plain columns only, nothing decrypted: one query whatever
its length (category, province and assignee joined, unread reporter messages counted in SQL),
after the one that computes the actor's scope. A case is read through ``recipient_for`` (the
actor handles a unit that received it) and the unit's key (``content_key``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import CLOSED_STATUSES, Author, CaseStatus, DisclosureState, IdentityMode
from tabyin.reports.intake import validation
from tabyin.reports.keys import sealing
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Category, IdentityRequest, Note, Report, ReportFile, ReportRecipient

INBOX_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    status: str = ""  # a CaseStatus, "open", "closed" or "" for all
    category: str = ""  # a category code
    assignee: str = ""  # "me", "none" or ""
    overdue: bool = False


@dataclass(frozen=True)
class Row:
    report: Report
    unread: int
    overdue: bool


@dataclass(frozen=True)
class Inbox:
    rows: list[Row]
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def truncated(self) -> bool:
        return len(self.rows) >= INBOX_LIMIT


def _units(actor: User) -> frozenset[int]:
    units = permissions.handler_units(scope_for(actor))
    if not units:
        raise PermissionDenied("not a case handler")
    return units


def inbox_queryset(actor: User, filters: Filters) -> QuerySet[Report]:
    units = _units(actor)
    now = timezone.now()
    reports = (
        Report.objects.filter(id__in=ReportRecipient.objects.filter(unit_id__in=units).values("report_id"))
        .select_related("category", "province", "assignee")
        .defer("content", "identity", "receipt_salt", "receipt_verifier", "receipt_wrapped_key")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__author=Author.REPORTER, messages__read_at__isnull=True),
            )
        )
    )
    if filters.status == "open":
        reports = reports.exclude(status__in=CLOSED_STATUSES)
    elif filters.status == "closed":
        reports = reports.filter(status__in=CLOSED_STATUSES)
    elif filters.status in CaseStatus.values:
        reports = reports.filter(status=filters.status)
    if filters.category:
        reports = reports.filter(category__code=filters.category)
    if filters.assignee == "me":
        reports = reports.filter(assignee=actor)
    elif filters.assignee == "none":
        reports = reports.filter(assignee__isnull=True)
    if filters.overdue:
        reports = reports.filter(due_at__lt=now).exclude(status__in=CLOSED_STATUSES)
    return reports.order_by("-received_at", "-id")


def inbox(actor: User, filters: Filters | None = None) -> Inbox:
    now = timezone.now()
    reports = list(inbox_queryset(actor, filters or Filters())[:INBOX_LIMIT])
    rows = [
        Row(
            report=r,
            unread=int(getattr(r, "unread", 0)),
            overdue=r.status not in CLOSED_STATUSES and r.due_at < now,
        )
        for r in reports
    ]
    return Inbox(rows=rows, unit_ids=_units(actor))


def export_reports(actor: User, filters: Filters) -> list[Report]:
    """The inbox rows with their recipients (to find the unit key of each), for the CSV export."""
    return list(inbox_queryset(actor, filters).defer(None).prefetch_related("recipients")[:INBOX_LIMIT])


# --- who may read a case -------------------------------------------------------------------------


class NoShareError(PermissionDenied):
    """The actor handles the unit but no colleague has shared the unit's key with them yet."""


def recipient_for(actor: User, report: Report) -> ReportRecipient:
    """The actor's own unit among the report's recipients (the first, if they handle several)."""
    units = permissions.handler_units(scope_for(actor))
    recipient = (
        ReportRecipient.objects.filter(report=report, unit_id__in=units)
        .select_related("unit", "keyring")
        .order_by("id")
        .first()
    )
    if recipient is None:
        raise PermissionDenied("not a handler of a unit that received this report")
    return recipient


def unit_private(actor: User, unlocked: services_keys.Unlocked, recipient: ReportRecipient) -> bytes:
    if not services_keys.holds_share(actor, recipient.keyring):
        raise NoShareError("no share of this unit's key yet")
    return services_keys.keyring_private(user=actor, unlocked=unlocked, keyring=recipient.keyring)


def content_key(
    actor: User, unlocked: services_keys.Unlocked, report: Report
) -> tuple[ReportRecipient, bytes]:
    recipient = recipient_for(actor, report)
    private = unit_private(actor, unlocked, recipient)
    return recipient, sodium.unseal(private, recipient.sealed_content_key)


# --- one case, decrypted ------------------------------------------------------------------------


@dataclass(frozen=True)
class FileView:
    id: int
    label: str
    size: int
    content_type: str
    author: str


@dataclass(frozen=True)
class MessageView:
    author: str
    handler: str
    at: datetime
    text: str
    files: list[FileView]


@dataclass(frozen=True)
class NoteView:
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class RequestView:
    """An identity request with its reasons opened for the reader (empty if sealed to others)."""

    request: IdentityRequest
    reason: str
    decision: str


def request_view(request: IdentityRequest, keyring_id: int | None, private: bytes | None) -> RequestView:
    if private is None:
        return RequestView(request=request, reason="", decision="")
    return RequestView(
        request=request,
        reason=sealing.open_sealed(request.reason, keyring_id, private) or "",
        decision=sealing.open_sealed(request.decision_reason, keyring_id, private) or "",
    )


def route_note(recipient: ReportRecipient, private: bytes) -> str:
    if recipient.route_note is None:
        return ""
    try:
        return sodium.unseal(private, recipient.route_note).decode()
    except sodium.DecryptError:
        return ""


def note_text(note: Note, *, key: bytes, keyring_id: int, private: bytes) -> str:
    """A note: encrypted with the content key, or (made by the 15.5 migration) sealed to a keyring."""
    if note.sealed_to_id is None:
        return sodium.decrypt(key, note.body).decode()
    if note.sealed_to_id != keyring_id:
        return _("(Sealed to the key of the unit that held the case then.)")
    return sodium.unseal(private, note.body).decode()


@dataclass(frozen=True)
class RecipientView:
    unit: OrgUnit
    route_note: str
    own: bool


@dataclass(frozen=True)
class CaseView:
    report: Report
    unit: OrgUnit
    category: Category
    place_name: str
    when: str
    what: str
    who: str
    answers: list[tuple[str, str]]
    concerns: list[str]
    excluded: list[str]
    identity: dict[str, str] | None
    files: list[FileView]
    messages: list[MessageView]
    notes: list[NoteView]
    recipients: list[RecipientView]
    history: list[AuditEntry]
    identity_requests: list[RequestView]
    pending_identity: IdentityRequest | None
    overdue: bool


def named_answers(category: Category, answers: dict[str, str], language: str) -> list[tuple[str, str]]:
    """(question, answer) in the reader's language; an answer to a question since removed keeps its key."""
    shown: list[tuple[str, str]] = []
    questions = {q.get("key"): q for q in category.questions}
    for key, value in answers.items():
        question = questions.get(key, {})
        label = question.get("label_en" if language == "en" else "label_fa") or key
        text = str(value)
        for choice in question.get("choices", []):
            if choice[0] == value:
                text = choice[2] if language == "en" else choice[1]
        if question.get("type") == "yesno":
            text = {"yes": _("Yes"), "no": _("No")}.get(text, text)
        shown.append((str(label), text))
    return shown


def identity_of(
    report: Report, recipient: ReportRecipient, key: bytes, private: bytes
) -> dict[str, str] | None:
    if report.identity is None:
        return None
    if report.identity_mode == IdentityMode.NAMED:
        return dict(sodium.decrypt_json(key, report.identity))
    approved = IdentityRequest.objects.filter(
        report=report, unit=recipient.unit, state=DisclosureState.APPROVED, sealed_identity__isnull=False
    ).first()
    if approved is None or approved.sealed_identity is None:
        return None
    return dict(json.loads(sodium.unseal(private, approved.sealed_identity).decode()))


def file_view(key: bytes, found: ReportFile) -> FileView:
    return FileView(
        id=found.pk,
        label=validation.file_label(sodium.decrypt(key, found.name).decode()),
        size=found.size,
        content_type=found.content_type,
        author=found.author,
    )


def history(report: Report) -> list[AuditEntry]:
    """What was done to the case; reads are audited too but would drown the page (see the audit log)."""
    return list(
        AuditEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .exclude(action=AuditAction.VIEW)
        .select_related("unit", "actor")
    )


def what_excerpts(
    *, actor: User, unlocked: services_keys.Unlocked, reports: list[Report], limit: int = 200
) -> dict[int, str]:
    """The first ``limit`` characters of each report's description, for the unit's export."""
    units = permissions.handler_units(scope_for(actor))
    privates: dict[int, bytes] = {}
    excerpts: dict[int, str] = {}
    for report in reports:
        recipient = next((r for r in report.recipients.all() if r.unit_id in units), None)
        if recipient is None:
            raise PermissionDenied("not a handler of a unit that received this report")
        if recipient.keyring_id not in privates:
            privates[recipient.keyring_id] = unit_private(actor, unlocked, recipient)
        key = sodium.unseal(privates[recipient.keyring_id], recipient.sealed_content_key)
        excerpts[report.pk] = str(sodium.decrypt_json(key, report.content).get("what", ""))[:limit]
    return excerpts


def history_names(entries: list[AuditEntry], language: str) -> dict[str, dict[str, str]]:
    """Names for the codes a case's history keeps (the audit log stores machine names): report
    categories, receiving units and assignees, by the field that holds them. Three queries
    whatever the history's length, and only for the codes it mentions."""
    codes: dict[str, set[str]] = {"category": set(), "unit": set(), "units": set(), "assignee": set()}
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            for key, found in codes.items():
                value = side.get(key)
                found.update(str(v) for v in (value if isinstance(value, list) else [value]) if v)
    units = {
        u.code: (u.name_en if language == "en" else u.name_fa)
        for u in OrgUnit.objects.filter(code__in=codes["unit"] | codes["units"])
    }
    return {
        "category": {c.code: c.name(language) for c in Category.objects.filter(code__in=codes["category"])},
        "units": units,
        "unit": units,
        "assignee": {
            u.username: u.display_name or u.username
            for u in User.objects.filter(username__in=codes["assignee"])
        },
    }
