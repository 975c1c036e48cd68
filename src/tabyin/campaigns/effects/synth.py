"""Synthetic control: each treated province against a weighted mix of provinces without the
campaign, the weights chosen by the maintained ``pysyncon`` package (``Synth``, Abadie et al.) so
that the mix follows the province's pre-launch months as closely as possible.

Two choices of ours, both from the literature:

* Each series is first centred on its own pre-launch mean (the "demeaned" synthetic control of
  Ferman & Pinto, 2021): Tehran's enrolments are many times Ilam's, and no convex mix of smaller
  provinces reaches Tehran's level, but the mix can follow its ups and downs.
* The interval comes from in-space placebos: every donor province in turn is treated as if it had
  launched on the same date, against the other donors; the spread of those placebo "effects" is
  the spread of the estimator where nothing happened. The treated provinces' average uses it with
  t quantiles (donors − 1 degrees of freedom). Donors' errors are taken as independent across
  treated provinces, which they are not quite (they share donors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd
from pysyncon import Synth
from scipy import stats

from tabyin.campaigns.effects.ols import LEVEL
from tabyin.campaigns.effects.panel import Design
from tabyin.campaigns.effects.report import Fit

__all__ = ["MIN_DONORS", "fit_synth"]

FloatArray = npt.NDArray[np.float64]
MIN_DONORS = 4


@dataclass(frozen=True)
class _Gap:
    gap: FloatArray  # observed − synthetic, every month
    launch_t: int

    @property
    def effect(self) -> float:
        return float(np.mean(self.gap[self.launch_t :]))


def _synthetic_gap(wide: pd.DataFrame, unit: str, donors: list[str], launch_t: int) -> _Gap:
    centred = wide - wide.iloc[:launch_t].mean()
    z1, z0 = centred[unit], centred[donors]
    pre = centred.index[:launch_t]
    model = Synth()
    model.fit(X0=z0.loc[pre], X1=z1.loc[pre], Z0=z0.loc[pre], Z1=z1.loc[pre], custom_V=np.ones(len(pre)))
    weights = np.asarray(model.W, dtype=np.float64)
    gap = z1.to_numpy(dtype=np.float64) - z0.to_numpy(dtype=np.float64) @ weights
    return _Gap(gap, launch_t)


def fit_synth(design: Design) -> Fit:
    wide = design.frame.pivot(index="t", columns="province", values="outcome")
    donors = list(design.controls)
    launches = {code: int(design.frame.loc[design.frame["province"] == code, "launch_t"].iloc[0]) for code in design.treated}
    gaps = {code: _synthetic_gap(wide, code, donors, launches[code]) for code in design.treated_codes}
    placebo_sd = {
        launch_t: _placebo_sd(wide, donors, launch_t) for launch_t in sorted(set(launches.values()))
    }
    post_months = {code: design.months - launch_t for code, launch_t in launches.items()}
    total = sum(post_months.values())
    weights = {code: post_months[code] / total for code in design.treated_codes}
    estimate = sum(weights[code] * gaps[code].effect for code in design.treated_codes)
    error = float(np.sqrt(sum((weights[c] * placebo_sd[launches[c]]) ** 2 for c in design.treated_codes)))
    half = float(stats.t.ppf(0.5 + LEVEL / 2, len(donors) - 1)) * error

    observed = wide[list(design.treated_codes)]
    gap_table = np.column_stack([gaps[code].gap for code in design.treated_codes])
    counterfactual = observed.to_numpy(dtype=np.float64) - gap_table
    pre_errors = np.concatenate([gaps[c].gap[: launches[c]] for c in design.treated_codes])
    months: tuple[date, ...] = tuple(
        design.frame.drop_duplicates("t").sort_values("t")["month"].tolist()
    )
    return Fit(
        estimate=estimate,
        ci_low=estimate - half,
        ci_high=estimate + half,
        months=months,
        observed=tuple(float(v) for v in observed.mean(axis=1)),
        counterfactual=tuple(float(v) for v in counterfactual.mean(axis=1)),
        diagnostics={
            "pre_rmse": float(np.sqrt(np.mean(pre_errors**2))),
            "placebo_sd": float(np.mean(list(placebo_sd.values()))),
            "provinces": float(len(design.treated_codes)),
            "donor_provinces": float(len(donors)),
        },
    )


def _placebo_sd(wide: pd.DataFrame, donors: list[str], launch_t: int) -> float:
    """Root mean square of the placebo effects of every donor (zero is the truth for them)."""
    effects = [
        _synthetic_gap(wide, unit, [d for d in donors if d != unit], launch_t).effect for unit in donors
    ]
    return float(np.sqrt(np.mean(np.square(effects))))
