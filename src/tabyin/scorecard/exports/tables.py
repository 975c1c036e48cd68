"""A period's current scoring run read in full for the downloads, in a constant number of queries.

Unlike ``selectors.export_period`` this also reads runs that are not published yet: staff review
the files before publication, and the views serving them check who may download what.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tabyin.scorecard import selectors
from tabyin.scorecard.enums import PeriodKind
from tabyin.scorecard.models import (
    Framework,
    Indicator,
    IndicatorScore,
    Period,
    ProvinceResult,
    ScoreRun,
)


@dataclass(frozen=True)
class PeriodTable:
    period: Period
    run: ScoreRun
    framework: Framework
    mains: list[Indicator]
    subs: list[Indicator]
    results: list[ProvinceResult]  # best first; ``province`` and ``scores`` (with indicator) loaded
    bands: list[dict[str, Any]]  # highest cut-off first


def period_table(period: Period) -> PeriodTable:
    run = selectors.current_run(period)
    if run is None:
        raise ValidationError(_("This period has not been scored yet."))
    indicators = list(Indicator.objects.filter(framework_id=run.framework_id).order_by("order", "code"))
    scores = IndicatorScore.objects.select_related("indicator").order_by(
        "indicator__order", "indicator__code"
    )
    results = sorted(
        run.results.select_related("province").prefetch_related(Prefetch("scores", queryset=scores)),
        key=lambda r: (r.rank is None, r.rank or 0, r.province.iso_code),
    )
    return PeriodTable(
        period=period,
        run=run,
        framework=run.framework,
        mains=[i for i in indicators if i.parent_id is None],
        subs=[i for i in indicators if i.parent_id is not None],
        results=results,
        bands=sorted(run.framework.bands, key=lambda b: -float(b["min"])),
    )


def period_name(period: Period) -> str:
    """ "Year 1404", "First half of 1404", "Quarter 3 of 1404" (ASCII digits: the template or the
    PDF turns them into Persian digits on screen)."""
    year = str(period.year)
    if period.kind == PeriodKind.HALF:
        if period.part == 1:
            return _("First half of %(year)s") % {"year": year}
        return _("Second half of %(year)s") % {"year": year}
    if period.kind == PeriodKind.QUARTER:
        return _("Quarter %(part)s of %(year)s") % {"part": period.part, "year": year}
    return _("Year %(year)s") % {"year": year}


def local(obj: Any, field: str, language: str) -> str:
    """``name_en`` in English when it is filled in, ``name_fa`` otherwise."""
    text = getattr(obj, f"{field}_{language}", "") if language == "en" else ""
    return str(text or getattr(obj, f"{field}_fa", ""))


def band_names(bands: list[dict[str, Any]], language: str) -> dict[str, str]:
    key = "name_en" if language == "en" else "name_fa"
    return {str(b["code"]): str(b.get(key) or b.get("name_fa") or b["code"]) for b in bands}


def decimal(text: Any) -> Decimal | None:
    """A stored score or input (a string with ASCII digits, or None) as a number."""
    return None if text is None or text == "" else Decimal(str(text))
