"""The officer's entry form: the rows as typed, which changed, the confirmed warnings and the
denominators. They parse what was typed; every rule (ranges, units, who may write what, when) is in
the services, whose ``ValidationError`` the views show as is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from tabyin.core.display.numbers import typed_number_to_ascii
from tabyin.scorecard.enums import DataSource, IndicatorKind, ValueStatus
from tabyin.scorecard.models import Indicator, Submission, Value

FIELDS = ("status", "value", "numerator", "denominator", "note")
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.odt,.ods"


# --- The officer's entry form --------------------------------------------------------------------


def plain(number: Decimal | None) -> str:
    """A stored decimal as a person would type it: 85.0000 → 85, 12.5000 → 12.5."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text


def entered(indicator: Indicator) -> bool:
    """Does the province type this sub-indicator? (Rubric levels are the reviewers'; computed
    ones come from the platform.)"""
    return indicator.source != DataSource.COMPUTED and indicator.kind != IndicatorKind.RUBRIC


def initial_row(indicator: Indicator, value: Value | None) -> dict[str, str]:
    """What the form shows for a stored value."""
    if value is None:
        return {"status": ValueStatus.REPORTED, "value": "", "numerator": "", "denominator": "", "note": ""}
    row = {
        "status": value.status,
        "value": plain(value.value),
        "numerator": plain(value.numerator),
        "denominator": plain(value.denominator),
        "note": value.note,
    }
    if indicator.kind == IndicatorKind.RATE and value.numerator is not None:
        row["value"] = ""  # the rate follows from numerator and denominator; shown beside them
    if value.status != ValueStatus.REPORTED:
        row.update(value="", numerator="", denominator="")
    return row


def typed_row(data: Mapping[str, Any], code: str) -> dict[str, str]:
    row = {f: str(data.get(f"{code}-{f}", "") or "") for f in FIELDS}
    row["status"] = row["status"] or ValueStatus.REPORTED
    return row


def _norm(text: str) -> str:
    """What a number looks like once its digits and separators are read (۱۲٫۵ and 12.5 are one)."""
    text = typed_number_to_ascii(text or "").strip()
    for separator in (",", " ", "\u200c"):
        text = text.replace(separator, "")
    return text


def _same(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    return all(_norm(a.get(f, "")) == _norm(b.get(f, "")) for f in FIELDS)


def _blank(row: Mapping[str, str]) -> bool:
    return row.get("status", ValueStatus.REPORTED) == ValueStatus.REPORTED and not any(
        (row.get(f) or "").strip() for f in ("value", "numerator", "denominator", "note")
    )


def changed_rows(
    data: Mapping[str, Any], indicators: Iterable[Indicator], initial: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """The rows the officer changed, in the shape ``values_save`` takes. Untouched rows and rows
    never filled are left out, so a save writes (and audits) only what really changed."""
    rows: dict[str, dict[str, str]] = {}
    for indicator in indicators:
        if not entered(indicator) or not any(f"{indicator.code}-{f}" in data for f in FIELDS):
            continue  # not on the form, or not sent at all: nothing to change
        typed = typed_row(data, indicator.code)
        before = initial.get(indicator.code, {})
        if _same(typed, before) or (_blank(typed) and _blank(before)):
            continue
        if typed["status"] != ValueStatus.REPORTED:
            typed.update(value="", numerator="", denominator="")
        rows[indicator.code] = typed
    return rows


def confirmations(data: Mapping[str, Any], indicators: Iterable[Indicator]) -> dict[str, str]:
    """The ticked "this figure is right" boxes: code → the figure the officer was shown."""
    return {
        i.code: str(data.get(f"{i.code}-confirm") or "")
        for i in indicators
        if entered(i) and data.get(f"{i.code}-confirm")
    }


def initial_denominators(submission: Submission) -> dict[str, str]:
    return {
        "covered_population": ""
        if submission.covered_population is None
        else str(submission.covered_population),
        "pr_staff": plain(submission.pr_staff),
    }


def typed_denominators(data: Mapping[str, Any], initial: Mapping[str, str]) -> dict[str, str]:
    """The denominators as typed; a field that was not sent at all keeps its stored value."""
    return {k: str(data[k] or "") if k in data else initial[k] for k in ("covered_population", "pr_staff")}


def denominators_changed(typed: Mapping[str, str], initial: Mapping[str, str]) -> bool:
    return any(_norm(typed[k]) != _norm(initial[k]) for k in typed)
