"""Who may run public meetings: predicates over a core ``Scope``."""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = ["can_manage", "can_manage_any", "require"]


def can_manage(scope: Scope, province_id: int) -> bool:
    """HQ analysts and administrators run every province's meetings; a provincial PR officer runs
    their own province's, never another's."""
    return scope.has_national_role(Role.ANALYST, Role.ADMINISTRATOR) or scope.has_role_in_province(
        Role.PROVINCIAL_OFFICER, province_id
    )


def can_manage_any(scope: Scope) -> bool:
    national = scope.has_national_role(Role.ANALYST, Role.ADMINISTRATOR, Role.SENIOR_MANAGER)
    return national or any(role == Role.PROVINCIAL_OFFICER for role, _p in scope.province_grants)
