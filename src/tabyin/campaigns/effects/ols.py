"""The one place the effect estimators call statsmodels' least squares, so every method reads
its coefficient and 95 % interval the same way (t quantiles, never the normal, with few provinces)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import statsmodels.api as sm

__all__ = ["Coefficient", "fit_ols", "seasonal_terms"]

FloatArray = npt.NDArray[np.float64]
LEVEL = 0.95


@dataclass(frozen=True)
class Coefficient:
    value: float
    ci_low: float
    ci_high: float
    fitted: FloatArray  # the model's prediction for every row
    residuals: FloatArray


def fit_ols(
    y: FloatArray, x: FloatArray, column: int, *, cov_type: str, cov_kwds: dict[str, Any]
) -> Coefficient:
    """``y ~ x`` by OLS; the ``column``-th coefficient with its robust interval."""
    result = sm.OLS(y, x).fit(cov_type=cov_type, cov_kwds=cov_kwds, use_t=True)
    low, high = result.conf_int(alpha=1 - LEVEL)[column]
    return Coefficient(
        value=float(result.params[column]),
        ci_low=float(low),
        ci_high=float(high),
        fitted=np.asarray(result.fittedvalues, dtype=np.float64),
        residuals=np.asarray(result.resid, dtype=np.float64),
    )


def seasonal_terms(month_of_year: npt.NDArray[np.int64], harmonics: int = 2) -> FloatArray:
    """Fourier terms of the month of year: two harmonics (four columns) follow a yearly season with
    far fewer parameters than eleven month dummies, which 24 months of data cannot afford."""
    angle = 2 * np.pi * (month_of_year.astype(np.float64) - 1) / 12
    columns = []
    for k in range(1, harmonics + 1):
        columns += [np.sin(k * angle), np.cos(k * angle)]
    return np.column_stack(columns)
