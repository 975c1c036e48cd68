"""Deterministic sample data for the scorecard demo: what 31 provincial PR units would enter for
the 60 sub-indicators of the default framework in two yearly periods, and the rubric levels HQ's
reviewers would set. Pure: no database; the same inputs always give the same strings.

Each province has a latent *capability* (a standard normal draw); every sub-indicator is a noisy,
monotone function of it, so totals spread the way real evaluations do (a few leading provinces, a
long middle, a weak tail) instead of being uniform noise. The second period's capability is
correlated with the first (ρ ≈ 0.8), so most ranks hold and some move. Two provinces of the middle
get the same capability with opposite strengths, so the robustness analysis shows unstable ranks.

Calibration (shared/data/sso/reference-figures.md §8, shared/data/iran/provinces.csv): covered
population = 2016 census × 1.08 (an assumption for 1403, not an SCI figure) × the province's SSO
coverage rate (27 % Sistan and Baluchestan … 85 % Yazd); PR staff 4–40 full-time equivalents by
size; rates 40–98 %; durations in hours around the framework's targets; counts proportional to
their denominator, so that per-head figures, not province size, separate provinces.
These are SAMPLE DATA: the pages that show them say so.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tabyin.scorecard.enums import Denominator, Direction, IndicatorKind, ValueStatus

SEED = 16  # picked among 1–40 for a readable story (Tehran mid-table, unstable ranks in both years)
PERIODS = ("1403", "1404")
# Open for data entry when the demo starts: Tehran's officer has entered part of it.
OPEN_PERIOD = "1405"
ALL_PERIODS = (*PERIODS, OPEN_PERIOD)
POPULATION_SCALE = 1.08  # census 2016 → 1403 (assumption)
POPULATION_GROWTH = 0.011  # a year
PERSISTENCE = 0.92  # correlation of capability between consecutive periods
STRENGTH = 0.75  # correlation of a province's indicator-level noise between periods

# SSO coverage rate by province (reference-figures.md §2 and §8; the same table as the portal's
# sample figures — apps do not import each other, so it is repeated here).
COVERAGE: dict[str, float] = {
    "IR-00": 0.70, "IR-01": 0.55, "IR-02": 0.55, "IR-03": 0.55, "IR-04": 0.35, "IR-05": 0.45,
    "IR-06": 0.56, "IR-07": 0.55, "IR-08": 0.47, "IR-09": 0.52, "IR-10": 0.72, "IR-11": 0.27,
    "IR-12": 0.43, "IR-13": 0.50, "IR-14": 0.46, "IR-15": 0.42, "IR-16": 0.46, "IR-17": 0.45,
    "IR-18": 0.80, "IR-19": 0.50, "IR-20": 0.72, "IR-21": 0.85, "IR-22": 0.52, "IR-23": 0.70,
    "IR-24": 0.44, "IR-25": 0.62, "IR-26": 0.65, "IR-27": 0.44, "IR-28": 0.37, "IR-29": 0.45,
    "IR-30": 0.68,
}  # fmt: skip

# The story the demo tells, besides the numbers.
NEAR_TIE = ("IR-13", "IR-19")  # Hamadan and Zanjan: mid-table, equal level, opposite strengths
NEAR_TIE_LEVEL = {"1403": 0.15, "1404": 0.15}
# The first of the pair is better at the public-facing main indicators (half the weight of the
# default framework), the second at the rest; their noise is shared, so only the profile differs.
STRONG_IN = ("M02", "M03", "M05", "M07", "M08", "M09")
TILT = 0.6
SHIFT, SPREAD = 0.4, 1.6  # how capability maps to a 0–1 quality (see _quality)
INCIDENTS = 9  # provinces with a crisis in a period; elsewhere S21 and S22 are not applicable
LATE = ("1404", "IR-16")  # Ilam submits after the deadline
APPEAL = ("1403", "IR-08")  # Kerman appeals its published result (rejected)
CORRECTED = ("1404", "IR-06", "S10")  # Khuzestan's media coverage counted reposts twice
DUPLICATE_SHARE = 0.35  # the share of the entered count that were duplicates
# Items a province did not measure (0 points, flagged) …
NOT_REPORTED = {"1403": (("IR-28", "S29"), ("IR-11", "S35")), "1404": (("IR-17", "S29"), ("IR-29", "S19"))}
# … and FOIA rates where no request arrived in the year (left out, weights renormalized).
NO_REQUESTS = {"1403": (("IR-16", "S23"), ("IR-29", "S23")), "1404": (("IR-20", "S23"),)}


@dataclass(frozen=True)
class Province:
    iso: str
    population: int


@dataclass(frozen=True)
class Spec:
    """What the generator needs to know of a sub-indicator (from the installed framework)."""

    code: str
    parent: str
    kind: str
    direction: str = Direction.HIGHER
    denominator: str = Denominator.NONE
    computed: bool = False
    evidence_required: bool = False


@dataclass(frozen=True)
class Profile:
    """The measured value's range (best for a capable province at ``hi``, in the indicator's unit
    after division by its denominator), and how a province would enter it."""

    lo: float
    hi: float
    log: bool = False  # spread on a log scale (skewed counts and durations)
    base: tuple[float, float] | None = None  # a rate entered as numerator / denominator: its range
    per_100k: float = 0.0  # … or a denominator of this many per 100,000 covered people
    sized: bool = False  # a plain count (or a rate's base) that grows with √(province size)


# Measured ranges by sub-indicator code. Durations are in hours (lower is better), counts per
# denominator (per FTE of PR staff, per 100,000 covered), rates in percent.
PROFILES: dict[str, Profile] = {
    "S02": Profile(0, 4),
    "S03": Profile(0.05, 0.3, base=(400_000, 900_000), sized=True),  # million rials
    "S04": Profile(8, 60, log=True),
    "S05": Profile(25, 140, log=True),
    "S07": Profile(2, 36, log=True),
    "S08": Profile(4, 40, log=True),
    "S09": Profile(1, 8, log=True),
    "S10": Profile(8, 60, log=True),
    "S11": Profile(45, 98, base=(12, 60), sized=True),
    "S13": Profile(40, 98),
    "S14": Profile(30, 95),
    "S15": Profile(2, 26),
    "S16": Profile(40, 98),
    "S17": Profile(6, 120, log=True),
    "S18": Profile(40, 98, base=(4, 20), sized=True),
    "S19": Profile(20, 90),
    "S21": Profile(0.5, 12, log=True),
    "S23": Profile(40, 100, base=(6, 45), sized=True),
    "S24": Profile(2, 40, log=True, sized=True),
    "S25": Profile(48, 1000, log=True),
    "S27": Profile(55, 99, per_100k=400),
    "S28": Profile(48, 600, log=True),
    "S29": Profile(45, 92),
    "S30": Profile(5, 40, base=(20, 200), sized=True),
    "S31": Profile(0.5, 4, log=True),
    "S32": Profile(0.3, 3, log=True),
    "S33": Profile(1, 8, log=True),
    "S35": Profile(50, 95),
    "S36": Profile(0.2, 3, log=True),
    "S38": Profile(30, 250, log=True),
    "S39": Profile(0.8, 8),
    "S40": Profile(40, 98, per_100k=30),
    "S42": Profile(20, 110, log=True),
    "S43": Profile(15, 150, log=True),
    "S44": Profile(1, 20, log=True),
    "S46": Profile(1, 9, sized=True),
    "S48": Profile(1, 10, log=True),
    "S49": Profile(2, 25, log=True),
    "S50": Profile(2, 24),
    "S51": Profile(0, 4),
    "S52": Profile(50, 99, base=(20, 120), sized=True),
    "S53": Profile(2, 24, log=True),
    "S54": Profile(0, 6, sized=True),
    "S58": Profile(0.1, 1.2, log=True),
    "S59": Profile(0.5, 6, log=True),
    "S60": Profile(0.5, 6, log=True),
}
DEFAULTS: dict[str, Profile] = {
    IndicatorKind.RATE: Profile(40, 98),
    IndicatorKind.DURATION: Profile(6, 120, log=True),
    IndicatorKind.COUNT: Profile(1, 20, log=True),
}
CRISIS = ("S21", "S22")  # need an incident to be measured


@dataclass(frozen=True)
class ProvinceSample:
    iso: str
    covered_population: int
    pr_staff: Decimal
    rows: dict[str, dict[str, str]]  # what the province enters (values_save)
    levels: dict[str, dict[str, str]]  # what the reviewers set for rubric items (rubric_set)
    evidence: tuple[str, ...]  # sub-indicators it attaches a file to


@dataclass(frozen=True)
class PeriodSample:
    code: str
    provinces: dict[str, ProvinceSample]
    late: str = ""  # the province that submits after the deadline
    # (province, sub-indicator, the corrected entry, duplicates removed)
    correction: tuple[str, str, dict[str, str], int] | None = None
    incidents: tuple[str, ...] = field(default_factory=tuple)


def _rng(*key: object) -> random.Random:
    return random.Random(":".join(str(k) for k in (SEED, *key)))  # noqa: S311 (sample data)


def _gauss(*key: object) -> float:
    return _rng(*key).gauss(0, 1)


def capability(period: str, iso: str) -> float:
    """The province's latent capability in a period: a random walk from the first period."""
    value = _gauss("capability", PERIODS[0], iso)
    fresh = math.sqrt(1 - PERSISTENCE**2)
    for code in ALL_PERIODS[1 : ALL_PERIODS.index(period) + 1]:
        value = PERSISTENCE * value + fresh * _gauss("capability", code, iso)
    return NEAR_TIE_LEVEL.get(period, value) if iso in NEAR_TIE else value


