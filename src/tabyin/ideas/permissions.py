"""Who may do what in Jam'i-no: predicates over a core ``Scope``."""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = ["can_judge", "can_moderate", "can_organize", "require"]


def can_organize(scope: Scope) -> bool:
    """HQ public-relations analysts and administrators set up challenges, juries and results."""
    return scope.has_national_role(Role.ANALYST, Role.ADMINISTRATOR)


def can_moderate(scope: Scope) -> bool:
    """Screening is done by the organizers (the issue's moderators are HQ PR staff)."""
    return can_organize(scope)


def can_judge(scope: Scope) -> bool:
    """Jury members; which entries they see is decided by their assignments."""
    return scope.has_role(Role.JUROR)
