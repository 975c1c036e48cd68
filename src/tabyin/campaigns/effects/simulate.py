"""Simulated outcome panels with a KNOWN effect: what the estimators are validated on (tests,
benchmark) and what the campaigns demo shows. Nothing here is data about a real campaign.

The model, per province ``i`` and month ``t`` (0-based from ``start``)::

    y[i, t] = level[i] + trend[i] * t + season[i] * sin(2π (month - 1) / 12)
              + effect[i, t] + noise[i, t]

``level`` grows with population (a province of three million has more enrolments than one of
half a million), ``trend`` and ``season`` vary between provinces, and ``noise`` is AR(1) so that
months close together are alike, as real monthly counts are. ``effect[i, t]`` is zero before the
province's launch and ``effect * (1 + growth * months_since_launch)`` from the launch on, times
``cohort_scale`` of the province's launch cohort (heterogeneous effects under staggered adoption).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["ProvinceInfo", "add_months", "iran_provinces", "month_index", "simulate_panel"]


@dataclass(frozen=True)
class ProvinceInfo:
    code: str
    population: int


def iran_provinces() -> list[ProvinceInfo]:
    """The 31 provinces and their 2016 census population, from core's province table."""
    text = resources.files("tabyin.core").joinpath("data/provinces.csv").read_text(encoding="utf-8")
    return [
        ProvinceInfo(row["iso_3166_2"], int(row["population_2016"])) for row in csv.DictReader(text.splitlines())
    ]


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_index(first: date, month: date) -> int:
    return (month.year - first.year) * 12 + month.month - first.month


def simulate_panel(
    *,
    provinces: Sequence[ProvinceInfo],
    treated: Mapping[str, date],
    effect: float,
    seed: int,
    start: date = date(2024, 1, 1),
    months: int = 24,
    growth: float = 0.0,
    cohort_scale: Mapping[date, float] | None = None,
    noise_sd: float = 4.0,
    noise_ar: float = 0.3,
) -> pd.DataFrame:
    """A panel with columns ``province``, ``month`` (first of month) and ``outcome``."""
    rng = np.random.default_rng(seed)
    n = len(provinces)
    population = np.array([p.population for p in provinces], dtype=float) / 1_000_000
    level = 40.0 * population + rng.normal(0.0, 5.0, n)
    trend = rng.normal(0.4, 0.25, n)
    season = 6.0 + 2.0 * population + rng.normal(0.0, 1.0, n)
    noise = np.zeros((n, months))
    shocks = rng.normal(0.0, noise_sd * math.sqrt(1 - noise_ar**2), (n, months))
    noise[:, 0] = rng.normal(0.0, noise_sd, n)
    for t in range(1, months):
        noise[:, t] = noise_ar * noise[:, t - 1] + shocks[:, t]
    rows: list[tuple[str, date, float]] = []
    for i, province in enumerate(provinces):
        launch = treated.get(province.code)
        scale = 1.0 if launch is None or cohort_scale is None else cohort_scale.get(launch, 1.0)
        for t in range(months):
            month = add_months(start, t)
            value = level[i] + trend[i] * t + season[i] * math.sin(2 * math.pi * (month.month - 1) / 12)
            if launch is not None and month >= launch:
                value += effect * scale * (1 + growth * month_index(launch, month))
            rows.append((province.code, month, float(value + noise[i, t])))
    return pd.DataFrame(rows, columns=["province", "month", "outcome"])
