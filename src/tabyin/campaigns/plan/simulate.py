"""A simulated outcome panel with a known effect: for the demo, the tests and the benchmarks.

Monthly values per province = a base proportional to the province's population + a common trend
+ a seasonal wave over the Jalali year + noise, and, from each campaign province's launch month
on, ``effect`` more. The true effect is therefore known exactly: what the estimators must find.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

import jdatetime


@dataclass(frozen=True)
class SimulatedPanel:
    rows: list[tuple[str, date, float]]  # (province ISO code, month's first day, value)
    treated: dict[str, date]
    held_out: list[str]
    effect: float
    months: list[date]


def jalali_months(first_year: int, first_month: int, count: int) -> list[date]:
    """The Gregorian first days of ``count`` Jalali months from (year, month)."""
    found = []
    year, month = first_year, first_month
    for _ in range(count):
        found.append(jdatetime.date(year, month, 1).togregorian())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def simulate(
    *,
    populations: dict[str, int],
    treated_launch: dict[str, int],
    held_out: list[str],
    months: list[date],
    effect: float,
    seed: int,
    noise: float = 12.0,
) -> SimulatedPanel:
    """``treated_launch`` maps a campaign province to the index of its launch month in ``months``."""
    rng = random.Random(seed)  # noqa: S311 - simulated figures, nothing secret
    rows = []
    for iso in sorted([*treated_launch, *held_out]):
        base = 60 + populations[iso] / 20_000
        level = rng.uniform(0.9, 1.1)
        for i, month in enumerate(months):
            season = 1 + 0.08 * math.sin(2 * math.pi * i / 12)
            value = (base * level + 1.5 * i) * season + rng.gauss(0, noise)
            if iso in treated_launch and i >= treated_launch[iso]:
                value += effect
            rows.append((iso, month, round(max(value, 0.0), 1)))
    return SimulatedPanel(
        rows=rows,
        treated={iso: months[i] for iso, i in treated_launch.items()},
        held_out=list(held_out),
        effect=effect,
        months=months,
    )
