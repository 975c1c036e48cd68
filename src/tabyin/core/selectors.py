"""Reads of the core app, always through the caller's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from tabyin.core import permissions
from tabyin.core.enums import UnitKind
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.core.scoping import restrict, scope_for


def provinces() -> QuerySet[OrgUnit]:
    """Public: the provinces are public facts."""
    return OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("iso_code")


def province_by_iso(iso_code: str) -> OrgUnit | None:
    return provinces().filter(iso_code=iso_code.upper()).first()


def units_for(*, actor: User) -> QuerySet[OrgUnit]:
    """Units an administrator may manage: all for HQ, their own province's tree otherwise."""
    scope = scope_for(actor)
    permissions.require(permissions.can_administer(scope))
    return restrict(OrgUnit.objects.select_related("parent"), scope).order_by("province_id", "kind", "code")


def users_for(*, actor: User) -> QuerySet[User]:
    scope = scope_for(actor)
    permissions.require(permissions.can_administer(scope))
    users = User.objects.all()
    if not scope.national:
        users = users.filter(memberships__unit__province_id__in=scope.province_ids).distinct()
    return users.prefetch_related("memberships__unit").order_by("username")


def audit_entries_for(*, actor: User) -> QuerySet[AuditEntry]:
    """The audit log as an administrator may read it: national, or their provinces' entries."""
    scope = scope_for(actor)
    permissions.require(permissions.can_view_audit(scope), "only administrators read the audit log")
    entries = restrict(AuditEntry.objects.select_related("unit"), scope)
    return entries.order_by("-created_at", "-id")
