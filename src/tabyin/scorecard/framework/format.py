"""The framework's JSON format: reading and checking it, without the database.

``parse`` reports every problem of a whole framework at once (a ``ValidationError`` with a list of
messages that say where: ``S03 › target: …``); ``clean_indicator`` checks one indicator's values
and reports problems by field, for the edit form. Both apply the same rules, and the scoring
engine's own ``check_framework`` runs last so the two cannot drift apart.

Numbers: JSON numbers on the way in and out. A whole value is written as an integer (``8``), any
other as the shortest decimal that reads back to it (``12.5``); at most 15 significant digits are
accepted, which a JSON number carries exactly. Typed text is accepted too (Persian digits, «٫»).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import typed_number_to_ascii
from tabyin.scorecard import scoring
from tabyin.scorecard.enums import DataSource, Denominator, Direction, IndicatorKind, Normalization

TOP_KEYS: Final = (
    "code",
    "version",
    "name_fa",
    "name_en",
    "description_fa",
    "description_en",
    "bands",
    "indicators",
)
BAND_KEYS: Final = ("code", "min", "name_fa", "name_en")
MAIN_KEYS: Final = ("code", "name_fa", "name_en", "definition_fa", "definition_en", "weight", "children")
# The order keys are written in. ``target`` (null when absent) and ``metric`` ("" when absent) may
# be left out; every other key is required, and unknown keys are refused so a typo is not ignored.
SUB_KEYS: Final = (
    "code", "name_fa", "name_en", "definition_fa", "definition_en",
    "kind", "direction", "normalization", "denominator", "target", "unit_fa", "unit_en", "weight",
    "evidence_fa", "evidence_en", "evidence_required", "source", "metric",
)  # fmt: skip
SUB_OPTIONAL: Final = frozenset({"target", "metric"})

_CODE = re.compile(r"^[A-Za-z0-9_-]+$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_FRAMEWORK_CODE = re.compile(r"^[a-z0-9_-]{1,64}$")
# A JSON number is a binary float: up to 15 significant digits survive the round trip exactly.
_DIGITS = 15
# (decimal places, bound): what the model's columns hold.
_LIMITS: Final = {"weight": (3, Decimal("10000")), "target": (4, Decimal("1e14"))}
_TEXT_MAX: Final = {"code": 16, "name_fa": 300, "name_en": 300, "unit_fa": 60, "unit_en": 60, "metric": 100}
_CHOICES: Final = {
    "kind": IndicatorKind,
    "direction": Direction,
    "normalization": Normalization,
    "denominator": Denominator,
    "source": DataSource,
}


# --- Reading values ------------------------------------------------------------------------------


def parse_decimal(value: object) -> Decimal:
    """A number from JSON or from what a person typed: Persian or Arabic-Indic digits, «٫» or «/»
    as the decimal point, «٬» or «,» between groups of thousands. Raises ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the decimal the JSON text said, not the binary float
    elif isinstance(value, str):
        text = typed_number_to_ascii(value).strip().replace("/", ".")
        if "," in text:
            # Only as a thousands separator: «12,5» is a decimal comma, and reading it as 125 would
            # silently multiply a weight by ten.
            if not _GROUPED.match(text):
                raise ValueError(value)
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(value) from None
    else:
        raise ValueError(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def json_number(value: Decimal) -> int | float:
    """How the JSON format writes a stored decimal (see the module docstring)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def _places(number: Decimal) -> tuple[int, int]:
    """(decimal places, significant digits) of a number, ignoring trailing zeros."""
    _sign, digits, exponent = number.normalize().as_tuple()
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return places, len(digits)


def _decimal_field(name: str, value: object, errors: list[str]) -> Decimal | None:
    try:
        number = parse_decimal(value)
    except ValueError:
        errors.append(_("“%(value)s” is not a number.") % {"value": value})
        return None
    limit, bound = _LIMITS[name]
    places, digits = _places(number)
    if number < 0:
        errors.append(
            _("The weight cannot be negative.") if name == "weight" else _("The target cannot be negative.")
        )
    elif abs(number) >= bound or digits > _DIGITS:
        errors.append(_("The number is too large or too long."))
    elif places > limit:
        errors.append(_("Use at most %(places)s decimal places.") % {"places": limit})
    return number


def _text_field(name: str, value: object, errors: list[str], *, required: bool) -> str:
    if not isinstance(value, str):
        errors.append(_("Write text here."))
        return ""
    if required and not value.strip():
        errors.append(_("This cannot be empty."))
    limit = _TEXT_MAX.get(name)
    if limit is not None and len(value) > limit:
        errors.append(_("At most %(n)s characters.") % {"n": limit})
    if name == "code" and value and not _CODE.match(value):
        errors.append(_("Use Latin letters, digits, hyphens or underscores."))
    return value


def clean_indicator(raw: Mapping[str, Any], *, main: bool) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check one indicator's values (all of them, after any change); returns the values as they
    are stored and the problems by field. The same rules serve loading and editing."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    keys = MAIN_KEYS if main else SUB_KEYS
    for key in keys:
        if key == "children" or key not in raw:
            continue
        problems: list[str] = []
        value = raw[key]
        if key in ("weight", "target"):
            if key == "target" and (value is None or value == ""):
                values[key] = None
            else:
                values[key] = _decimal_field(key, value, problems)
        elif key in _CHOICES:
            if value not in _CHOICES[key].values:
                choices = ", ".join(str(v) for v in _CHOICES[key].values)
                problems.append(
                    _("Unknown value “%(value)s”; use one of: %(choices)s.")
                    % {"value": value, "choices": choices}
                )
            values[key] = value
        elif key == "evidence_required":
            if not isinstance(value, bool):
                problems.append(_("Write true or false."))
            values[key] = bool(value)
        else:
            values[key] = _text_field(key, value, problems, required=key in ("code", "name_fa", "name_en"))
        if problems:
            errors[key] = problems
    if not main and not errors:
        _cross_check(values, errors)
    return values, errors


def _cross_check(v: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """The rules between fields of a sub-indicator, so that the scoring engine can use it."""
    kind, target, normalization = v.get("kind"), v.get("target"), v.get("normalization")

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if normalization == Normalization.TARGET:
        if target is None:
            add("target", _("Distance-to-target normalization needs a target."))
        elif v.get("direction") == Direction.HIGHER and target <= 0:
            add("target", _("When higher is better, the target must be above zero."))
    if normalization == Normalization.SCALE and kind in (IndicatorKind.COUNT, IndicatorKind.DURATION):
        add(
            "normalization", _("A count or a duration has no fixed scale: use distance to target or min–max.")
        )
    if kind == IndicatorKind.RATE and target is not None and target > 100:
        add("target", _("A rate is a percentage: its target is at most 100."))
    if v.get("denominator", Denominator.NONE) != Denominator.NONE and kind != IndicatorKind.COUNT:
        add("denominator", _("Only a count is divided by a denominator."))
    metric = v.get("metric", "")
    if v.get("source") == DataSource.COMPUTED and not metric:
        add("metric", _("A computed indicator needs the name of a platform metric."))
    if v.get("source") == DataSource.ENTERED and metric:
        add("metric", _("Only a computed indicator has a platform metric."))


# --- Loading the JSON format ---------------------------------------------------------------------


@dataclass
class Plan:
    top: dict[str, Any] = field(default_factory=dict)
    mains: list[dict[str, Any]] = field(default_factory=list)
    subs: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (parent code, values)
    seen: set[str] = field(default_factory=set)


def _keys(
    where: str, raw: Mapping[str, Any], keys: tuple[str, ...], optional: frozenset[str], out: list[str]
) -> None:
    for key in keys:
        if key not in raw and key not in optional:
            out.append(_("%(where)s: the key “%(key)s” is missing.") % {"where": where, "key": key})
    for key in raw:
        if key not in keys:
            out.append(_("%(where)s: unknown key “%(key)s”.") % {"where": where, "key": key})


def _report(where: str, problems: dict[str, list[str]], out: list[str]) -> None:
    for key, messages in problems.items():
        out.extend(f"{where} › {key}: {m}" for m in messages)


def _band(where: str, band: Mapping[str, Any], out: list[str]) -> dict[str, Any] | None:
    _keys(where, band, BAND_KEYS, frozenset(), out)
    try:
        low = parse_decimal(band.get("min"))
    except ValueError:
        out.append(_("%(where)s: the minimum must be a number.") % {"where": where})
        return None
    if not 0 <= low <= 100:
        out.append(_("%(where)s: the minimum must be between 0 and 100.") % {"where": where})
    problems: list[str] = []
    for key in ("code", "name_fa", "name_en"):
        _text_field(key, band.get(key, ""), problems, required=True)
    out.extend(f"{where}: {p}" for p in problems)
    return {
        "code": band.get("code"),
        "min": json_number(low),
        "name_fa": band.get("name_fa"),
        "name_en": band.get("name_en"),
    }


def _bands(raw: object, out: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        out.append(_("bands: give at least one band."))
        return []
    bands: list[dict[str, Any]] = []
    for i, band in enumerate(raw, start=1):
        where = _("band %(n)s") % {"n": i}
        if not isinstance(band, Mapping):
            out.append(_("%(where)s: must be an object.") % {"where": where})
            continue
        cleaned = _band(where, band, out)
        if cleaned is not None:
            bands.append(cleaned)
    codes = [b["code"] for b in bands]
    if len(set(codes)) != len(codes):
        out.append(_("bands: each band needs its own code."))
    if bands and min(parse_decimal(b["min"]) for b in bands) != 0:
        out.append(_("bands: the lowest band must start at 0, so that every total gets a band."))
    return bands


def _top(data: Mapping[str, Any], plan: Plan, out: list[str]) -> None:
    where = _("framework")
    _keys(where, {k: v for k, v in data.items() if k != "change_note"}, TOP_KEYS, frozenset(), out)
    code, version = data.get("code"), data.get("version")
    if not isinstance(code, str) or not _FRAMEWORK_CODE.match(code):
        out.append(
            _("framework: the code must be 1–64 lower-case Latin letters, digits, hyphens or underscores.")
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        out.append(_("framework: the version must be a whole number from 1."))
    for key in ("name_fa", "name_en", "description_fa", "description_en", "change_note"):
        problems: list[str] = []
        plan.top[key] = _text_field(key, data.get(key, ""), problems, required=key.startswith("name"))
        out.extend(f"{where} › {key}: {p}" for p in problems)
    plan.top.update(code=code, version=version, bands=_bands(data.get("bands"), out))


def _once(where: str, values: Mapping[str, Any], plan: Plan, out: list[str]) -> None:
    code = values.get("code")
    if isinstance(code, str) and code:
        if code in plan.seen:
            out.append(
                _("%(where)s: the code “%(code)s” is used more than once.") % {"where": where, "code": code}
            )
        plan.seen.add(code)


def _zero(weights: list[Any]) -> bool:
    return bool(weights) and all(isinstance(w, Decimal) for w in weights) and sum(weights) == 0


def _main(i: int, main: object, plan: Plan, out: list[str]) -> None:
    if not isinstance(main, Mapping):
        out.append(_("main indicator %(n)s: must be an object.") % {"n": i})
        return
    where = str(main.get("code") or _("main indicator %(n)s") % {"n": i})
    _keys(where, main, MAIN_KEYS, frozenset(), out)
    values, problems = clean_indicator(main, main=True)
    _report(where, problems, out)
    _once(where, values, plan, out)
    plan.mains.append(values)
    children = main.get("children")
    if not isinstance(children, list) or not children:
        out.append(_("%(where)s: a main indicator needs at least one sub-indicator.") % {"where": where})
        return
    code = str(values.get("code", ""))
    for j, sub in enumerate(children, start=1):
        if not isinstance(sub, Mapping):
            out.append(_("%(where)s: must be an object.") % {"where": f"{where} › {j}"})
            continue
        sub_where = f"{where} › {sub.get('code') or j}"
        _keys(sub_where, sub, SUB_KEYS, SUB_OPTIONAL, out)
        sub_values, sub_problems = clean_indicator(sub, main=False)
        _report(sub_where, sub_problems, out)
        _once(sub_where, sub_values, plan, out)
        plan.subs.append((code, sub_values))
    if _zero([v.get("weight") for parent, v in plan.subs if parent == code]):
        out.append(_("%(where)s: the weights of its sub-indicators add up to zero.") % {"where": where})


def parse(data: Mapping[str, Any]) -> Plan:
    """Every problem of a framework in the JSON format, or the values to store."""
    if not isinstance(data, Mapping):
        raise ValidationError([_("The framework must be a JSON object.")])
    out: list[str] = []
    plan = Plan()
    _top(data, plan, out)
    mains = data.get("indicators")
    if not isinstance(mains, list) or not mains:
        out.append(_("indicators: give at least one main indicator."))
        mains = []
    for i, main in enumerate(mains, start=1):
        _main(i, main, plan, out)
    if _zero([m.get("weight") for m in plan.mains]):
        out.append(_("indicators: the main-indicator weights add up to zero."))
    if not out:
        engine_check(*plan_specs(plan), out)
    if out:
        raise ValidationError(out)
    return plan


def plan_specs(plan: Plan) -> tuple[list[scoring.MainSpec], list[scoring.SubSpec]]:
    mains = [scoring.MainSpec(m["code"], float(m["weight"])) for m in plan.mains]
    subs = [sub_spec(parent, values) for parent, values in plan.subs]
    return mains, subs


def sub_spec(parent: str, v: Mapping[str, Any]) -> scoring.SubSpec:
    target = v.get("target")
    return scoring.SubSpec(
        code=v["code"],
        parent=parent,
        kind=v["kind"],
        direction=v["direction"],
        normalization=v["normalization"],
        weight=float(v["weight"]),
        target=None if target is None else float(target),
    )


def engine_check(mains: list[scoring.MainSpec], subs: list[scoring.SubSpec], out: list[str]) -> None:
    # The rules above mirror the engine's; asking the engine as well keeps them from drifting apart.
    try:
        scoring.check_framework(mains, subs)
    except scoring.FrameworkError as error:
        out.append(_("The scoring engine cannot use this framework: %(error)s") % {"error": error})
