"""Change of a monthly series against the previous month and the same month a year earlier.

Pure: computed once when a release is published and stored on each observation, so that no page
computes it per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from tabyin.core.jalali import parse_period_code

__all__ = ["changes", "previous_month", "relative_change", "year_earlier"]

_PLACES: Final = Decimal("0.0001")  # Observation.change_* are DECIMAL(12, 4)


def previous_month(code: str) -> str:
    year, month = parse_period_code(code)
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def year_earlier(code: str) -> str:
    year, month = parse_period_code(code)
    return f"{year - 1:04d}-{month:02d}"


def relative_change(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """``(value - base) / |base|`` as a fraction rounded to 4 places; None without a usable base.

    Dividing by the absolute base keeps the sign meaning "went up" also for a negative base (a
    balance that was in deficit).
    """
    if value is None or base is None or base == 0:
        return None
    return ((value - base) / abs(base)).quantize(_PLACES, ROUND_HALF_UP)


def changes(values: Mapping[str, Decimal | None]) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Per period code: (change against the previous month, change against a year earlier)."""
    return {
        code: (
            relative_change(values[code], values.get(previous_month(code))),
            relative_change(values[code], values.get(year_earlier(code))),
        )
        for code in sorted(values)
    }
