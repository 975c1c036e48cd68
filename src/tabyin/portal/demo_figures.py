"""Deterministic sample figures for the demo, calibrated on public reference figures.

Calibration (shared/data/sso/reference-figures.md, §8): about 48 M covered people (≈55 % of the
population; from 27 % in Sistan and Baluchestan to 85 % in Yazd), about 1,000,000 outpatient and
13,000 inpatient services a day, about 16.5 M main insured and 5 M main pensioners, pensions about
70 % of spending, minimum pension raised every Farvardin. Every number is derived from the seed
and the (indicator, area, period) key only, so the same seed always gives the same figures.
These are SAMPLE DATA, and every page says so.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SEED = 1405
FIRST_YEAR = 1402
LAST_PERIOD = (1405, 7)
PROVISIONAL_FROM = "1405-06"

# Census 2016 population scaled to 1403 (an assumption, not an official figure: ×1.08), then
# ≈1.1 % a year.
POPULATION_SCALE = 1.08
POPULATION_GROWTH = 0.011

COVERAGE: dict[str, float] = {
    "IR-00": 0.70, "IR-01": 0.55, "IR-02": 0.55, "IR-03": 0.55, "IR-04": 0.35, "IR-05": 0.45,
    "IR-06": 0.56, "IR-07": 0.55, "IR-08": 0.47, "IR-09": 0.52, "IR-10": 0.72, "IR-11": 0.27,
    "IR-12": 0.43, "IR-13": 0.50, "IR-14": 0.46, "IR-15": 0.42, "IR-16": 0.46, "IR-17": 0.45,
    "IR-18": 0.80, "IR-19": 0.50, "IR-20": 0.72, "IR-21": 0.85, "IR-22": 0.52, "IR-23": 0.70,
    "IR-24": 0.44, "IR-25": 0.62, "IR-26": 0.65, "IR-27": 0.44, "IR-28": 0.37, "IR-29": 0.45,
    "IR-30": 0.68,
}  # fmt: skip

# Nowruz holidays empty the clinics in Farvardin; autumn and winter are busiest.
OUTPATIENT_SEASON = (0.78, 0.97, 1.00, 0.96, 0.95, 1.00, 1.05, 1.07, 1.06, 1.06, 1.04, 0.98)
INPATIENT_SEASON = (0.88, 0.99, 1.00, 0.98, 0.97, 1.00, 1.02, 1.03, 1.03, 1.03, 1.02, 0.99)
# Average monthly pension in million tomans, raised each Farvardin.
AVERAGE_PENSION = {1402: 9.0, 1403: 11.6, 1404: 15.1, 1405: 19.3}
DEBT_START = 600_000  # billion tomans owed by the government at the start of 1402
DEBT_SETTLEMENTS = {"1403-06": 70_000, "1404-09": 115_000}  # bonds and shares


@dataclass(frozen=True)
class Figure:
    indicator: str
    area: str
    period: str
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def periods() -> list[str]:
    out: list[str] = []
    for year in range(FIRST_YEAR, LAST_PERIOD[0] + 1):
        last_month = LAST_PERIOD[1] if year == LAST_PERIOD[0] else 12
        out.extend(f"{year}-{month:02d}" for month in range(1, last_month + 1))
    return out


def _jitter(key: str, spread: float) -> float:
    return 1 + random.Random(f"{SEED}:{key}").uniform(-spread, spread)  # noqa: S311 (sample data)


def _years(period: str) -> float:
    year, month = int(period[:4]), int(period[5:])
    return (year - 1403) + (month - 1) / 12


def _days(period: str) -> int:
    month = int(period[5:])
    return 31 if month <= 6 else (30 if month < 12 else 29)


def _int(x: float) -> Decimal:
    return Decimal(round(x))


def _round(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class Province:
    def __init__(self, iso: str, population_2016: int) -> None:
        self.iso = iso
        self.population_2016 = population_2016

    def population(self, period: str) -> float:
        growth: float = (1 + POPULATION_GROWTH) ** _years(period)
        return self.population_2016 * POPULATION_SCALE * growth

    def coverage(self, period: str) -> float:
        # Coverage creeps up ≈0.4 points a year, a little faster where it is low.
        base = COVERAGE[self.iso]
        return min(0.9, base + (0.004 + (0.6 - base) * 0.004) * _years(period))

    def covered(self, period: str) -> float:
        return self.population(period) * self.coverage(period) * _jitter(f"cov:{self.iso}:{period}", 0.002)

    def main_insured(self, period: str) -> float:
        return self.covered(period) * 0.345 * _jitter(f"main:{self.iso}", 0.04)

    def support_ratio(self, period: str) -> float:
        # Pensioners grow ≈6 %/yr against ≈1 % for the insured: the ratio falls.
        industrial = 0.25 * (COVERAGE[self.iso] - 0.55)
        decline: float = 0.95 ** _years(period)
        return (3.4 + industrial) * decline * _jitter(f"sup:{self.iso}", 0.05)


def _level(area: str, period: str, x: float, indicator: str) -> Figure:
    return Figure(indicator, area, period, _int(x))


def _rate(
    indicator: str, area: str, period: str, num: Decimal, den: Decimal, *, factor: int, places: int
) -> Figure:
    return Figure(indicator, area, period, _round(num / den * factor, places), num, den)


def province_figures(p: Province, period: str) -> Iterator[Figure]:
    month = int(period[5:])
    year = int(period[:4])
    covered = p.covered(period)
    per_person = 1_000_000 / 48_000_000
    trend = 1.02 ** _years(period)
    yield _level(
        p.iso,
        period,
        covered * per_person * OUTPATIENT_SEASON[month - 1] * trend * _jitter(f"op:{p.iso}:{period}", 0.03),
        "outpatient-services-per-day",
    )
    yield _level(
        p.iso,
        period,
        covered
        * (13_000 / 48_000_000)
        * INPATIENT_SEASON[month - 1]
        * trend
        * _jitter(f"ip:{p.iso}:{period}", 0.04),
        "inpatient-services-per-day",
    )
    beds = max(40.0, covered * 9_000 / 48_000_000)
    bed_days = _int(beds * _days(period))
    occupancy = (0.76 + 0.08 * (_jitter(f"occ:{p.iso}", 1.0) - 1)) * INPATIENT_SEASON[month - 1]
    yield _rate(
        "bed-occupancy",
        p.iso,
        period,
        _int(float(bed_days) * min(occupancy, 0.97)),
        bed_days,
        factor=100,
        places=1,
    )
    covered_d = _int(covered)
    yield Figure("covered-people", p.iso, period, covered_d)
    yield _rate("coverage-rate", p.iso, period, covered_d, _int(p.population(period)), factor=100, places=1)
    main = _int(p.main_insured(period))
    pensioners = _int(float(main) / p.support_ratio(period))
    yield Figure("main-insured", p.iso, period, main)
    yield Figure("pensioners", p.iso, period, pensioners)
    yield _rate("support-ratio", p.iso, period, main, pensioners, factor=1, places=2)
    pensions = float(pensioners) * AVERAGE_PENSION[year] / 1000 * _jitter(f"pen:{p.iso}:{period}", 0.01)
    spending = pensions / 0.70 * _jitter(f"exp:{p.iso}:{period}", 0.02)
    yield _level(p.iso, period, pensions, "pensions-paid")
    yield _level(p.iso, period, spending, "expenditures")
    # Premiums follow the insured, not the pensioners: industrial provinces pay in more.
    premium_share = 0.80 * (1 + 1.2 * (COVERAGE[p.iso] - 0.55))
    yield _level(
        p.iso, period, spending * premium_share * _jitter(f"res:{p.iso}:{period}", 0.02), "resources"
    )
    requests = _int(float(main) * 0.25 * _jitter(f"req:{p.iso}:{period}", 0.03))
    share = min(0.95, (0.45 + 0.08 * (_years(period) + 1)) + 0.1 * (COVERAGE[p.iso] - 0.55))
    online = _int(float(requests) * share * _jitter(f"onl:{p.iso}:{period}", 0.01))
    yield _rate("online-share", p.iso, period, online, requests, factor=100, places=1)
    yield Figure("online-requests", p.iso, period, online)


RATES = {
    "bed-occupancy": (100, 1),
    "coverage-rate": (100, 1),
    "support-ratio": (1, 2),
    "online-share": (100, 1),
}


def national_figures(period: str, rows: list[Figure]) -> Iterator[Figure]:
    """IR is the sum of the provinces (levels and amounts) or sum(num) ÷ sum(den) (rates)."""
    by_indicator: dict[str, list[Figure]] = {}
    for row in rows:
        by_indicator.setdefault(row.indicator, []).append(row)
    for code, items in by_indicator.items():
        if code in RATES:
            factor, places = RATES[code]
            num = sum((r.numerator or Decimal(0) for r in items), Decimal(0))
            den = sum((r.denominator or Decimal(0) for r in items), Decimal(0))
            yield _rate(code, "IR", period, num, den, factor=factor, places=places)
        else:
            yield Figure(code, "IR", period, sum((r.value for r in items), Decimal(0)))


def government_debt(period: str) -> Figure:
    debt = float(DEBT_START)
    for p in periods():
        debt += 4_200 * _jitter(f"debt:{p}", 0.2)
        debt -= DEBT_SETTLEMENTS.get(p, 0)
        if p == period:
            break
    return Figure("government-debt", "IR", period, _int(debt))


def all_figures(provinces: list[Province]) -> list[Figure]:
    out: list[Figure] = []
    for period in periods():
        rows = [f for p in provinces for f in province_figures(p, period)]
        out.extend(rows)
        out.extend(national_figures(period, rows))
        out.append(government_debt(period))
    return out


def to_csv(figures: list[Figure]) -> bytes:
    lines = ["indicator,area,period,value,numerator,denominator"]
    for f in figures:
        num = "" if f.numerator is None else str(f.numerator)
        den = "" if f.denominator is None else str(f.denominator)
        lines.append(f"{f.indicator},{f.area},{f.period},{f.value},{num},{den}")
    return ("\n".join(lines) + "\n").encode()


def checksum(figures: list[Figure]) -> int:
    """A stable fingerprint of the whole sample, for the determinism test."""
    return sum(int(f.value * 100) * (i % 97 + 1) for i, f in enumerate(figures)) % (2**61 - 1)


__all__ = ["SEED", "Figure", "Province", "all_figures", "checksum", "periods", "to_csv"]
