"""Who may do what with comprehension polls: predicates over a core ``Scope``."""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = ["can_manage", "can_see_results", "require"]


def can_manage(scope: Scope) -> bool:
    """HQ public-relations analysts and administrators create, open and close polls."""
    return scope.has_national_role(Role.ANALYST, Role.ADMINISTRATOR)


def can_see_results(scope: Scope) -> bool:
    """HQ analysts, administrators and senior managers see every answer; a provincial PR officer
    sees the answers declared in their own province (the selectors restrict the rows)."""
    officer = any(role == Role.PROVINCIAL_OFFICER for role, _province in scope.province_grants)
    return can_manage(scope) or scope.has_national_role(Role.SENIOR_MANAGER) or officer
