"""Permission predicates for the core app. Services and selectors call them; views only
translate a ``PermissionDenied`` into a page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tabyin.core.enums import Role
from tabyin.core.models import OrgUnit
from tabyin.core.scoping import Scope


def can_administer(scope: Scope) -> bool:
    return scope.has_role(Role.ADMINISTRATOR)


def can_view_audit(scope: Scope) -> bool:
    return scope.has_role(Role.ADMINISTRATOR)


def can_administer_unit(scope: Scope, unit: OrgUnit) -> bool:
    return can_administer(scope) and scope.covers_province(unit.province_id)


def require(allowed: bool, message: str = "not allowed") -> None:
    if not allowed:
        raise PermissionDenied(message)
