"""Staggered adoption: Callaway & Sant'Anna (2021) group-time average effects, by the maintained
``differences`` package (``ATTgt``), aggregated to one average over treated province-months.

Each launch cohort is compared only with the held-out (never treated) provinces and only against
its own last month before launch, so an early cohort never serves as the comparison of a late one —
the flaw of the two-way fixed-effects regression when effects differ between cohorts or grow with
time. ``differences`` gives the aggregated effect with an analytic influence-function standard
error clustered by province; the interval here uses t quantiles with provinces − 1 degrees of
freedom instead of the normal, because a campaign has a dozen provinces, not thousands.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from differences import ATTgt
from scipy import stats

from tabyin.campaigns.effects.ols import LEVEL
from tabyin.campaigns.effects.panel import Design
from tabyin.campaigns.effects.report import Fit
from tabyin.campaigns.effects.series import average_paths

__all__ = ["fit_staggered"]


def fit_staggered(design: Design) -> Fit:
    frame = design.frame[design.frame["province"].isin(design.treated_codes + design.controls)]
    data = pd.DataFrame(
        {
            "province": frame["province"].to_numpy(),
            "time": frame["t"].to_numpy() + 1,  # differences reads cohort 0 as "never"; start at 1
            "cohort": np.where(frame["launch_t"] >= 0, frame["launch_t"] + 1, np.nan),
            "outcome": frame["outcome"].to_numpy(),
        }
    ).set_index(["province", "time"])
    model = ATTgt(data=data, cohort_column="cohort")
    model.fit(formula="outcome", control_group="never_treated", progress_bar=False)
    simple = model.aggregate("simple")
    estimate = float(simple.iloc[0, 0])
    error = float(simple.iloc[0, 1])
    provinces = len(design.treated_codes) + len(design.controls)
    half = float(stats.t.ppf(0.5 + LEVEL / 2, provinces - 1)) * error

    cells = model.results().iloc[:, 0]
    effect = {(int(c), int(t)): float(v) for (c, _base, t), v in cells.items() if t >= c}
    treated_rows = (frame["launch_t"] >= 0).to_numpy()
    treated = frame[treated_rows]
    cell_effect = np.array(
        [effect.get((lt + 1, t + 1), 0.0) for lt, t in zip(treated["launch_t"], treated["t"], strict=True)]
    )
    observed = treated["outcome"].to_numpy(dtype=np.float64)
    months, mean_observed, mean_cf = average_paths(treated, observed - cell_effect)
    diagnostics = _pre_period_fit(cells) | {
        "provinces": float(len(design.treated_codes)),
        "comparison_provinces": float(len(design.controls)),
    }
    return Fit(estimate, estimate - half, estimate + half, months, mean_observed, mean_cf, diagnostics)


def _pre_period_fit(cells: pd.Series) -> dict[str, float]:
    """The group-time estimates before launch are themselves placebos: their mean absolute size."""
    before = [float(v) for (c, _base, t), v in cells.items() if t < c]
    return {"pre_att_mean_abs": float(np.mean(np.abs(before))) if before else 0.0}
