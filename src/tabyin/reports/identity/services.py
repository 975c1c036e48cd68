"""A confidential reporter's identity: sealed to the custodians, disclosed to a unit only when a
custodian approves a handler's request. Custodians decide without reading the report: they see
who asks, for which case number and why, never what the reporter wrote.

Each request and each decision is kept (the request row and an audit entry on the report); the
reasons are sealed to the unit and to the custodians (``sealing``), never in the audit log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.cases.selectors import RequestView, recipient_for, request_view
from tabyin.reports.cases.services import REASON_MAX
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import DisclosureState, IdentityMode
from tabyin.reports.intake import validation
from tabyin.reports.keys import sealing
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import IdentityRequest, Keyring, Report, ReportRecipient
from tabyin.reports.notices import services as notifications


def _reason(value: str) -> str:
    reason = validation.inert(value)
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Please keep this under %(n)d characters.") % {"n": REASON_MAX}})
    return reason


@transaction.atomic
def identity_request(*, actor: User, report: Report, reason: str) -> IdentityRequest:
    recipient = recipient_for(actor, report)
    if report.identity_mode != IdentityMode.CONFIDENTIAL or report.identity is None:
        raise ValidationError(_("Only a confidential reporter's identity is sealed."))
    why = _reason(reason)
    Report.objects.select_for_update().filter(pk=report.pk).first()  # one request at a time
    if IdentityRequest.objects.filter(report=report, state=DisclosureState.PENDING).exists():
        raise ValidationError(_("A request for this identity is already waiting for a custodian."))
    if IdentityRequest.objects.filter(
        report=report, unit=recipient.unit, state=DisclosureState.APPROVED
    ).exists():
        raise ValidationError(_("Your unit can already read this identity."))
    # The reason may retell the report: sealed to the unit and to the custodians who decide.
    request = IdentityRequest.objects.create(
        report=report,
        unit=recipient.unit,
        requested_by=actor,
        reason=sealing.seal_for(why, [recipient.keyring, report.identity_keyring]),
    )
    core_services.audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=report,
        unit=recipient.unit,
        after={"identity_request": request.pk, "state": request.state},
    )
    custodians = notifications.custodians()
    transaction.on_commit(lambda: notifications.send(users=custodians, event="identity"))
    return request


def requests_for_custodian(actor: User, unlocked: services_keys.Unlocked | None = None) -> list[RequestView]:
    """Waiting requests first, then decided ones, newest first. No report content is loaded; the
    reasons are opened with the custodians' key when the actor's key is open."""
    permissions.require(permissions.is_custodian(scope_for(actor)), "not an identity custodian")
    rows = IdentityRequest.objects.select_related("unit", "requested_by", "decided_by", "report").defer(
        "sealed_identity", "report__content", "report__identity"
    )
    privates: dict[int, bytes | None] = {}
    views = []
    for row in sorted(rows, key=lambda r: r.state != DisclosureState.PENDING):
        keyring_id = row.report.identity_keyring_id
        if keyring_id is not None and keyring_id not in privates:
            privates[keyring_id] = _custodian_private(actor, unlocked, keyring_id)
        views.append(request_view(row, keyring_id, privates.get(keyring_id) if keyring_id else None))
    return views


def _custodian_private(actor: User, unlocked: services_keys.Unlocked | None, keyring_id: int) -> bytes | None:
    if unlocked is None:
        return None
    keyring = Keyring.objects.filter(pk=keyring_id).first()
    if keyring is None or not services_keys.holds_share(actor, keyring):
        return None
    return services_keys.keyring_private(user=actor, unlocked=unlocked, keyring=keyring)


@transaction.atomic
def identity_decide(
    *,
    actor: User,
    unlocked: services_keys.Unlocked | None,
    request: IdentityRequest,
    approve: bool,
    reason: str,
) -> IdentityRequest:
    """Approve: the identity is unsealed with the custodians' key and sealed again to the requesting
    unit's key. Refuse: nothing is unsealed or kept but the decision and its reason."""
    permissions.require(permissions.is_custodian(scope_for(actor)), "not an identity custodian")
    why = _reason(reason)
    request = IdentityRequest.objects.select_for_update().select_related("report", "unit").get(pk=request.pk)
    if request.state != DisclosureState.PENDING:
        raise ValidationError(_("This request has already been decided."))
    report = request.report
    if approve:
        if unlocked is None:
            raise PermissionDenied("the custodian's key is locked")
        keyring = report.identity_keyring
        # Sealed to the keyring the unit's copy of the report uses, so whoever reads the report reads this.
        recipient = (
            ReportRecipient.objects.filter(report=report, unit=request.unit).select_related("keyring").first()
        )
        unit_keyring = recipient.keyring if recipient is not None else None
        if keyring is None or report.identity is None or unit_keyring is None:
            raise ValidationError(_("This identity cannot be disclosed: a key is missing."))
        private = services_keys.keyring_private(user=actor, unlocked=unlocked, keyring=keyring)
        identity = sodium.unseal(private, report.identity)
        request.sealed_identity = sodium.seal(bytes(unit_keyring.public_key), identity)
    request.state = DisclosureState.APPROVED if approve else DisclosureState.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    unit_copy = (
        ReportRecipient.objects.filter(report=report, unit=request.unit).select_related("keyring").first()
    )
    request.decision_reason = sealing.seal_for(
        why, [unit_copy.keyring if unit_copy else None, report.identity_keyring]
    )
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "sealed_identity"])
    core_services.audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        unit=request.unit,
        before={"state": DisclosureState.PENDING},
        after={"identity_request": request.pk, "state": request.state},
    )
    return request
