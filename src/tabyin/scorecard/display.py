"""How the staff pages say things: a value in words with its unit, a flag in plain words, a band's
name, a rank interval, the change against the previous period. Display only (the active
language decides digits and names); no rule and no query lives here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tabyin.core.display.numbers import localize_number, percent_sign
from tabyin.core.http import page_language
from tabyin.core.templatetags.persian import number
from tabyin.scorecard.enums import DataSource, IndicatorKind, ValueStatus
from tabyin.scorecard.models import Correction, Framework, Indicator, Value
from tabyin.scorecard.radar import Axis


def shown(
    row: dict[str, str], fields: tuple[str, ...] = ("value", "numerator", "denominator")
) -> dict[str, str]:
    """A stored row as the form shows it: Persian digits in Persian (typed back, they are read
    the same)."""
    if page_language() != "fa":
        return row
    return {k: localize_number(v, "fa") if k in fields else v for k, v in row.items()}


def shown_denominators(submission: Any) -> dict[str, str]:
    """The stored denominators as the entry form shows them (grouped, the reader's digits)."""
    population = submission.covered_population
    return {
        "covered_population": "" if population is None else number(population),
        "pr_staff": "" if submission.pr_staff is None else _n(submission.pr_staff),
    }


def name(obj: Any) -> str:
    """The Persian or English name of an indicator, framework or province."""
    return str(obj.name_en if page_language() == "en" and obj.name_en else obj.name_fa)


def unit(indicator: Indicator) -> str:
    return str(indicator.unit_en if page_language() == "en" and indicator.unit_en else indicator.unit_fa)


def amount(value: Decimal | None) -> str:
    """A stored decimal without its storage zeros, grouped, in the reader's digits: ``16.0000`` → ``۱۶``."""
    return _n(value)


def _n(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = value.normalize()
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number(value, min(places, 2))


def value_text(
    indicator: Indicator,
    status: str,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
) -> str:
    """``45 of 60 (75%)``, ``yes``, ``12 hours``, ``not reported`` …"""
    if status != ValueStatus.REPORTED:
        return str(ValueStatus(status).label)
    kind = indicator.kind
    if kind == IndicatorKind.RATE:
        pct = "—" if value is None else _n(value.quantize(Decimal("0.01"))) + percent_sign(page_language())
        if numerator is not None and denominator is not None:
            return _("%(num)s of %(den)s (%(pct)s)") % {
                "num": _n(numerator),
                "den": _n(denominator),
                "pct": pct,
            }
        return pct
    if kind == IndicatorKind.YES_NO:
        return str(_("yes") if value is not None and value >= 1 else _("no"))
    if kind == IndicatorKind.RUBRIC:
        return _("level %(n)s of 5") % {"n": _n(value)}
    text = _n(value)
    return f"{text} {unit(indicator)}".strip()


def _figure(indicator: Indicator, text: str | None) -> str:
    """A figure of a plausibility warning (stored as ASCII text) in the reader's digits and unit."""
    if text is None:
        return "—"
    shown = _n(Decimal(text))
    if indicator.kind == IndicatorKind.RATE:
        return shown + ("٪" if page_language() == "fa" else "%")
    return shown


def warning_text(indicator: Indicator, warning: Mapping[str, Any], *, officer: bool = True) -> str:
    """«Your figure is 99,999,999; in earlier periods it was between 120 and 340, and the median of
    the provinces in your peer group is 210.» — whichever of the two references there was; worded
    for the reviewers when ``officer`` is False."""
    figures = {
        "value": _figure(indicator, warning.get("value")),
        "low": _figure(indicator, warning.get("own_low")),
        "high": _figure(indicator, warning.get("own_high")),
        "median": _figure(indicator, warning.get("peer_median")),
    }
    own, peers = warning.get("own_low") is not None, warning.get("peer_median") is not None
    if officer:
        if own and peers:
            text = _(
                "Your figure is %(value)s; in earlier periods it was between %(low)s and %(high)s, and "
                "the median of the provinces in your peer group is %(median)s."
            )
        elif own:
            text = _("Your figure is %(value)s; in earlier periods it was between %(low)s and %(high)s.")
        else:
            text = _(
                "Your figure is %(value)s; the median of the provinces in your peer group is %(median)s."
            )
    elif own and peers:
        text = _(
            "The figure is %(value)s; in earlier periods the province reported between %(low)s and "
            "%(high)s, and the median of its peer group is %(median)s."
        )
    elif own:
        text = _(
            "The figure is %(value)s; in earlier periods the province reported between %(low)s and %(high)s."
        )
    else:
        text = _("The figure is %(value)s; the median of the province's peer group is %(median)s.")
    return text % figures


def stored_text(indicator: Indicator, obj: Value | Correction | None) -> str:
    if obj is None:
        return str(_("not entered"))
    value = obj.value_after if isinstance(obj, Correction) else obj.value
    return value_text(indicator, obj.status, obj.numerator, obj.denominator, value)


def sub_texts(sub: Any) -> tuple[str, str]:
    """What the province entered and what the scoring used, for a card's sub row
    (``selectors.SubRow``): rubric levels are the reviewers', computed values the platform's."""
    indicator = sub.indicator
    if indicator.source == DataSource.COMPUTED:
        measured = sub.score.measured if sub.score is not None else None
        used = (
            value_text(indicator, ValueStatus.REPORTED, None, None, measured) if measured is not None else ""
        )
        return "—", used or str(_("no value from the platform"))
    if indicator.kind == IndicatorKind.RUBRIC:
        # The reviewers' level is the value row (set by ``rubric_set``), or a later correction.
        level = (
            stored_text(indicator, sub.effective) if sub.effective is not None else str(_("no level set yet"))
        )
        return "—", level
    return stored_text(indicator, sub.value), stored_text(indicator, sub.effective)


def flag_texts(flags: Iterable[str], indicators: Mapping[str, Indicator]) -> list[str]:
    """``not_reported:S01`` → "S01 «…»: not reported, scored 0"."""
    out = []
    for flag in flags:
        kind, _sep, code = flag.partition(":")
        label = f"{code} «{name(indicators[code])}»" if code in indicators else code
        if kind == "not_reported":
            out.append(_("%s: not reported, so it scores 0.") % label)
        elif kind == "excluded":
            out.append(_("%s: nothing applicable to score, so it is left out of the total.") % label)
        else:
            out.append(flag)
    return out


def band_name(framework: Framework, code: str) -> str:
    for band in framework.bands:
        if band.get("code") == code:
            return str(
                band.get("name_en")
                if page_language() == "en" and band.get("name_en")
                else band.get("name_fa") or code
            )
    return code


def rank_interval(low: int | None, high: int | None) -> str:
    """``۲–۵``; a single number when the interval is one rank."""
    if low is None or high is None:
        return "—"
    return number(low) if low == high else f"{number(low)}–{number(high)}"


@dataclass(frozen=True)
class Trend:
    arrow: str  # decorative; ``words`` says the same
    words: str
    tone: str  # good, bad, neutral (a class)


def score_trend(score: Decimal | None, previous: Decimal | None) -> Trend | None:
    if score is None or previous is None:
        return None
    delta = score - previous
    if delta == 0:
        return Trend("=", str(_("no change")), "neutral")
    text = number(abs(delta), 2)
    if delta > 0:
        return Trend("▲", _("up %s points") % text, "good")
    return Trend("▼", _("down %s points") % text, "bad")


def rank_trend(change: int | None) -> Trend | None:
    """A rank change (positive: moved up the table)."""
    if change is None:
        return None
    if change == 0:
        return Trend("=", str(_("same rank")), "neutral")
    if change > 0:
        return Trend("▲", _("up %s places") % number(change), "good")
    return Trend("▼", _("down %s places") % number(-change), "bad")


def radar_axes(mains: Iterable[Any]) -> list[Axis]:
    """The radar's axes from a card's main rows (``selectors.MainRow``)."""
    return [Axis(m.indicator.code, name(m.indicator), m.score, m.previous) for m in mains]
