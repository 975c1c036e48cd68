"""Writes of the core app. Every staff change goes through here and leaves an audit entry."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from tabyin.core import permissions
from tabyin.core.enums import SPECIAL_KINDS, AuditAction, Role, UnitKind
from tabyin.core.models import AuditEntry, Membership, OrgUnit, User
from tabyin.core.persian_text import normalize
from tabyin.core.scoping import scope_for

UNIT_FIELDS = ("code", "kind", "name_fa", "name_en", "iso_code", "population_2016", "is_active")
READERS_OF_REPORTS = {Role.CASE_HANDLER.value, Role.CUSTODIAN.value}
USER_FIELDS = ("username", "display_name", "email", "is_active")


def _summary(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    obj: Model,
    unit: OrgUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Only the fields that changed are kept for an update."""
    before = dict(before or {})
    after = dict(after or {})
    if action == AuditAction.UPDATE:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEntry.objects.create(
        actor=actor,
        actor_username=actor.username if actor else "",
        unit=unit,
        province_id=unit.province_id if unit else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )


def _province_of(parent: OrgUnit | None, kind: str) -> OrgUnit | None:
    if parent is None:
        return None
    if kind == UnitKind.PROVINCE:
        return None  # set to itself after the first save
    return parent if parent.kind == UnitKind.PROVINCE else parent.province


@transaction.atomic
def org_unit_create(
    *,
    actor: User | None,
    code: str,
    kind: UnitKind,
    name_fa: str,
    name_en: str,
    parent: OrgUnit | None = None,
    iso_code: str = "",
    population_2016: int | None = None,
) -> OrgUnit:
    if actor is not None:
        scope = scope_for(actor)
        allowed = permissions.can_administer(scope) and (
            scope.national if parent is None else permissions.can_administer_unit(scope, parent)
        )
        permissions.require(allowed, "you may not add units here")
    unit = OrgUnit.objects.create(
        code=code,
        kind=kind,
        parent=parent,
        province=_province_of(parent, kind),
        name_fa=normalize(name_fa),
        name_en=name_en.strip(),
        iso_code=iso_code,
        population_2016=population_2016,
    )
    if kind == UnitKind.PROVINCE:
        unit.province = unit
        unit.save(update_fields=["province"])
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=unit, unit=unit, after=_summary(unit, UNIT_FIELDS)
    )
    return unit


@transaction.atomic
def org_unit_update(*, actor: User, unit: OrgUnit, **changes: Any) -> OrgUnit:
    permissions.require(
        permissions.can_administer_unit(scope_for(actor), unit), "you may not change this unit"
    )
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown unit fields: {sorted(unknown)}")
    before = _summary(unit, UNIT_FIELDS)
    if "name_fa" in changes:
        changes["name_fa"] = normalize(changes["name_fa"])
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=unit,
        unit=unit,
        before=before,
        after=_summary(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    unit: OrgUnit,
    role: Role,
) -> User:
    """Create a staff account with its first role. ``password=None`` leaves it unusable."""
    if actor is not None:
        permissions.require(
            permissions.can_administer_unit(scope_for(actor), unit), "you may not add users here"
        )
    user = User(username=username, display_name=normalize(display_name), email=email, is_staff=True)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=user, unit=unit, after=_summary(user, USER_FIELDS)
    )
    membership_grant(actor=actor, user=user, unit=unit, role=role)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    units = list(OrgUnit.objects.filter(memberships__user=user))
    scope = scope_for(actor)
    permissions.require(
        (bool(units) and all(permissions.can_administer_unit(scope, u) for u in units))
        or (not units and scope.national and permissions.can_administer(scope)),
        "you may not change this account",
    )
    before = _summary(user, USER_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        unit=units[0] if units else None,
        before=before,
        after=_summary(user, USER_FIELDS),
    )
    return user


@transaction.atomic
def membership_check(*, user: User, role: Role | str) -> None:
    """Separation of duties: whoever configures units and users must never be able to read
    violation reports, or the promise "administrators cannot read reports" is one grant away."""
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True)) | {str(role)}
    if Role.ADMINISTRATOR in held and held & READERS_OF_REPORTS:
        raise ValidationError(
            _("An administrator cannot also be a case handler or an identity custodian."), code="duties"
        )


def membership_grant(*, actor: User | None, user: User, unit: OrgUnit, role: Role) -> Membership:
    if actor is not None:
        permissions.require(
            permissions.can_administer_unit(scope_for(actor), unit), "you may not grant roles here"
        )
    membership_check(user=user, role=role)
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.GRANT,
            obj=user,
            unit=unit,
            after={"role": str(role), "unit": unit.code},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    permissions.require(
        permissions.can_administer_unit(scope_for(actor), membership.unit),
        "you may not revoke roles here",
    )
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        obj=membership.user,
        unit=membership.unit,
        before={"role": membership.role, "unit": membership.unit.code},
    )
    membership.delete()


def auth_event_record(*, user: User | None, action: AuditAction, username: str = "") -> None:
    """Log-ins, log-outs and second-factor changes, for the administrators' audit view."""
    unit = OrgUnit.objects.filter(memberships__user=user).order_by("province_id").first() if user else None
    AuditEntry.objects.create(
        actor=user,
        actor_username=user.username if user else username[:150],
        unit=unit,
        province_id=unit.province_id if unit else None,
        action=action,
        object_type="core.user",
        object_id=str(user.pk) if user else "",
        object_repr=str(user) if user else username[:300],
    )


@dataclass(frozen=True)
class SeedResult:
    created: int
    existing: int


def _province_rows() -> list[dict[str, str]]:
    text = resources.files("tabyin.core").joinpath("data/provinces.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


SPECIAL_NAMES: dict[UnitKind, tuple[str, str]] = {
    UnitKind.VIOLATIONS_BOARD: ("هیئت رسیدگی به تخلفات اداری", "Administrative-violations board"),
    UnitKind.SECURITY: ("حراست", "Security office"),
    UnitKind.INSPECTION: ("بازرسی", "Inspection directorate"),
}


@transaction.atomic
def org_seed(*, name_fa: str, name_en: str) -> SeedResult:
    """Create HQ, the 31 provinces and the special units at HQ and in each province.

    Idempotent: existing units (matched by code) are kept as they are, so running the demo
    twice neither fails nor duplicates.
    """
    created = existing = 0

    def ensure(code: str, **fields: Any) -> OrgUnit:
        nonlocal created, existing
        found = OrgUnit.objects.filter(code=code).first()
        if found is not None:
            existing += 1
            return found
        created += 1
        return org_unit_create(actor=None, code=code, **fields)

    hq = ensure("hq", kind=UnitKind.HQ, name_fa=name_fa, name_en=name_en)
    for kind in SPECIAL_KINDS:
        fa, en = SPECIAL_NAMES[kind]
        ensure(f"hq-{kind.replace('_', '-')}", kind=kind, name_fa=fa, name_en=en, parent=hq)
    for row in _province_rows():
        iso = row["iso_3166_2"]
        province = ensure(
            iso.lower(),
            kind=UnitKind.PROVINCE,
            name_fa=row["name_fa"],
            name_en=row["name_en"],
            parent=hq,
            iso_code=iso,
            population_2016=int(row["population_2016"]),
        )
        for kind in SPECIAL_KINDS:
            fa, en = SPECIAL_NAMES[kind]
            ensure(
                f"{iso.lower()}-{kind.replace('_', '-')}",
                kind=kind,
                name_fa=f"{fa} {row['name_fa']}",
                name_en=f"{en}, {row['name_en']}",
                parent=province,
            )
    return SeedResult(created=created, existing=existing)
