"""Difference-in-differences against the held-out provinces (two-way fixed effects).

``outcome ~ province + month + post``: the month effects take out what happened everywhere (the
season, national news), the province effects the lasting differences in level; ``post`` is the
campaign's average effect. Standard errors are clustered by province (a province's months are not
independent observations) and the interval uses t quantiles with provinces − 1 degrees of freedom.

With one launch month this is the textbook estimator. With staggered launches and effects that
change over time it is biased (early-launched provinces serve as comparisons for late ones); see
:mod:`tabyin.campaigns.effects.staggered` and the test that shows the bias.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tabyin.campaigns.effects.ols import fit_ols
from tabyin.campaigns.effects.panel import Design
from tabyin.campaigns.effects.report import Fit
from tabyin.campaigns.effects.series import average_paths, pre_fit

__all__ = ["fit_did", "pre_trend_gap"]


def fit_did(design: Design) -> Fit:
    frame = design.frame[design.frame["province"].isin(design.treated_codes + design.controls)]
    post = frame["post"].to_numpy(dtype=np.float64)
    provinces = pd.get_dummies(frame["province"], dtype=np.float64).to_numpy()
    months = pd.get_dummies(frame["t"], dtype=np.float64).to_numpy()[:, 1:]
    x = np.hstack([post[:, None], provinces, months])
    groups = np.unique(frame["province"].to_numpy(), return_inverse=True)[1]
    y = frame["outcome"].to_numpy(dtype=np.float64)
    coef = fit_ols(y, x, 0, cov_type="cluster", cov_kwds={"groups": groups})
    counterfactual = coef.fitted - coef.value * post
    treated_rows = frame["launch_t"].to_numpy() >= 0
    month_list, observed, expected = average_paths(frame[treated_rows], counterfactual[treated_rows])
    diagnostics = pre_fit(y[treated_rows], coef.fitted[treated_rows], post[treated_rows])
    diagnostics |= {
        "pre_trend_gap": pre_trend_gap(design),
        "provinces": float(len(design.treated_codes)),
        "comparison_provinces": float(len(design.controls)),
    }
    return Fit(coef.value, coef.ci_low, coef.ci_high, month_list, observed, expected, diagnostics)


def pre_trend_gap(design: Design) -> float:
    """How fast the treated mean drifted away from the comparison mean per month before the first
    launch (the slope of their gap): far from zero, parallel trends are doubtful."""
    before = design.frame[design.frame["t"] < design.earliest_launch_t]
    side = np.where(before["launch_t"].to_numpy() >= 0, "treated", "comparison")
    control_rows = before["province"].isin(design.controls).to_numpy() | (side == "treated")
    means = before[control_rows].assign(side=side[control_rows]).pivot_table(
        index="t", columns="side", values="outcome", aggfunc="mean"
    )
    gap = (means["treated"] - means["comparison"]).to_numpy(dtype=np.float64)
    slope = np.polyfit(np.arange(len(gap), dtype=np.float64), gap, 1)[0]
    return float(slope)
