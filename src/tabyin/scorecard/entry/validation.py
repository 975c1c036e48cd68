"""Reading what a person typed for one sub-indicator, before anything is stored.

Accepts Persian, Arabic-Indic and Latin digits, the Persian decimal separator («٫») and thousands
separators, a trailing «%» or «درصد». Refuses, with a message that says what to type instead:
numbers out of range, a rate given as a fraction (0.85 for 85 %), a numerator larger than its
denominator, a rubric level from a province (reviewers set levels), text where a number belongs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import typed_number_to_ascii
from tabyin.core.persian_text import digits_to_ascii, normalize
from tabyin.scorecard.enums import IndicatorKind, ValueStatus
from tabyin.scorecard.models import Indicator

LIMIT = Decimal("1e12")
_PERCENT = re.compile(r"\s*(%|٪|درصد)\s*$")
_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_YES = frozenset({"1", "yes", "y", "true", "بله", "آری", "بلی", "دارد"})
_NO = frozenset({"0", "no", "n", "false", "خیر", "نه", "ندارد"})


@dataclass(frozen=True)
class Parsed:
    status: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None


def _label(indicator: Indicator) -> str:
    return f"{indicator.code} «{indicator.name_fa}»"


def parse_number(raw: str, *, field: str) -> Decimal | None:
    """A decimal number from what a person typed, or None for an empty field.

    The decimal point may be «.», «٫» or «/» (as many Persian users type it); thousands separators
    («,» or «٬») are accepted only in groups of three, so «12,5» is refused rather than read as 125.
    """
    text = typed_number_to_ascii(raw or "").strip().replace("\u200c", "").replace(" ", "").replace("/", ".")
    if not text:
        return None
    if "," in text:
        if not _GROUPED.match(text):
            raise ValidationError(
                _("%(field)s: «%(raw)s» is not a number (use «.» or «٫» for decimals).")
                % {"field": field, "raw": raw}
            )
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("%(field)s: «%(raw)s» is not a number.") % {"field": field, "raw": raw}
        ) from None
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValidationError(_("%(field)s: «%(raw)s» is out of range.") % {"field": field, "raw": raw})
    return number


def _non_negative(number: Decimal | None, field: str) -> Decimal | None:
    if number is not None and number < 0:
        raise ValidationError(_("%(field)s cannot be negative.") % {"field": field})
    return number


def _rate(indicator: Indicator, raw: Mapping[str, str]) -> Parsed:
    label = _label(indicator)
    num = _non_negative(parse_number(raw.get("numerator", ""), field=_("%s: numerator") % label), label)
    den = _non_negative(parse_number(raw.get("denominator", ""), field=_("%s: denominator") % label), label)
    typed = raw.get("value", "") or ""
    had_percent = bool(_PERCENT.search(digits_to_ascii(typed)))
    pct = _non_negative(parse_number(_PERCENT.sub("", typed), field=label), label)
    if num is not None or den is not None:
        if num is None or den is None:
            raise ValidationError(_("%s: enter both the numerator and the denominator.") % label)
        if den == 0:
            raise ValidationError(_("%s: the denominator cannot be zero.") % label)
        if num > den:
            raise ValidationError(
                _("%s: the numerator (%s) is larger than the denominator (%s); a rate cannot pass 100%%.")
                % (label, num, den)
            )
        return Parsed(ValueStatus.REPORTED, num, den, (num * 100 / den).quantize(Decimal("0.0001")))
    if pct is None:
        raise ValidationError(
            _("%s: enter the numerator and the denominator, or the rate in percent.") % label
        )
    if pct > 100:
        raise ValidationError(
            _("%(label)s: %(value)s%% is more than 100%%.") % {"label": label, "value": pct}
        )
    if 0 < pct < 1 and not had_percent:
        raise ValidationError(
            _(
                "%(label)s: %(value)s looks like a fraction. Rates are entered in percent: type %(pct)s for "
                "%(pct)s%%, or enter the numerator and the denominator."
            )
            % {"label": label, "value": pct, "pct": format((pct * 100).normalize(), "f")}
        )
    return Parsed(ValueStatus.REPORTED, value=pct)


def _yes_no(indicator: Indicator, raw: str) -> Parsed:
    key = normalize(digits_to_ascii(raw)).strip().lower()
    if key in _YES:
        return Parsed(ValueStatus.REPORTED, value=Decimal(1))
    if key in _NO:
        return Parsed(ValueStatus.REPORTED, value=Decimal(0))
    raise ValidationError(_("%s: answer yes or no.") % _label(indicator))


def parse_value(indicator: Indicator, raw: Mapping[str, str], *, reviewer: bool = False) -> Parsed:
    """Validate one sub-indicator's input. ``raw`` has ``status`` and, by the indicator's kind,
    ``value`` or ``numerator`` and ``denominator``."""
    status = raw.get("status") or ValueStatus.REPORTED
    label = _label(indicator)
    kind = indicator.kind
    if status not in ValueStatus.values:
        raise ValidationError(_("%s: unknown status.") % label)
    if kind == IndicatorKind.RUBRIC and not reviewer:
        # Whatever the status: a province cannot drop a judged item from its own score either.
        raise ValidationError(_("%s: the level is set by the HQ reviewers from the evidence.") % label)
    if status != ValueStatus.REPORTED:
        return Parsed(status)
    if kind == IndicatorKind.RATE:
        return _rate(indicator, raw)
    if kind == IndicatorKind.YES_NO:
        return _yes_no(indicator, raw.get("value", ""))
    number = _non_negative(parse_number(raw.get("value", ""), field=label), label)
    if number is None:
        raise ValidationError(_("%s: enter a value, or mark it as not reported or not applicable.") % label)
    if kind == IndicatorKind.RUBRIC and (number != number.to_integral_value() or not 1 <= number <= 5):
        raise ValidationError(_("%s: the level is a whole number from 1 to 5.") % label)
    if kind == IndicatorKind.COUNT and number != number.to_integral_value():
        raise ValidationError(_("%s: a count is a whole number.") % label)
    return Parsed(ValueStatus.REPORTED, value=number)
