"""A confidential reporter's identity: sealed to the custodians, disclosed to a unit only when a
custodian approves a handler's request. Custodians decide without reading the report: they see
who asks, for which case number and why, never what the reporter wrote.

Each request and each decision, with its reason, is kept (the request row and an audit entry on
the report).
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
from tabyin.reports import crypto, notifications, permissions, services_keys, validation
from tabyin.reports.enums import DisclosureState, IdentityMode
from tabyin.reports.models import IdentityRequest, Report, ReportRecipient
from tabyin.reports.selectors_staff import recipient_for
from tabyin.reports.services_case import REASON_MAX


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
    request = IdentityRequest.objects.create(
        report=report, unit=recipient.unit, requested_by=actor, reason=why
    )
    core_services.audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=report,
        unit=recipient.unit,
        after={"identity_request": request.pk, "state": request.state, "reason": why},
    )
    custodians = notifications.custodians()
    transaction.on_commit(lambda: notifications.send(users=custodians, event="identity"))
    return request


def requests_for_custodian(actor: User) -> list[IdentityRequest]:
    """Waiting requests first, then decided ones, newest first. No report content is loaded."""
    permissions.require(permissions.is_custodian(scope_for(actor)), "not an identity custodian")
    rows = IdentityRequest.objects.select_related("unit", "requested_by", "decided_by").defer(
        "sealed_identity"
    )
    return sorted(rows, key=lambda r: r.state != DisclosureState.PENDING)


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
        identity = crypto.unseal(private, report.identity)
        request.sealed_identity = crypto.seal(bytes(unit_keyring.public_key), identity)
    request.state = DisclosureState.APPROVED if approve else DisclosureState.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = why
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "sealed_identity"])
    core_services.audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        unit=request.unit,
        before={"state": DisclosureState.PENDING},
        after={"identity_request": request.pk, "state": request.state, "reason": why},
    )
    return request