def _quality(period: str, iso: str, spec: Spec, noise: float = 0.6) -> float:
    """0–1, higher is better: the province's capability seen through one indicator, with noise.
    Centred a little above the middle (most units do most of what is asked) and compressed, so
    totals run from the 20s to the 90s as in published evaluations rather than from 0 to 100."""
    z = capability(period, iso)
    key = iso
    if iso in NEAR_TIE:
        # Same level, opposite profiles: perturbing the weights then reorders them and their
        # neighbours, which is what an unstable rank interval is for.
        z += TILT if (spec.parent in STRONG_IN) == (iso == NEAR_TIE[0]) else -TILT
        key = NEAR_TIE[0]
    # A province's particular strengths mostly persist from one period to the next.
    lasting, now = _gauss("strength", key, spec.code), _gauss("value", period, key, spec.code)
    z += noise * (STRENGTH * lasting + math.sqrt(1 - STRENGTH**2) * now)
    return 0.5 * (1 + math.erf((z + SHIFT) / (SPREAD * math.sqrt(2))))


def _between(profile: Profile, q: float) -> float:
    if profile.log and profile.lo > 0:
        return float(profile.lo * (profile.hi / profile.lo) ** q)
    return profile.lo + (profile.hi - profile.lo) * q


def covered_population(period: str, p: Province) -> int:
    years = ALL_PERIODS.index(period)
    rate = COVERAGE.get(p.iso, 0.55) + 0.005 * years
    return round(p.population * POPULATION_SCALE * (1 + POPULATION_GROWTH) ** years * rate)


