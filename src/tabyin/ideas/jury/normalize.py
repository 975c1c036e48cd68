"""From rubric scores to one fair score per entry.

1. Rubric total of one juror for one entry, on 0–100: 100 × Σ wᶜ·(vᶜ / maxᶜ) / Σ wᶜ over the
   challenge's criteria (every criterion must be scored, within 0…maxᶜ).
2. Severity normalization by standardizing per juror: a juror's totals become z-scores against
   that juror's own mean and (population) standard deviation, then are mapped back onto the pooled
   scale of all totals: pooled mean + pooled sd × z. A juror who scores everyone 20 points lower
   moves their whole column up by 20, so their entries are not sunk; a juror whose totals are all
   equal (or who rated one entry only) says nothing about order and gets z = 0 (the pooled mean).
   Why not a rater model: see docs/adr/0023 (in short: assignment is random and balanced, so each
   juror sees a like sample; the rule fits in one sentence of the public page and anyone can
   redo it in a spreadsheet).
3. The entry's score is the mean of its normalized totals, rounded to ``DECIMALS`` places; the
   rounding is part of the method, so an independent recomputation agrees exactly.

Sums use ``math.fsum`` (correctly rounded), so the order of the scores does not change a result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tabyin.ideas.jury.types import Criterion, JuryError, Score

DECIMALS = 4


class ScoreError(JuryError):
    """Scores or a rubric that the method cannot use."""


@dataclass(frozen=True, slots=True)
class JurorScale:
    """How one juror scores: the mean and population standard deviation of their rubric totals."""

    juror_id: str
    mean: float
    sd: float
    n_entries: int


def rubric_totals(scores: Iterable[Score], criteria: Sequence[Criterion]) -> dict[tuple[str, str], float]:
    """(juror id, entry id) → the weighted rubric total on 0–100, sorted by juror then entry."""
    _check_criteria(criteria)
    by_key = {c.key: c for c in criteria}
    given: defaultdict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for s in scores:
        criterion = by_key.get(s.criterion)
        if criterion is None:
            raise ScoreError(
                f"معیار «{s.criterion}» در جدول امتیازدهی نیست", f"unknown criterion {s.criterion!r}"
            )
        if not 0 <= s.value <= criterion.max_value:  # also false for NaN
            raise ScoreError(
                f"امتیاز {s.value} برای «{s.criterion}» بیرون از بازهٔ صفر تا {criterion.max_value} است",
                f"score {s.value} for {s.criterion!r} is outside 0..{criterion.max_value}",
            )
        cell = given[(s.juror_id, s.entry_id)]
        if s.criterion in cell:
            raise ScoreError(
                f"داور {s.juror_id} به «{s.criterion}» ورودی {s.entry_id} دو بار امتیاز داده است",
                f"juror {s.juror_id} scored {s.criterion!r} of entry {s.entry_id} twice",
            )
        cell[s.criterion] = s.value
    weight_sum = math.fsum(c.weight for c in criteria)
    totals = {}
    for pair in sorted(given):
        cell = given[pair]
        missing = [c.key for c in criteria if c.key not in cell]
        if missing:
            raise ScoreError(
                f"داور {pair[0]} به ورودی {pair[1]} در این معیارها امتیاز نداده است: {'، '.join(missing)}",
                f"juror {pair[0]} left criteria of entry {pair[1]} unscored: {', '.join(missing)}",
            )
        weighted = math.fsum([c.weight * cell[c.key] / c.max_value for c in criteria])
        totals[pair] = 100 * weighted / weight_sum
    return totals


def juror_scales(totals: dict[tuple[str, str], float]) -> dict[str, JurorScale]:
    """Juror id → their mean and spread: the severity the normalization takes out."""
    columns: defaultdict[str, list[float]] = defaultdict(list)
    for (juror_id, _entry_id), total in totals.items():
        columns[juror_id].append(total)
    return {
        juror_id: JurorScale(juror_id, *_mean_sd(columns[juror_id]), len(columns[juror_id]))
        for juror_id in sorted(columns)
    }


def normalized_totals(totals: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """(juror id, entry id) → the total standardized per juror, on the pooled scale."""
    if not totals:
        return {}
    pooled_mean, pooled_sd = _mean_sd(list(totals.values()))
    scales = juror_scales(totals)
    normalized = {}
    for (juror_id, entry_id), total in totals.items():
        scale = scales[juror_id]
        z = (total - scale.mean) / scale.sd if scale.sd > 0 else 0.0
        normalized[(juror_id, entry_id)] = pooled_mean + pooled_sd * z
    return normalized


def normalized_entry_scores(scores: Iterable[Score], criteria: Sequence[Criterion]) -> dict[str, float]:
    """Entry id → its score: the mean of its jurors' normalized totals, rounded to ``DECIMALS``."""
    return entry_scores_from_totals(rubric_totals(scores, criteria))


def entry_scores_from_totals(totals: dict[tuple[str, str], float]) -> dict[str, float]:
    """As :func:`normalized_entry_scores`, from rubric totals already computed."""
    by_entry: defaultdict[str, list[float]] = defaultdict(list)
    for (_juror_id, entry_id), value in normalized_totals(totals).items():
        by_entry[entry_id].append(value)
    return {
        entry_id: round(math.fsum(by_entry[entry_id]) / len(by_entry[entry_id]), DECIMALS)
        for entry_id in sorted(by_entry)
    }


def _mean_sd(values: list[float]) -> tuple[float, float]:
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _check_criteria(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise ScoreError("جدول امتیازدهی معیاری ندارد", "the rubric has no criteria")
    if len({c.key for c in criteria}) != len(criteria):
        raise ScoreError("کلید معیارها تکراری است", "criterion keys are not unique")
    for c in criteria:
        if not (math.isfinite(c.weight) and c.weight >= 0):
            raise ScoreError(f"وزن معیار «{c.key}» نامعتبر است", f"bad weight for {c.key!r}")
        if not (math.isfinite(c.max_value) and c.max_value > 0):
            raise ScoreError(
                f"بیشینهٔ امتیاز معیار «{c.key}» باید مثبت باشد", f"max_value of {c.key!r} must be > 0"
            )
    if math.fsum(c.weight for c in criteria) <= 0:
        raise ScoreError("همهٔ وزن‌ها صفر است", "all weights are zero")
