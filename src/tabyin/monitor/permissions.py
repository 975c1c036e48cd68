"""Who may do what in media monitoring. Services and selectors call these; views only render refusals.

* HQ analysts and senior managers see every source, story and alert; a provincial PR officer sees
  the mentions of their own province(s) only (posts matching that province's watch queries or
  published by that province's sources).
* Analysts triage: flag rumors, assign, draft answers, correct sentiment.
* Senior managers approve and publish answers (the same person may not draft and approve).
* Administrators and analysts configure sources, watch queries and alert rules.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from tabyin.core.enums import Role
from tabyin.core.scoping import Scope

NATIONAL_VIEWERS = (Role.ANALYST, Role.SENIOR_MANAGER, Role.ADMINISTRATOR)


def can_view(scope: Scope) -> bool:
    return scope.has_national_role(*NATIONAL_VIEWERS) or bool(provinces(scope))


def sees_everything(scope: Scope) -> bool:
    return scope.has_national_role(*NATIONAL_VIEWERS)


def provinces(scope: Scope) -> frozenset[int]:
    """Province unit ids whose mentions a provincial officer may see (empty for national viewers)."""
    return frozenset(p for role, p in scope.province_grants if role == Role.PROVINCIAL_OFFICER)


def can_triage(scope: Scope) -> bool:
    return scope.has_national_role(Role.ANALYST)


def can_approve(scope: Scope) -> bool:
    return scope.has_national_role(Role.SENIOR_MANAGER)


def can_configure(scope: Scope) -> bool:
    return scope.has_national_role(Role.ADMINISTRATOR, Role.ANALYST)


def can_acknowledge(scope: Scope) -> bool:
    return scope.has_national_role(Role.ANALYST, Role.SENIOR_MANAGER)


# Who may open each staff page of the monitor (by URL name), for the menus: a link is shown only
# to a person who may follow it. The services and selectors behind the pages check the same
# functions; a page missing here is shown to nobody, so a new page cannot leak into a menu.
_PAGES: dict[str, Callable[[Scope], bool]] = {
    "dashboard": can_view,
    "stories": can_view,
    "alerts": sees_everything,
    "alert-rules": can_configure,
    "responses": sees_everything,
    "response": sees_everything,
    "briefs": sees_everything,
    "sources": sees_everything,
    "source-add": can_configure,
    "paste": can_configure,
    "queries": can_configure,
    "query-add": can_configure,
    "query-try": can_configure,
    "sentiment-review": can_triage,
}


def may_open(scope: Scope, url_name: str) -> bool:
    rule = _PAGES.get(url_name)
    return rule is not None and rule(scope)


def require(allowed: bool, message: str = "not allowed") -> None:
    if not allowed:
        raise PermissionDenied(message)
