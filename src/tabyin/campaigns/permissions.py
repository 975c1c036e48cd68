"""Who may do what with campaigns: predicates over a core ``Scope``.

Campaigns are national (HQ plans them for several provinces), so every right is a national role.
"""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = ["can_approve", "can_manage", "can_see", "require"]


def can_see(scope: Scope) -> bool:
    return scope.has_national_role(Role.ANALYST, Role.SENIOR_MANAGER, Role.ADMINISTRATOR)


def can_manage(scope: Scope) -> bool:
    """HQ analysts and administrators plan campaigns and write messages."""
    return scope.has_national_role(Role.ANALYST, Role.ADMINISTRATOR, Role.SENIOR_MANAGER)


def can_approve(scope: Scope) -> bool:
    """Only an HQ senior manager releases a message, and never one they wrote (the service checks)."""
    return scope.has_national_role(Role.SENIOR_MANAGER)
