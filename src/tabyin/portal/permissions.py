"""Who may do what in the portal: predicates over a core ``Scope``. Services call them and
``require`` turns a refusal into ``PermissionDenied``; views only show the 403 page."""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.permissions import require
from tabyin.core.scoping import Scope

__all__ = [
    "can_draft_explanation_for",
    "can_draft_explanations",
    "can_publish_data",
    "can_review_explanations",
    "require",
]

_DRAFTERS = (Role.ANALYST, Role.DATA_PUBLISHER, Role.PROVINCIAL_OFFICER)


def can_publish_data(scope: Scope) -> bool:
    """National data publishers only. Administrators configure the portal but do not publish
    figures: who may put numbers in front of the public is kept apart from who manages accounts."""
    return scope.national and scope.has_role(Role.DATA_PUBLISHER)


def can_review_explanations(scope: Scope) -> bool:
    return scope.national and scope.has_role(Role.SENIOR_MANAGER, Role.ANALYST)


def can_draft_explanations(scope: Scope) -> bool:
    """May draft at all (menus, the "new" button); see ``can_draft_explanation_for`` per area."""
    return scope.has_role(*_DRAFTERS)


def can_draft_explanation_for(scope: Scope, province_id: int | None) -> bool:
    """Draft for one area: ``province_id`` is the province's unit id, None for a national or
    all-area explanation. National drafters may write for any area, provincial ones for their own
    province only."""
    if not can_draft_explanations(scope):
        return False
    if scope.national:
        return True
    return province_id is not None and province_id in scope.province_ids
