"""The scoring method, as one pure function of plain data: no database, no Django.

normalize each sub-indicator to 0–100 → weighted mean of sub-indicators → main indicators →
weighted mean of main indicators → total → band → competition rank (national and within peer
groups) → robustness: ``draws`` random perturbations of the weights and of the normalization,
giving each province a rank interval.

Missing data is never imputed: "not reported" scores 0 and is flagged; "not applicable" is left
out and the weights of what remains are renormalized. docs/modules/scorecard.md explains every
rule with its formula; ``tests/scorecard/independent.py`` recomputes published results from the
exported data with an independent implementation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

# The same codes as the model enums; the engine is kept free of Django so it can be read, tested
# and benchmarked on its own.
REPORTED = "reported"
NOT_REPORTED = "not_reported"
NOT_APPLICABLE = "not_applicable"
HIGHER = "higher"
TARGET, MINMAX, SCALE = "target", "minmax", "scale"
RATE, COUNT, DURATION, YES_NO, RUBRIC = "rate", "count", "duration", "yes_no", "rubric"
NUMERIC_KINDS = frozenset({RATE, COUNT, DURATION})
KINDS = frozenset({RATE, COUNT, DURATION, YES_NO, RUBRIC})
DIRECTIONS = frozenset({HIGHER, "lower"})
RULES = frozenset({TARGET, MINMAX, SCALE})
ZERO, ONE, HALF, HUNDRED = Fraction(0), Fraction(1), Fraction(1, 2), Fraction(100)

# A rank is "unstable" when its best and worst ranks over the draws (5th and 95th percentiles)
# are this many places apart or more: [2, 5] is unstable, [2, 4] is not.
UNSTABLE_WIDTH = 3
WEIGHT_SPREAD = 0.25  # each weight is multiplied by a uniform factor in [0.75, 1.25]


@dataclass(frozen=True)
class SubSpec:
    code: str
    parent: str
    kind: str
    direction: str
    normalization: str
    weight: float
    target: float | None = None


@dataclass(frozen=True)
class MainSpec:
    code: str
    weight: float


@dataclass(frozen=True)
class Band:
    code: str
    min: float


@dataclass(frozen=True)
class Entry:
    """A sub-indicator's effective value, already in its unit (a rate in %, a count per
    denominator, hours, 0/1, a rubric level 1–5)."""

    status: str
    value: float | None = None


@dataclass(frozen=True)
class ProvinceInput:
    code: str
    entries: Mapping[str, Entry]
    peer_group: str = ""


@dataclass
class ProvinceScore:
    code: str
    sub_scores: dict[str, float | None]
    main_scores: dict[str, float | None]
    total: float | None
    band: str = ""
    rank: int | None = None
    peer_group: str = ""
    peer_rank: int | None = None
    rank_low: int | None = None
    rank_high: int | None = None
    stable: bool = True
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Method:
    draws: int = 1000
    seed: int = 0
    weight_spread: float = WEIGHT_SPREAD
    unstable_width: int = UNSTABLE_WIDTH


class FrameworkError(ValueError):
    """The framework cannot be scored as given (e.g. a distance-to-target rule with no target)."""


def exact(x: float) -> Fraction:
    """The decimal a float stands for (its shortest repr): 59.995 is 59995/1000, not the binary
    value just below it, so rounding agrees with a person or a spreadsheet reading the inputs."""
    return Fraction(repr(float(x)))


def round_half_up(q: Fraction) -> Fraction:
    # Scores are published with two decimals and ranks compare the published figures, so that
    # anyone recomputing from the published table gets the same ties. Scores are never negative.
    return Fraction(math.floor(q * 100 + HALF), 100)


def _status(e: Entry) -> str:
    # "Reported" without a value is not a value: it counts as not reported, and is flagged.
    return NOT_REPORTED if e.status == REPORTED and e.value is None else e.status


def check_framework(mains: Sequence[MainSpec], subs: Sequence[SubSpec]) -> None:
    main_codes = {m.code for m in mains}
    if len(main_codes) != len(mains) or len({s.code for s in subs}) != len(subs):
        raise FrameworkError("duplicate indicator code")
    for s in subs:
        if s.parent not in main_codes:
            raise FrameworkError(f"{s.code}: unknown main indicator {s.parent!r}")
        if s.kind not in KINDS or s.direction not in DIRECTIONS or s.normalization not in RULES:
            raise FrameworkError(f"{s.code}: unknown kind, direction or normalization")
        if s.weight < 0:
            raise FrameworkError(f"{s.code}: negative weight")
        if s.target is not None and s.target < 0:
            raise FrameworkError(f"{s.code}: negative target")
        if s.normalization == TARGET and (s.target is None or (s.direction == HIGHER and s.target <= 0)):
            raise FrameworkError(f"{s.code}: distance to target needs a positive target")
        if s.normalization == SCALE and s.kind in (COUNT, DURATION):
            raise FrameworkError(f"{s.code}: a {s.kind} has no fixed scale; use target or minmax")
    if any(m.weight < 0 for m in mains):
        raise FrameworkError("negative main-indicator weight")
    if mains and not any(m.weight > 0 for m in mains):
        raise FrameworkError("every main indicator weighs 0: nothing to score")


def _scale_score(kind: str, higher: bool, v: Fraction) -> Fraction:
    if kind == YES_NO:
        s = HUNDRED if v >= 1 else ZERO
    elif kind == RUBRIC:
        s = (min(max(v, ONE), Fraction(5)) - 1) * 25
    else:  # a rate in percent
        s = min(max(v, ZERO), HUNDRED)
    return s if higher else HUNDRED - s


def _target_score(higher: bool, v: Fraction, target: Fraction) -> Fraction:
    if higher:
        return min(HUNDRED, max(ZERO, HUNDRED * v / target))
    if v <= target:
        return HUNDRED
    return max(ZERO, HUNDRED * target / v)


def normalize_column(
    spec: SubSpec, values: Sequence[Entry], rule: str | None = None
) -> list[Fraction | None]:
    """Exact scores 0–100 for one sub-indicator across all provinces (None: not applicable)."""
    rule = rule or spec.normalization
    higher = spec.direction == HIGHER
    reported = [exact(e.value) for e in values if _status(e) == REPORTED and e.value is not None]
    lo, hi = (min(reported), max(reported)) if reported else (ZERO, ZERO)
    out: list[Fraction | None] = []
    for e in values:
        status = _status(e)
        if status == NOT_APPLICABLE:
            out.append(None)
        elif status != REPORTED or e.value is None:
            out.append(ZERO)
        elif rule == SCALE:
            out.append(_scale_score(spec.kind, higher, exact(e.value)))
        elif rule == TARGET:
            assert spec.target is not None
            out.append(_target_score(higher, exact(e.value), exact(spec.target)))
        elif hi == lo:
            # All provinces equal: nobody is behind anybody, so nobody loses points.
            out.append(HUNDRED)
        else:
            share = (exact(e.value) - lo) / (hi - lo)
            out.append(HUNDRED * (share if higher else 1 - share))
    return out


def _weighted(scores: Sequence[Fraction | None], weights: Sequence[Fraction]) -> Fraction | None:
    num = den = ZERO
    for s, w in zip(scores, weights, strict=True):
        if s is not None:
            num += w * s
            den += w
    return num / den if den > 0 else None


def competition_ranks(totals: Sequence[float | None]) -> list[int | None]:
    """Standard competition ranking ("1224"): equal totals share a rank, the next rank skips."""
    ranked = sorted((t for t in totals if t is not None), reverse=True)
    first: dict[float, int] = {}
    for i, t in enumerate(ranked, start=1):
        first.setdefault(t, i)
    return [first[t] if t is not None else None for t in totals]


def band_for(total: float | None, bands: Sequence[Band]) -> str:
    if total is None:
        return ""
    for band in sorted(bands, key=lambda b: b.min, reverse=True):
        if total >= band.min:
            return band.code
    return ""


def score(
    mains: Sequence[MainSpec],
    subs: Sequence[SubSpec],
    provinces: Sequence[ProvinceInput],
    bands: Sequence[Band],
    method: Method = Method(),
) -> list[ProvinceScore]:
    check_framework(mains, subs)
    if not 0 <= method.weight_spread < 1 or method.draws < 0:
        raise FrameworkError("weight spread must be in [0, 1) and draws not negative")
    results = _score_once(mains, subs, provinces)
    totals = [r.total for r in results]
    for r, rank in zip(results, competition_ranks(totals), strict=True):
        r.rank = rank
        r.band = band_for(r.total, bands)
    for group in {p.peer_group for p in provinces if p.peer_group}:
        members = [r for r, p in zip(results, provinces, strict=True) if p.peer_group == group]
        for r, rank in zip(members, competition_ranks([r.total for r in members]), strict=True):
            r.peer_rank = rank
    for r, p in zip(results, provinces, strict=True):
        r.peer_group = p.peer_group
    if method.draws > 0 and provinces:
        _robustness(mains, subs, provinces, results, method)
    return results


def _score_once(
    mains: Sequence[MainSpec], subs: Sequence[SubSpec], provinces: Sequence[ProvinceInput]
) -> list[ProvinceScore]:
    """The published pass, in exact arithmetic, rounding half up to two decimals at each level."""
    columns: dict[str, list[Fraction | None]] = {}
    for spec in subs:
        entries = [p.entries.get(spec.code, Entry(NOT_REPORTED)) for p in provinces]
        columns[spec.code] = [
            None if s is None else round_half_up(s) for s in normalize_column(spec, entries)
        ]
    # Exact weights and each main indicator's children, once for all provinces.
    children = {m.code: [s for s in subs if s.parent == m.code] for m in mains}
    sub_weights = {m.code: [exact(s.weight) for s in children[m.code]] for m in mains}
    main_weights = [exact(m.weight) for m in mains]
    out = []
    for i, p in enumerate(provinces):
        flags: list[str] = []
        sub_scores = {s.code: columns[s.code][i] for s in subs}
        for s in subs:
            if _status(p.entries.get(s.code, Entry(NOT_REPORTED))) == NOT_REPORTED:
                flags.append(f"not_reported:{s.code}")
        main_scores: dict[str, Fraction | None] = {}
        for m in mains:
            value = _weighted([sub_scores[s.code] for s in children[m.code]], sub_weights[m.code])
            main_scores[m.code] = None if value is None else round_half_up(value)
            if value is None:
                flags.append(f"excluded:{m.code}")
        total = _weighted([main_scores[m.code] for m in mains], main_weights)
        out.append(
            ProvinceScore(
                p.code,
                {k: _float(v) for k, v in sub_scores.items()},
                {k: _float(v) for k, v in main_scores.items()},
                _float(None if total is None else round_half_up(total)),
                flags=flags,
            )
        )
    return out


def _float(q: Fraction | None) -> float | None:
    # A two-decimal Fraction becomes the float whose repr is those two decimals.
    return None if q is None else float(q)


def _matrix(
    subs: Sequence[SubSpec], provinces: Sequence[ProvinceInput], alternative: bool
) -> NDArray[np.float64]:
    """Provinces × sub-indicators scores (NaN: not applicable), by the framework's rule or its
    alternative (target ↔ min–max for numeric indicators that have a target)."""
    cols = []
    for spec in subs:
        rule = spec.normalization
        if alternative and spec.kind in NUMERIC_KINDS:
            if rule == TARGET:
                rule = MINMAX
            elif rule == MINMAX and spec.target is not None and (spec.target > 0 or spec.direction != HIGHER):
                rule = TARGET
        entries = [p.entries.get(spec.code, Entry(NOT_REPORTED)) for p in provinces]
        cols.append([np.nan if s is None else float(s) for s in normalize_column(spec, entries, rule)])
    return np.array(cols, dtype=np.float64).T


def _robustness(
    mains: Sequence[MainSpec],
    subs: Sequence[SubSpec],
    provinces: Sequence[ProvinceInput],
    results: list[ProvinceScore],
    method: Method,
) -> None:
    """Monte Carlo uncertainty analysis after the OECD/JRC handbook: weights and normalization
    vary together, the rank of every province is recorded per draw, and the 5th–95th percentile
    of those ranks (widened to include the published rank) is its rank interval."""
    rng = np.random.default_rng(method.seed)
    d, n_sub, n_main = method.draws, len(subs), len(mains)
    base, alt = _matrix(subs, provinces, False), _matrix(subs, provinces, True)  # P × S
    lo, hi = 1.0 - method.weight_spread, 1.0 + method.weight_spread
    w_sub = np.array([s.weight for s in subs]) * rng.uniform(lo, hi, (d, n_sub))  # D × S
    w_main = np.array([m.weight for m in mains]) * rng.uniform(lo, hi, (d, n_main))  # D × M
    use_alt = rng.random((d, n_sub)) < 0.5  # D × S
    scores = np.where(use_alt[:, None, :], alt[None, :, :], base[None, :, :])  # D × P × S
    applicable = ~np.isnan(scores)
    scores = np.nan_to_num(scores)
    parent = np.array([[1.0 if s.parent == m.code else 0.0 for m in mains] for s in subs])  # S × M
    # (D × P × S) @ (S × M): plain matrix products, several times faster than a 3-operand einsum.
    num = (scores * w_sub[:, None, :]) @ parent
    den = (applicable * w_sub[:, None, :]) @ parent
    with np.errstate(invalid="ignore", divide="ignore"):
        main = np.where(den > 0, num / den, np.nan)  # D × P × M
    main_ok = ~np.isnan(main)
    t_num = (np.nan_to_num(main) * w_main[:, None, :]).sum(axis=2)
    t_den = (main_ok * w_main[:, None, :]).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(t_den > 0, np.round(t_num / t_den, 2), np.nan)  # D × P
    # Competition rank per draw: 1 + the number of provinces with a strictly higher total.
    filled = np.where(np.isnan(total), -np.inf, total)
    ranks = 1 + (filled[:, None, :] > filled[:, :, None]).sum(axis=2)  # D × P
    for i, r in enumerate(results):
        if r.rank is None:
            r.stable = True
            continue
        low = int(np.percentile(ranks[:, i], 5, method="lower"))
        high = int(np.percentile(ranks[:, i], 95, method="higher"))
        r.rank_low, r.rank_high = min(low, r.rank), max(high, r.rank)
        r.stable = (r.rank_high - r.rank_low) < method.unstable_width
