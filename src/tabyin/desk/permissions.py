"""Who may do what at the desk: predicates over a core ``Scope``.

Any staff member files requests for a unit they belong to and reads their units' requests. PR
triages: the HQ PR analysts every request, a provincial PR officer the requests of units in their
province (HQ's own requests are HQ PR's).
"""

from __future__ import annotations

from tabyin.core.enums import Role
from tabyin.core.scoping import Scope

__all__ = ["PR_NATIONAL", "can_file", "can_triage", "is_pr"]

PR_NATIONAL = (Role.ANALYST,)


def can_file(scope: Scope) -> bool:
    return bool(scope.unit_ids)


def is_pr(scope: Scope) -> bool:
    return scope.has_national_role(*PR_NATIONAL) or scope.has_role(Role.PROVINCIAL_OFFICER)


def can_triage(scope: Scope, province_id: int | None) -> bool:
    if scope.has_national_role(*PR_NATIONAL):
        return True
    return province_id is not None and scope.has_role_in_province(Role.PROVINCIAL_OFFICER, province_id)