def pr_staff(period: str, p: Province, smallest: int, largest: int) -> Decimal:
    """4 FTE in the smallest province to 40 in the largest, on a square-root scale, ±0.5."""
    share = math.sqrt((p.population - smallest) / max(1, largest - smallest))
    fte = 4 + 36 * share + _rng("staff", period, p.iso).choice((-0.5, 0, 0, 0.5))
    return Decimal(str(max(4.0, round(fte * 2) / 2)))


@dataclass(frozen=True)
class _Unit:
    """A province's denominators in a period, and its size relative to the median province."""

    covered: int
    staff: Decimal
    size: float


def _entry(spec: Spec, q: float, unit: _Unit) -> dict[str, str]:
    """What an officer types for a reported numeric value of quality ``q``."""
    profile = PROFILES.get(spec.code) or DEFAULTS[spec.kind]
    measured = _between(profile, q if spec.direction == Direction.HIGHER else 1 - q)
    sized = unit.size if profile.sized else 1.0
    if spec.kind == IndicatorKind.DURATION:
        return {"value": f"{measured:.1f}"}
    if spec.kind == IndicatorKind.COUNT:
        per: dict[str, float] = {
            Denominator.COVERED_100K: unit.covered / 100_000,
            Denominator.PR_STAFF: float(unit.staff),
        }
        return {"value": str(max(0, round(measured * per.get(spec.denominator, sized))))}
    # A rate: as numerator and denominator where the unit keeps such a log, else in percent.
    if profile.per_100k or profile.base:
        lo, hi = profile.base or (1, 1)
        den = round(profile.per_100k * unit.covered / 100_000) or round(
            _between(Profile(lo, hi), 0.35 + 0.3 * q) * sized
        )
        den = max(den, 1)
        return {"numerator": str(min(den, round(den * measured / 100))), "denominator": str(den)}
    return {"value": f"{min(measured, 100.0):.1f}" + ("%" if measured < 1 else "")}


