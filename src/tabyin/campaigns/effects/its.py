"""Interrupted time series: each treated province against its own past.

One pooled least-squares model over the treated provinces only: per province an intercept, a
linear trend and a yearly season (two harmonics), and one common step at each province's own
launch month. Errors are HAC within each province (Newey–West, two lags: neighbouring months are
alike) and the interval uses t quantiles. The counterfactual is the model without the step.

It needs no comparison province, which is also its weakness: anything else that changed at the
launch month (a law, a price, a national news story) is counted as the campaign's effect.
"""

from __future__ import annotations

import numpy as np

from tabyin.campaigns.effects.ols import fit_ols, seasonal_terms
from tabyin.campaigns.effects.panel import Design
from tabyin.campaigns.effects.report import Fit
from tabyin.campaigns.effects.series import average_paths, pre_fit

__all__ = ["fit_its"]


def fit_its(design: Design) -> Fit:
    frame = design.frame[design.frame["province"].isin(design.treated_codes)]
    codes = frame["province"].to_numpy()
    t = frame["t"].to_numpy(dtype=np.float64)
    season = seasonal_terms(frame["moy"].to_numpy(dtype=np.int64))
    post = frame["post"].to_numpy(dtype=np.float64)
    blocks = [post[:, None]]
    for code in design.treated_codes:
        own = (codes == code).astype(np.float64)[:, None]
        blocks += [own, own * t[:, None], own * season]
    x = np.hstack(blocks)
    groups = np.unique(codes, return_inverse=True)[1]
    y = frame["outcome"].to_numpy(dtype=np.float64)
    coef = fit_ols(y, x, 0, cov_type="hac-panel", cov_kwds={"groups": groups, "maxlags": 2})
    counterfactual = coef.fitted - coef.value * post
    months, observed, expected = average_paths(frame, counterfactual)
    return Fit(
        estimate=coef.value,
        ci_low=coef.ci_low,
        ci_high=coef.ci_high,
        months=months,
        observed=observed,
        counterfactual=expected,
        diagnostics=pre_fit(y, coef.fitted, post) | {"provinces": float(len(design.treated_codes))},
    )
