"""Who may do what with reports. Services and selectors call these; views only render refusals.

Reading a report needs two things: the case-handler role *in a unit that received it* (checked
here) and that unit's private key (checked by the cryptography). An administrator has neither.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tabyin.core.enums import Role, UnitKind
from tabyin.core.models import OrgUnit
from tabyin.core.scoping import Scope


def handler_units(scope: Scope) -> frozenset[int]:
    return frozenset(unit for role, unit in scope.grants if role == Role.CASE_HANDLER)


def is_handler(scope: Scope) -> bool:
    return bool(handler_units(scope))


def can_handle_unit(scope: Scope, unit_id: int) -> bool:
    return scope.has_role_in_unit(Role.CASE_HANDLER, unit_id)


def can_handle_any(scope: Scope, unit_ids: set[int] | frozenset[int]) -> bool:
    return bool(handler_units(scope) & set(unit_ids))


def is_custodian(scope: Scope) -> bool:
    return scope.has_national_role(Role.CUSTODIAN)


def can_configure(scope: Scope) -> bool:
    """Categories, routing and retention: national administrators (who still read no report)."""
    return scope.has_national_role(Role.ADMINISTRATOR)


def can_receive(unit: OrgUnit) -> bool:
    return unit.kind in (UnitKind.VIOLATIONS_BOARD, UnitKind.SECURITY, UnitKind.INSPECTION)


def require(allowed: bool, message: str = "not allowed") -> None:
    if not allowed:
        raise PermissionDenied(message)
