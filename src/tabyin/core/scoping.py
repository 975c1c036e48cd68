"""Who may see what: a user's scope follows the units of their memberships.

Selectors in every app call ``scope_for`` and ``restrict`` so that a provincial user never sees
another province's private data, whatever view, API or export asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet

from tabyin.core.enums import Role
from tabyin.core.models import Membership, User


@dataclass(frozen=True)
class Scope:
    national: bool = False
    province_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    # (role, unit id) pairs, for checks such as "is a case handler of this unit".
    grants: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    # Roles held at national units (HQ and its offices), and (role, province id) pairs: a role held
    # in one province must not lend its rights to another, nor make an HQ user act nationally.
    national_roles: frozenset[str] = field(default_factory=frozenset)
    province_grants: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def has_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.roles for role in roles)

    def has_role_in_unit(self, role: Role | str, unit_id: int) -> bool:
        return (str(role), unit_id) in self.grants

    def has_national_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.national_roles for role in roles)

    def has_role_in_province(self, role: Role | str, province_id: int) -> bool:
        return (str(role), province_id) in self.province_grants

    def covers_province(self, province_id: int | None) -> bool:
        """National scope covers everything; provincial scope covers its own provinces only.

        Rows that belong to no province (national data) are covered only by national scope.
        """
        if self.national:
            return True
        return province_id is not None and province_id in self.province_ids


NO_SCOPE = Scope()


def scope_for(user: User | None) -> Scope:
    """Compute the scope of a user from their memberships (one query, cached on the object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached: Scope | None = getattr(user, "_tabyin_scope", None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.filter(user=user, unit__is_active=True).values_list(
            "role", "unit_id", "unit__province_id", "unit__kind"
        )
    )
    national = any(province_id is None for _, _, province_id, _ in rows)
    scope = Scope(
        national=national,
        province_ids=frozenset(p for _, _, p, _ in rows if p is not None),
        unit_ids=frozenset(u for _, u, _, _ in rows),
        roles=frozenset(r for r, _, _, _ in rows),
        grants=frozenset((r, u) for r, u, _, _ in rows),
        national_roles=frozenset(r for r, _, p, _ in rows if p is None),
        province_grants=frozenset((r, p) for r, _, p, _ in rows if p is not None),
    )
    user._tabyin_scope = scope  # type: ignore[attr-defined]
    return scope


def restrict[M: Model](queryset: QuerySet[M], scope: Scope, province_field: str = "province") -> QuerySet[M]:
    """Limit rows to the provinces a scope covers. National scope sees every row."""
    if scope.national:
        return queryset
    if not scope.province_ids:
        return queryset.none()
    return queryset.filter(Q(**{f"{province_field}__in": scope.province_ids}))
