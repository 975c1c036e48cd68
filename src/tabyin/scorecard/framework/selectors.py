"""Reading the indicator framework: which versions a person sees, a version as a tree, and what
changed between two versions.

Who sees what: HQ staff who manage the framework or see results see every version, drafts too.
Any other staff member (a provincial PR officer) sees the versions in force, i.e. frozen ones,
because a province must know the rules it is scored by; a draft is HQ's work in progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.core.scoping import scope_for
from tabyin.scorecard import permissions
from tabyin.scorecard.enums import (
    DataSource,
    Denominator,
    Direction,
    FrameworkState,
    IndicatorKind,
    Normalization,
)
from tabyin.scorecard.models import Framework, Indicator

ONE_DECIMAL: Final = Decimal("0.1")
# The fields the "what changed" view compares, in the order it lists them.
DIFF_FIELDS: Final = (
    "parent", "name_fa", "name_en", "definition_fa", "definition_en",
    "kind", "direction", "normalization", "denominator", "target", "unit_fa", "unit_en", "weight",
    "evidence_fa", "evidence_en", "evidence_required", "source", "metric",
)  # fmt: skip


def can_manage(*, actor: User) -> bool:
    return permissions.can_manage_framework(scope_for(actor))


def require_manager(*, actor: User) -> None:
    """Raises ``PermissionDenied`` unless the actor may edit the framework."""
    permissions.require(can_manage(actor=actor), "not allowed to manage the indicator framework")


def frameworks_for(*, actor: User) -> QuerySet[Framework]:
    """The versions the actor may see, newest first within each code, with their sizes."""
    scope = scope_for(actor)
    rows = (
        Framework.objects.select_related("based_on")
        .annotate(
            main_count=Count("indicators", filter=Q(indicators__parent__isnull=True), distinct=True),
            sub_count=Count("indicators", filter=Q(indicators__parent__isnull=False), distinct=True),
            period_count=Count("periods", distinct=True),
        )
        .order_by("code", "-version")
    )
    if permissions.can_manage_framework(scope) or permissions.can_see_results(scope):
        return rows
    if scope.roles:
        return rows.filter(state=FrameworkState.FROZEN)
    return rows.none()


def framework_for(*, actor: User, pk: int) -> Framework:
    """One version the actor may see; ``Framework.DoesNotExist`` otherwise (a 404, not a 403, so
    a draft's existence is not disclosed)."""
    return frameworks_for(actor=actor).get(pk=pk)


def framework_indicator(*, framework: Framework, code: str) -> Indicator:
    """One indicator of a version by its code; ``Indicator.DoesNotExist`` otherwise."""
    return Indicator.objects.select_related("parent").get(framework=framework, code=code)


def framework_tree(framework: Framework) -> list[tuple[Indicator, list[Indicator]]]:
    """Main indicators with their sub-indicators, in order (one query)."""
    rows = list(Indicator.objects.filter(framework=framework).order_by("order", "code"))
    children: dict[int, list[Indicator]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    return [(row, children.get(row.pk, [])) for row in rows if row.parent_id is None]


def plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without its trailing zeros (12.500 → 12.5, 10.000 → 10), for display."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _share(weight: Decimal, total: Decimal) -> Decimal | None:
    return (weight * 100 / total).quantize(ONE_DECIMAL) if total > 0 else None


@dataclass(frozen=True)
class SubRow:
    indicator: Indicator
    weight: Decimal | None
    share: Decimal | None  # of its main indicator, in %
    target: Decimal | None
    metric_available: bool  # a computed indicator whose metric an installed app provides


@dataclass(frozen=True)
class MainRow:
    indicator: Indicator
    weight: Decimal | None
    share: Decimal | None  # of the total, in %: what "weights as a share of 100" shows
    subs: list[SubRow]


def framework_table(framework: Framework) -> list[MainRow]:
    """The tree with each weight also as a share of its level (one query)."""
    tree = framework_tree(framework)
    total = sum((main.weight for main, _subs in tree), Decimal(0))
    out = []
    for main, subs in tree:
        within = sum((s.weight for s in subs), Decimal(0))
        rows = [
            SubRow(
                indicator=s,
                weight=plain(s.weight),
                share=_share(s.weight, within),
                target=plain(s.target),
                metric_available=s.source == DataSource.COMPUTED and s.metric in registry.metrics,
            )
            for s in subs
        ]
        out.append(MainRow(main, plain(main.weight), _share(main.weight, total), rows))
    return out


@dataclass(frozen=True)
class Change:
    """One difference between two versions: an indicator added or removed, or one field changed."""

    code: str
    kind: str  # "added", "removed", "changed"
    field: str = ""
    label: str | Promise = ""
    before: Any = None
    after: Any = None

    @property
    def before_text(self) -> str:
        return _show(self.field, self.before)

    @property
    def after_text(self) -> str:
        return _show(self.field, self.after)


_LABELS: Final = {
    "kind": IndicatorKind,
    "direction": Direction,
    "normalization": Normalization,
    "denominator": Denominator,
    "source": DataSource,
}


def _show(field: str, value: Any) -> str:
    """A changed value as the page shows it: choice labels, yes/no, bands as "code ≥ min"."""
    if value is None or value == "":
        return "—"
    if field in _LABELS:
        return str(dict(_LABELS[field].choices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field == "bands":
        return "; ".join(f"{b['code']} ≥ {b['min']}" for b in value)
    return str(value)


def _values(framework: Framework) -> dict[str, dict[str, Any]]:
    rows = list(Indicator.objects.filter(framework=framework).order_by("order", "code"))
    codes = {row.pk: row.code for row in rows}
    out = {}
    for row in rows:
        values = {f: getattr(row, f) for f in DIFF_FIELDS if f != "parent"}
        values["parent"] = codes.get(row.parent_id) if row.parent_id else None
        for key in ("weight", "target"):
            values[key] = plain(values[key])
        out[row.code] = values
    return out


def _verbose(model: type[Framework] | type[Indicator], name: str) -> str | Promise:
    label: str | Promise = getattr(model._meta.get_field(name), "verbose_name", name)
    return label


def framework_diff(old: Framework, new: Framework) -> list[Change]:
    """What ``new`` changes against ``old`` (two queries): bands, then indicators in ``new``'s
    order, then the indicators it removed."""
    changes: list[Change] = []
    if old.bands != new.bands:
        label = _verbose(Framework, "bands")
        changes.append(Change("", "changed", "bands", label, old.bands, new.bands))
    before, after = _values(old), _values(new)
    for code, values in after.items():
        if code not in before:
            changes.append(Change(code, "added"))
            continue
        for name in DIFF_FIELDS:
            if before[code][name] != values[name]:
                label = _verbose(Indicator, name)
                changes.append(Change(code, "changed", name, label, before[code][name], values[name]))
    changes.extend(Change(code, "removed") for code in before if code not in after)
    return changes
