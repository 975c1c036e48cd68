"""Who may do what in the scorecard: predicates over a core ``Scope``. Services call them and
``require`` turns a refusal into ``PermissionDenied``; views only show the 403 page.

Every check asks for the role where it matters: an evaluator role held in one province does not
make an HQ administrator a national reviewer, and an officer role in Tehran gives no rights in
Isfahan, even to someone who holds another role there.
"""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = [
    "can_enter_for",
    "can_manage_framework",
    "can_review",
    "can_see_province",
    "can_see_results",
    "require",
]


def can_manage_framework(scope: Scope) -> bool:
    """Administrators and evaluators at HQ edit the indicator framework (the cycle itself is run
    by evaluators, see ``can_review``)."""
    return scope.has_national_role(Role.ADMINISTRATOR, Role.EVALUATOR)


def can_review(scope: Scope) -> bool:
    """HQ evaluators run the cycle: verify, return, approve, correct, freeze, score and publish."""
    return scope.has_national_role(Role.EVALUATOR)


def can_enter_for(scope: Scope, province_id: int) -> bool:
    """A provincial PR officer enters values and evidence for their own province only."""
    return scope.has_role_in_province(Role.PROVINCIAL_OFFICER, province_id)


def can_see_results(scope: Scope) -> bool:
    """The national table before publication: HQ evaluators, analysts, senior managers and
    administrators."""
    return scope.has_national_role(Role.EVALUATOR, Role.ANALYST, Role.SENIOR_MANAGER, Role.ADMINISTRATOR)


def can_see_province(scope: Scope, province_id: int) -> bool:
    """A province's scorecard with its evidence and comments: HQ viewers, or its own officers."""
    return can_see_results(scope) or can_enter_for(scope, province_id)
