"""Which units receive a report. Reads the rules; changes nothing.

1. The category's rules for the report's province if it has any, else its rules for every place.
2. A rule names a kind of unit and a level: the province concerned or headquarters. A report about
   headquarters (no province) goes to headquarters' unit of that kind.
3. A rule that says so never sends a report to a unit whose own staff it names: the provincial
   unit is replaced by headquarters' unit of the same kind; headquarters' unit is dropped.
4. Units of a kind the reporter excluded are dropped.
5. A unit nobody can read yet (no keyring) hands over to headquarters' unit of the same kind.
6. If nothing is left, headquarters' inspection, violations board, then security office, in that
   order, skipping excluded and named kinds. A report always reaches someone who can read it, or
   is refused before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from tabyin.core.enums import Role, UnitKind
from tabyin.core.models import Membership, OrgUnit
from tabyin.reports.enums import KeyringPurpose, Level
from tabyin.reports.models import Category, Keyring, KeyShare, RoutingRule

FALLBACK = (UnitKind.INSPECTION, UnitKind.VIOLATIONS_BOARD, UnitKind.SECURITY)


class NoRecipientError(Exception):
    """No unit can receive this report (every kind excluded or without keys)."""


@dataclass(frozen=True)
class Route:
    unit: OrgUnit
    keyring: Keyring
    note: str


def _hq_unit(kind: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(kind=kind, province__isnull=True, is_active=True).first()


def _unit(kind: str, level: str, province: OrgUnit | None) -> OrgUnit | None:
    if level == Level.HQ or province is None:
        return _hq_unit(kind)
    return OrgUnit.objects.filter(kind=kind, parent=province, is_active=True).first()


def readable_keyrings() -> list[Keyring]:
    """Current unit keyrings that someone can open: held by an active user who still has the
    case-handler role in that unit. A report is never sealed to a key nobody holds."""
    holders = Membership.objects.filter(
        role=Role.CASE_HANDLER,
        unit_id=OuterRef("unit_id"),
        user__is_active=True,
        user_id__in=KeyShare.objects.filter(keyring_id=OuterRef(OuterRef("pk"))).values("user_id"),
    )
    return list(
        Keyring.objects.filter(purpose=KeyringPurpose.UNIT, retired_at__isnull=True, unit__is_active=True)
        .filter(Exists(holders))
        .select_related("unit")
    )


def route(
    *, category: Category, province: OrgUnit | None, concerns: set[str], excluded: set[str]
) -> list[Route]:
    rules = list(RoutingRule.objects.filter(category=category, is_active=True, province=province))
    if not rules or province is None:
        rules = list(RoutingRule.objects.filter(category=category, is_active=True, province__isnull=True))
    keyrings = {k.unit_id: k for k in readable_keyrings()}
    chosen: dict[int, Route] = {}

    def add(unit: OrgUnit | None, note: str) -> None:
        if unit is None or unit.id in chosen:
            return
        if unit.id not in keyrings:
            hq = _hq_unit(unit.kind) if unit.province_id is not None else None
            if hq is not None and hq.id in keyrings and hq.id not in chosen:
                chosen[hq.id] = Route(hq, keyrings[hq.id], f"no keys yet at {unit.code}")
            return
        chosen[unit.id] = Route(unit, keyrings[unit.id], note)

    for rule in rules:
        if rule.unit_kind in excluded:
            continue
        unit = _unit(rule.unit_kind, rule.level, province)
        if unit is None:
            if province is not None and rule.level == Level.PROVINCE:  # missing or inactive: go up
                add(_hq_unit(rule.unit_kind), f"rule {rule.pk}: no active unit in {province.code}")
            continue
        if rule.skip_if_named and rule.unit_kind in concerns:
            if unit.province_id is None:
                continue
            add(_hq_unit(rule.unit_kind), f"rule {rule.pk}: sent to headquarters")
            continue
        add(unit, f"rule {rule.pk}")
    if not chosen:
        for kind in FALLBACK:
            if kind in excluded or kind in concerns:
                continue
            add(_hq_unit(kind), "fallback")
            if chosen:
                break
    if not chosen:
        raise NoRecipientError
    return list(chosen.values())
