"""Placebo checks: run an estimator where nothing happened and see that it finds nothing.

* ``date``: only the months before the first real launch are kept and the launch is moved a third
  of the way back into them (at least three months).
* ``space``: the real treated provinces are left out and some comparison provinces (chosen with the
  seed) get the campaign's launch dates, compared with the remaining ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from tabyin.campaigns.effects.panel import MIN_PRE_MONTHS, Design
from tabyin.campaigns.effects.report import Fit, Placebo
from tabyin.campaigns.effects.simulate import add_months

__all__ = ["date_placebo", "space_placebo"]

Estimator = Callable[[Design], Fit]


def date_placebo(estimator: Estimator, design: Design) -> Placebo | None:
    cut = design.earliest_launch_t
    fake_t = cut - max(3, cut // 3)
    if fake_t < MIN_PRE_MONTHS:
        return None
    fake = add_months(design.first, fake_t)
    shifted = design.truncated(cut).subset(
        design.treated_codes + design.controls, dict.fromkeys(design.treated, fake), design.controls
    )
    fit = estimator(shifted)
    return Placebo("date", fit.estimate, fit.ci_low, fit.ci_high, fake.isoformat())


def space_placebo(
    estimator: Estimator, design: Design, pool: Sequence[str], *, fake_count: int, seed: int
) -> Placebo | None:
    """``fake_count`` provinces of ``pool`` treated; the rest of ``pool`` (if any) is their comparison."""
    if fake_count < 1 or fake_count > len(pool):
        return None
    rng = np.random.default_rng(seed)
    chosen = sorted(str(code) for code in rng.choice(sorted(pool), size=fake_count, replace=False))
    launches: list[date] = sorted(design.treated.values())
    fake = {code: launches[k % len(launches)] for k, code in enumerate(chosen)}
    rest = [code for code in sorted(pool) if code not in fake]
    fit = estimator(design.subset(chosen + rest, fake, rest))
    return Placebo("space", fit.estimate, fit.ci_low, fit.ci_high, "، ".join(chosen))
