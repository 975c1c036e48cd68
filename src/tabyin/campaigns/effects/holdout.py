"""Which provinces to hold out before a launch: a balanced split by population and past trend.

Rerandomization (Morgan & Rubin, 2012): draw many random splits with the seed and keep the one
whose largest standardized difference between held-out and campaign provinces is smallest. The
split stays random (so unknown differences are balanced on average) but never lopsided on what we
know. Population is compared on a log scale: Tehran should not decide the balance alone.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tabyin.campaigns.effects.panel import PanelError

__all__ = ["DRAWS", "balance", "past_trends", "suggest_holdout"]

DRAWS = 2000


def _covariates(provinces: pd.DataFrame) -> npt.NDArray[np.float64]:
    missing = {"province", "population", "past_trend"} - set(provinces.columns)
    if missing:
        raise PanelError("جدول استان‌ها این ستون‌ها را ندارد: " + "، ".join(sorted(missing)))
    population = provinces["population"].to_numpy(dtype=np.float64)
    if (population <= 0).any():
        raise PanelError("جمعیت هر استان باید عددی بزرگ‌تر از صفر باشد.")
    return np.column_stack([np.log(population), provinces["past_trend"].to_numpy(dtype=np.float64)])


def _max_std_difference(values: npt.NDArray[np.float64], chosen: npt.NDArray[np.bool_]) -> float:
    spread = values.std(axis=0, ddof=1)
    spread[spread == 0] = 1.0
    gap = np.abs(values[chosen].mean(axis=0) - values[~chosen].mean(axis=0)) / spread
    return float(gap.max())


def balance(provinces: pd.DataFrame, held_out: list[str]) -> float:
    """The largest standardized difference (in standard deviations) of log population and past
    trend between ``held_out`` and the other provinces: below 0.1 is well balanced, above 0.25 not."""
    chosen = provinces["province"].isin(held_out).to_numpy()
    return _max_std_difference(_covariates(provinces), chosen)


def suggest_holdout(provinces: pd.DataFrame, n_holdout: int, seed: int) -> list[str]:
    """``n_holdout`` province codes to hold out, sorted; the same seed gives the same split."""
    values = _covariates(provinces)
    codes = provinces["province"].astype(str).to_numpy()
    if not 1 <= n_holdout < len(codes):
        raise PanelError("شمار استان‌های کنارگذاشته باید دست‌کم یک و کمتر از شمار همهٔ استان‌ها باشد.")
    rng = np.random.default_rng(seed)
    best: npt.NDArray[np.bool_] | None = None
    best_score = np.inf
    for _ in range(DRAWS):
        chosen = np.zeros(len(codes), dtype=bool)
        chosen[rng.choice(len(codes), size=n_holdout, replace=False)] = True
        score = _max_std_difference(values, chosen)
        if score < best_score:
            best, best_score = chosen, score
    assert best is not None
    return sorted(str(code) for code in codes[best])


def past_trends(panel: pd.DataFrame) -> pd.DataFrame:
    """Each province's linear trend per month over ``panel`` (columns ``province``, ``past_trend``):
    the past-trend input of :func:`suggest_holdout` from the months before a launch."""
    rows = []
    for code, group in panel.sort_values("month").groupby("province", sort=True):
        y = group["outcome"].to_numpy(dtype=np.float64)
        slope = np.polyfit(np.arange(len(y), dtype=np.float64), y, 1)[0] if len(y) > 1 else 0.0
        rows.append((str(code), float(slope)))
    return pd.DataFrame(rows, columns=["province", "past_trend"])
