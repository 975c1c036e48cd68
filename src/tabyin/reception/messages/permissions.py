"""Who may do what with key messages: predicates over a core ``Scope``."""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = ["can_manage", "can_see", "require"]


def can_manage(scope: Scope) -> bool:
    """HQ public-relations analysts and administrators write announcements and key messages."""
    return scope.has_national_role(Role.ANALYST, Role.ADMINISTRATOR)


def can_see(scope: Scope) -> bool:
    """Senior managers and HQ analysts see every announcement; a provincial PR officer sees their
    province's and the national ones, measured over their province's coverage only."""
    officer = any(role == Role.PROVINCIAL_OFFICER for role, _province in scope.province_grants)
    return can_manage(scope) or scope.has_national_role(Role.SENIOR_MANAGER) or officer
