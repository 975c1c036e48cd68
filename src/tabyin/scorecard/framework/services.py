"""The indicator framework's writes: load a framework from its JSON format (``framework_format``)
and export it back, install the default, edit an indicator of a draft version, start a new version,
freeze a version for a period; and the engine's inputs from the rows.

The JSON format round-trips exactly: ``framework_export(framework_load(data=x)) == x``. ``target``
is written only when set and ``metric`` only for a computed indicator; every other key always is.

A version that a period uses is frozen: it is never edited again, so a published ranking can be
recomputed from the version it names. Changing it means ``framework_revise`` (a new draft version
with ``based_on`` pointing back) and editing that. Permission: ``permissions.can_manage_framework``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.scorecard import permissions, scoring
from tabyin.scorecard.enums import FrameworkState
from tabyin.scorecard.framework import format as fmt
from tabyin.scorecard.models import Framework, Indicator

DEFAULT_PATH: Final = Path(__file__).parent.parent / "data" / "default_framework.json"
DEFAULT_CODE: Final = "sso-pr"
DEFAULT_VERSION: Final = 1

# What an administrator may change on an indicator of a draft version (the code identifies it
# across versions, so it stays).
MAIN_EDITABLE: Final = ("name_fa", "name_en", "definition_fa", "definition_en", "weight")
SUB_EDITABLE: Final = tuple(k for k in fmt.SUB_KEYS if k != "code")

FROZEN_MESSAGE: Final = "This framework version is frozen: a period uses it. Make a new version to change it."


def frozen_message() -> str:
    return _(FROZEN_MESSAGE)


def _rows(
    framework: Framework, plan_mains: list[dict[str, Any]], plan_subs: list[tuple[str, dict[str, Any]]]
) -> None:
    """Create the indicator rows: ``order`` runs main by main (M01 = 100, its subs 101, 102, …), so
    ordering by it gives the tree in reading order."""
    position = {m["code"]: i for i, m in enumerate(plan_mains, start=1)}
    Indicator.objects.bulk_create(
        Indicator(framework=framework, order=position[m["code"]] * 100, **m) for m in plan_mains
    )
    ids = dict(Indicator.objects.filter(framework=framework, parent__isnull=True).values_list("code", "pk"))
    counters: dict[str, int] = {}
    subs = []
    for parent, values in plan_subs:
        counters[parent] = counters.get(parent, 0) + 1
        defaults = {"target": None, "metric": ""}
        subs.append(
            Indicator(
                framework=framework,
                parent_id=ids[parent],
                order=position[parent] * 100 + counters[parent],
                **{**defaults, **values},
            )
        )
    Indicator.objects.bulk_create(subs)


def _require_manager(actor: User | None) -> None:
    if actor is not None:
        permissions.require(permissions.can_manage_framework(scope_for(actor)))


@transaction.atomic
def framework_load(*, actor: User | None, data: Mapping[str, Any]) -> Framework:
    """Check a whole framework in the JSON format and store it as a new draft version.

    ``actor`` None is the platform itself (installing the default); a person must be allowed to
    manage the framework. Every problem is reported at once, as a ``ValidationError`` with a list.
    """
    _require_manager(actor)
    plan = fmt.parse(data)
    top = plan.top
    if Framework.objects.filter(code=top["code"], version=top["version"]).exists():
        raise ValidationError(
            [
                _("Framework “%(code)s” version %(version)s already exists.")
                % {"code": top["code"], "version": top["version"]}
            ]
        )
    framework = Framework.objects.create(
        code=top["code"],
        version=top["version"],
        name_fa=top["name_fa"],
        name_en=top["name_en"],
        description_fa=top["description_fa"],
        description_en=top["description_en"],
        change_note=top["change_note"],
        bands=top["bands"],
        state=FrameworkState.DRAFT,
        created_by=actor,
    )
    _rows(framework, plan.mains, plan.subs)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=framework,
        after={
            "code": framework.code,
            "version": framework.version,
            "main": len(plan.mains),
            "sub": len(plan.subs),
        },
    )
    return framework


def default_framework_data() -> dict[str, Any]:
    """The default framework as shipped (16 main and 60 sub-indicators)."""
    with DEFAULT_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def framework_install_default(*, actor: User | None = None) -> tuple[Framework, bool]:
    """Install the default framework unless it is there; returns it and whether it was created.
    An existing version 1 is kept as it is, whatever staff changed in it."""
    existing = Framework.objects.filter(code=DEFAULT_CODE, version=DEFAULT_VERSION).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return framework_load(actor=actor, data=default_framework_data()), True
    except IntegrityError:  # installed at the same moment by another process
        return Framework.objects.get(code=DEFAULT_CODE, version=DEFAULT_VERSION), False


# --- Exporting -----------------------------------------------------------------------------------


def _export_indicator(indicator: Indicator, *, main: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in fmt.MAIN_KEYS if main else fmt.SUB_KEYS:
        if key == "children":
            continue
        value = getattr(indicator, key)
        if key in fmt.SUB_OPTIONAL and value in (None, ""):
            continue
        out[key] = fmt.json_number(value) if isinstance(value, Decimal) else value
    return out


def framework_export(framework: Framework) -> dict[str, Any]:
    """The framework in its JSON format (one query for the indicators)."""
    out: dict[str, Any] = {key: getattr(framework, key) for key in fmt.TOP_KEYS[:6]}
    out["bands"] = [{key: band[key] for key in fmt.BAND_KEYS} for band in framework.bands]
    rows = list(Indicator.objects.filter(framework=framework).order_by("order", "code"))
    children: dict[int | None, list[Indicator]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    out["indicators"] = [
        {
            **_export_indicator(m, main=True),
            "children": [_export_indicator(s, main=False) for s in children.get(m.pk, [])],
        }
        for m in children.get(None, [])
    ]
    if framework.change_note:
        out["change_note"] = framework.change_note
    return out


# --- Versions ------------------------------------------------------------------------------------


@transaction.atomic
def framework_revise(*, actor: User, framework: Framework, change_note: str) -> Framework:
    """Start the next version of a framework as a draft copy of ``framework``."""
    _require_manager(actor)
    if not change_note.strip():
        raise ValidationError({"change_note": [_("Say what the new version changes and why.")]})
    # Lock the framework's versions so that two revisions at once cannot take the same number.
    versions = Framework.objects.select_for_update().filter(code=framework.code)
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    new = Framework.objects.create(
        code=framework.code,
        version=latest + 1,
        name_fa=framework.name_fa,
        name_en=framework.name_en,
        description_fa=framework.description_fa,
        description_en=framework.description_en,
        bands=framework.bands,
        state=FrameworkState.DRAFT,
        based_on=framework,
        change_note=change_note.strip(),
        created_by=actor,
    )
    _clone_rows(framework, new)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=new,
        after={
            "code": new.code,
            "version": new.version,
            "based_on": framework.version,
            "change_note": new.change_note,
        },
    )
    return new


def _clone_rows(source: Framework, target: Framework) -> None:
    # Row by row rather than through the JSON format, so every stored digit is kept as it is.
    rows = list(Indicator.objects.filter(framework=source).order_by("order", "code"))
    codes = {row.pk: row.code for row in rows}
    mains = [row for row in rows if row.parent_id is None]
    for row in rows:
        row.pk, row.framework = None, target
    Indicator.objects.bulk_create(mains)
    ids = dict(Indicator.objects.filter(framework=target).values_list("code", "pk"))
    subs = [row for row in rows if row.parent_id is not None]
    for row in subs:
        assert row.parent_id is not None
        row.parent_id = ids[codes[row.parent_id]]
    Indicator.objects.bulk_create(subs)


def framework_freeze(*, framework: Framework, actor: User | None = None) -> None:
    """Freeze a version because a period uses it (idempotent). Callers check their own rights."""
    with transaction.atomic():
        changed = Framework.objects.filter(pk=framework.pk, state=FrameworkState.DRAFT).update(
            state=FrameworkState.FROZEN
        )
        if changed:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=framework,
                before={"state": FrameworkState.DRAFT.value},
                after={"state": FrameworkState.FROZEN.value},
            )
    framework.state = FrameworkState.FROZEN


def _audit_value(value: Any) -> Any:
    # Decimals as plain text without trailing zeros ("12.5", "10"): exact, and JSON can hold it.
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an indicator of a draft version. Numbers may be typed with Persian digits.

    Raises ``ValidationError`` keyed by field for bad values, and with ``frozen_message()`` when a
    period uses the version.
    """
    _require_manager(actor)
    main = indicator.parent_id is None
    allowed = MAIN_EDITABLE if main else SUB_EDITABLE
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"not editable on this indicator: {sorted(unknown)}")
    # Lock the version: a period opening at this moment freezes it either before or after us.
    framework = Framework.objects.select_for_update().get(pk=indicator.framework_id)
    if framework.state == FrameworkState.FROZEN:
        raise ValidationError(frozen_message())
    current = Indicator.objects.get(pk=indicator.pk)
    keys = fmt.MAIN_KEYS if main else fmt.SUB_KEYS
    before = {k: getattr(current, k) for k in keys if k != "children"}
    values, problems = fmt.clean_indicator({**before, **changes}, main=main)
    if problems:
        raise ValidationError(problems)
    mains, subs, _unused = framework_specs(framework)
    if main:
        mains = [
            scoring.MainSpec(m.code, float(values["weight"])) if m.code == current.code else m for m in mains
        ]
        if sum(m.weight for m in mains) == 0:
            raise ValidationError({"weight": [_("The main-indicator weights would add up to zero.")]})
    else:
        parent = next(s.parent for s in subs if s.code == current.code)
        subs = [fmt.sub_spec(parent, values) if s.code == current.code else s for s in subs]
        if sum(s.weight for s in subs if s.parent == parent) == 0:
            raise ValidationError(
                {"weight": [_("The weights of this main indicator's sub-indicators would add up to zero.")]}
            )
    out: list[str] = []
    fmt.engine_check(mains, subs, out)
    if out:
        raise ValidationError(out)
    changed = [k for k, v in values.items() if getattr(current, k) != v]
    for key in changed:
        setattr(current, key, values[key])
    if changed:
        current.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=current,
            before={k: _audit_value(before[k]) for k in changed},
            after={k: _audit_value(values[k]) for k in changed},
        )
    return current


# --- Engine inputs -------------------------------------------------------------------------------


def framework_specs(
    framework: Framework,
) -> tuple[list[scoring.MainSpec], list[scoring.SubSpec], list[scoring.Band]]:
    """The scoring engine's view of a version, in reading order (one query)."""
    rows = list(Indicator.objects.filter(framework=framework).order_by("order", "code"))
    codes = {row.pk: row.code for row in rows}
    mains = [scoring.MainSpec(r.code, float(r.weight)) for r in rows if r.parent_id is None]
    subs = [
        scoring.SubSpec(
            code=r.code,
            parent=codes[r.parent_id],
            kind=r.kind,
            direction=r.direction,
            normalization=r.normalization,
            weight=float(r.weight),
            target=None if r.target is None else float(r.target),
        )
        for r in rows
        if r.parent_id is not None
    ]
    bands = [scoring.Band(str(b["code"]), float(b["min"])) for b in framework.bands]
    return mains, subs, bands
