"""The simulated designs the estimators are validated on (tests, the coverage benchmark) and the
campaigns demo shows: the demo's 8 campaign and 6 held-out provinces, 24 months from 2024-01."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tabyin.campaigns.effects.simulate import add_months, iran_provinces, month_index, simulate_panel

__all__ = ["LAUNCH", "STAGGERED", "Staggered", "single_launch", "staggered_launch", "true_att"]

START = date(2024, 1, 1)
MONTHS = 24
LAUNCH = date(2025, 3, 1)  # month 15 of 24: 14 months before, 10 after
TREATED, HELD_OUT = 8, 6

Design = tuple[pd.DataFrame, dict[str, date], list[str]]


@dataclass(frozen=True)
class Staggered:
    """Two launch cohorts whose effects differ and grow each month: where a naive two-way fixed
    effects regression goes wrong."""

    launches: tuple[date, date] = (date(2024, 9, 1), date(2025, 7, 1))
    effect: float = 6.0
    growth: float = 0.3
    cohort_scale: dict[date, float] = field(
        default_factory=lambda: {date(2024, 9, 1): 1.6, date(2025, 7, 1): 0.4}
    )

    def treated(self) -> dict[str, date]:
        codes = [p.code for p in iran_provinces()[:TREATED]]
        return {code: self.launches[k % 2] for k, code in enumerate(codes)}


STAGGERED = Staggered()


def single_launch(
    seed: int, *, treated: int = TREATED, comparison: int = HELD_OUT, effect: float = 10.0
) -> Design:
    """One launch month; the first ``treated`` provinces of core's table have the campaign, the next
    ``comparison`` ones are the comparison (held out, or the donors of a synthetic control)."""
    provinces = iran_provinces()[: treated + comparison]
    launches = {p.code: LAUNCH for p in provinces[:treated]}
    panel = simulate_panel(
        provinces=provinces, treated=launches, effect=effect, seed=seed, start=START, months=MONTHS
    )
    return panel, launches, [p.code for p in provinces[treated:]]


def staggered_launch(seed: int, spec: Staggered = STAGGERED, *, effect: float | None = None) -> Design:
    provinces = iran_provinces()[: TREATED + HELD_OUT]
    treated = spec.treated()
    panel = simulate_panel(
        provinces=provinces,
        treated=treated,
        effect=spec.effect if effect is None else effect,
        seed=seed,
        start=START,
        months=MONTHS,
        growth=spec.growth,
        cohort_scale=spec.cohort_scale,
    )
    return panel, treated, [p.code for p in provinces[TREATED:]]


def true_att(spec: Staggered) -> float:
    """The true average effect over every treated province-month from launch on."""
    effects = []
    for launch in spec.treated().values():
        for t in range(month_index(START, launch), MONTHS):
            since = month_index(launch, add_months(START, t))
            effects.append(spec.effect * spec.cohort_scale[launch] * (1 + spec.growth * since))
    return sum(effects) / len(effects)
