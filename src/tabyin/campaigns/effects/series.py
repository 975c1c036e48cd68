"""Shared arithmetic on the estimators' output: the average treated path per month and how well
a model fits before launch (the diagnostics every method reports)."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["average_paths", "pre_fit"]

FloatArray = npt.NDArray[np.float64]


def average_paths(
    frame: pd.DataFrame, counterfactual: FloatArray
) -> tuple[tuple[date, ...], tuple[float, ...], tuple[float, ...]]:
    """Per month, the mean observed outcome of the rows in ``frame`` and the mean counterfactual."""
    table = pd.DataFrame(
        {"month": frame["month"].to_numpy(), "observed": frame["outcome"].to_numpy(), "cf": counterfactual}
    )
    means = table.groupby("month", sort=True)[["observed", "cf"]].mean()
    return (
        tuple(means.index),
        tuple(float(v) for v in means["observed"]),
        tuple(float(v) for v in means["cf"]),
    )


def pre_fit(observed: FloatArray, predicted: FloatArray, post: FloatArray) -> dict[str, float]:
    """Root mean square error of the model before launch, and the same relative to the outcome's own
    spread before launch (near 0: the model follows the past closely; near 1: it explains little)."""
    pre = post == 0
    error = observed[pre] - predicted[pre]
    rmse = float(np.sqrt(np.mean(error**2)))
    spread = float(np.std(observed[pre]))
    return {"pre_rmse": rmse, "pre_rmse_relative": rmse / spread if spread > 0 else 0.0}