def _status(period: str, iso: str, code: str, incidents: tuple[str, ...]) -> str:
    if (code in CRISIS and iso not in incidents) or (iso, code) in NO_REQUESTS.get(period, ()):
        return ValueStatus.NOT_APPLICABLE
    if (iso, code) in NOT_REPORTED.get(period, ()):
        return ValueStatus.NOT_REPORTED
    return ValueStatus.REPORTED


def _province(
    period: str, p: Province, unit: _Unit, specs: Sequence[Spec], incidents: tuple[str, ...]
) -> ProvinceSample:
    rows: dict[str, dict[str, str]] = {}
    levels: dict[str, dict[str, str]] = {}
    evidence: list[str] = []
    for spec in specs:
        if spec.computed:
            continue
        status = _status(period, p.iso, spec.code, incidents)
        rubric = spec.kind == IndicatorKind.RUBRIC
        if rubric:
            # Reviewers judge from the evidence: a level the capability explains, with noise; with
            # no incident there is nothing to judge, and they say so.
            level = min(5, max(1, round(1 + 4 * _quality(period, p.iso, spec, 0.9))))
            levels[spec.code] = (
                {"status": status} if status != ValueStatus.REPORTED else {"value": str(level)}
            )
        elif status != ValueStatus.REPORTED:
            rows[spec.code] = {"status": status}
        elif spec.kind == IndicatorKind.YES_NO:
            rows[spec.code] = {"value": "بله" if _quality(period, p.iso, spec) > 0.2 else "خیر"}
        else:
            rows[spec.code] = _entry(spec, _quality(period, p.iso, spec), unit)
        # Evidence goes with what was reported (for a rubric, the reviewers' basis).
        if spec.evidence_required and status == ValueStatus.REPORTED:
            evidence.append(spec.code)
    return ProvinceSample(p.iso, unit.covered, unit.staff, rows, levels, tuple(evidence))


def sample(period: str, provinces: Sequence[Province], specs: Sequence[Spec]) -> PeriodSample:
    """Every province's entries, rubric levels and evidence for one period (1403, 1404 or 1405)."""
    populations = sorted(p.population for p in provinces)
    median = populations[len(populations) // 2]
    incidents = tuple(sorted(_rng("incidents", period).sample([p.iso for p in provinces], INCIDENTS)))
    out: dict[str, ProvinceSample] = {}
    for p in provinces:
        unit = _Unit(
            covered_population(period, p),
            pr_staff(period, p, populations[0], populations[-1]),
            min(2.0, max(0.6, math.sqrt(p.population / median))),
        )
        out[p.iso] = _province(period, p, unit, specs, incidents)
    correction = None
    wrong_period, iso, code = CORRECTED
    if period == wrong_period and iso in out and code in out[iso].rows:
        # The officer's count included reposts of the same item; HQ corrects it to the true one.
        rows = out[iso].rows
        true = rows[code]
        duplicates = round(int(true["value"]) * DUPLICATE_SHARE / (1 - DUPLICATE_SHARE))
        rows[code] = {"value": str(int(true["value"]) + duplicates)}
        correction = (iso, code, true, duplicates)
    late = LATE[1] if LATE[0] == period else ""
    return PeriodSample(period, out, late=late, correction=correction, incidents=incidents)
