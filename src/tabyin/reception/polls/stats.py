"""The Wilson score interval for a proportion: pure code, no Django.

Wilson (1927) rather than the normal ("Wald") interval because poll counts are small and shares
near 0 or 1 are common: Wald gives [0, 0] for 0 of 10, Wilson [0, 0.2775], which is honest about
ten answers. No continuity correction (it matches R's ``prop.test(correct = FALSE)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt
from typing import Final

# The two-sided 95 % quantile of the standard normal distribution.
Z95: Final = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    share: float
    low: float
    high: float


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """``successes`` of ``n`` with its Wilson interval; ``None`` when there is nothing to measure."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # At the ends the bound is exactly 0 or 1; floating point would give -1e-17 or 0.9999999999999999.
    low = 0.0 if successes == 0 else centre - half
    high = 1.0 if successes == n else centre + half
    return Interval(share=p, low=low, high=high)
