"""The published monthly figures of an indicator by province, offered to other apps through core's
registry (``registry.add_series``): a campaign takes one as its outcome without importing the
portal. Only what the public already sees: published, not suppressed, not empty."""

from __future__ import annotations

from datetime import date

from tabyin.core.registry import SeriesRef
from tabyin.portal.enums import NATIONAL, Frequency
from tabyin.portal.models import Indicator, Observation

PREFIX = "portal:"


def _indicators() -> list[Indicator]:
    return list(
        Indicator.objects.filter(frequency=Frequency.MONTHLY, national_only=False)
        .filter(observations__isnull=False)
        .distinct()
        .order_by("theme__order", "code")
    )


def catalog() -> list[SeriesRef]:
    return [SeriesRef(f"{PREFIX}{i.code}", i.name_fa, i.unit_fa) for i in _indicators()]


def values(key: str, first: date, last: date) -> list[tuple[str, date, float]]:
    if not key.startswith(PREFIX):
        return []
    rows = (
        Observation.objects.filter(
            indicator__code=key.removeprefix(PREFIX),
            period_start__gte=first,
            period_start__lte=last,
            suppressed=False,
            value__isnull=False,
        )
        .exclude(area=NATIONAL)
        .order_by("area", "period_start")
        .values_list("area", "period_start", "value")
    )
    return [(area, start, float(value)) for area, start, value in rows if value is not None]
