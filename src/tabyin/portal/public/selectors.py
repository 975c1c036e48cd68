"""Public reads of the transparency site: published figures, themes, provinces and explanations.

Everything here is public, so there is no actor and no scope. Each function is a fixed number of
queries whatever the number of months, provinces or indicators (the list pages are tested for
that), and returns plain data (dataclasses, model instances with what the page needs already
joined) that the views may cache.

A figure is public when it is an ``Observation`` (only publication writes them); an explanation
when its state is published, and its superseded versions as its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from tabyin.core import selectors as core_selectors
from tabyin.portal.enums import (
    NATIONAL,
    PUBLIC_EXPLANATION_STATES,
    Direction,
    ExplanationKind,
    ExplanationState,
    FigureStatus,
)
from tabyin.portal.models import Explanation, Indicator, Observation, Revision, Theme

PROVINCE_PREFIX: Final = "IR-"
_FIELDS: Final = (
    "indicator_id",
    "area",
    "period",
    "value",
    "numerator",
    "denominator",
    "suppressed",
    "status",
    "change_prev",
    "change_yoy",
)


@dataclass(frozen=True)
class Figure:
    """One published value of one indicator for one area and month."""

    indicator_id: int
    area: str
    period: str
    value: Decimal | None  # None when missing or suppressed (small counts are never shown)
    numerator: Decimal | None
    denominator: Decimal | None
    suppressed: bool
    status: str
    change_prev: Decimal | None
    change_yoy: Decimal | None

    @property
    def provisional(self) -> bool:
        return self.status == FigureStatus.PROVISIONAL


def _figure(row: Mapping[str, Any]) -> Figure:
    suppressed = bool(row["suppressed"])
    return Figure(
        indicator_id=row["indicator_id"],
        area=row["area"],
        period=row["period"],
        value=None if suppressed else row["value"],
        numerator=None if suppressed else row["numerator"],
        denominator=None if suppressed else row["denominator"],
        suppressed=suppressed,
        status=row["status"],
        change_prev=None if suppressed else row["change_prev"],
        change_yoy=None if suppressed else row["change_yoy"],
    )


@dataclass(frozen=True)
class Province:
    iso: str
    name_fa: str
    name_en: str
    population: int | None  # 2016 (1395) national census

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fa


def provinces() -> list[Province]:
    """The 31 provinces from core (one query), in ISO-code order."""
    return [
        Province(u.iso_code, u.name_fa, u.name_en, u.population_2016)
        for u in core_selectors.provinces().only("iso_code", "name_fa", "name_en", "population_2016")
    ]


def peers(province: Province, everyone: Sequence[Province], count: int = 3) -> list[Province]:
    """The provinces closest in population: the fairest neighbours to compare a province with."""
    own = province.population
    if own is None:
        return []
    others = [(abs(p.population - own), p.iso, p) for p in everyone if p.iso != province.iso and p.population]
    return [p for _, _, p in sorted(others)[:count]]


def rank_values(values: Mapping[str, Decimal | None], direction: str) -> dict[str, int]:
    """Rank 1 = best (highest, or lowest when lower is better); equal values share a rank
    (1, 2, 2, 4). For a neutral indicator this is only the position from the highest."""
    known = [(area, v) for area, v in values.items() if v is not None]
    known.sort(key=lambda item: item[1], reverse=direction != Direction.LOWER_IS_BETTER)
    ranks: dict[str, int] = {}
    for position, (area, value) in enumerate(known, start=1):
        previous = known[position - 2] if position > 1 else None
        ranks[area] = ranks[previous[0]] if previous and previous[1] == value else position
    return ranks


def per_thousand(value: Decimal | None, population: int | None) -> Decimal | None:
    if value is None or not population:
        return None
    return value * 1000 / Decimal(population)


# --- Texts in the reader's language ------------------------------------------------------------


def local(obj: object, field: str, language: str) -> str:
    """The English text on English pages when there is one, else the Persian: every record has
    Persian, and English is filled as translators get to it."""
    english = str(getattr(obj, f"{field}_en", "") or "") if language == "en" else ""
    return english or str(getattr(obj, f"{field}_fa", "") or "")


@dataclass(frozen=True)
class ThemeText:
    code: str
    name: str
    summary: str


def theme_text(theme: Theme, language: str) -> ThemeText:
    return ThemeText(theme.code, local(theme, "name", language), local(theme, "summary", language))


@dataclass(frozen=True)
class IndicatorText:
    code: str
    name: str
    unit: str
    what: str
    why: str
    how_to_read: str
    source: str
    source_url: str
    numerator: str
    denominator: str


def indicator_text(indicator: Indicator, language: str) -> IndicatorText:
    def text(field: str) -> str:
        return local(indicator, field, language)

    return IndicatorText(
        code=indicator.code,
        name=text("name"),
        unit=text("unit"),
        what=text("what"),
        why=text("why"),
        how_to_read=text("how_to_read"),
        source=text("source"),
        source_url=indicator.source_url,
        numerator=text("numerator"),
        denominator=text("denominator"),
    )


@dataclass(frozen=True)
class ExplanationItem:
    pk: int
    thread: int
    version: int
    kind: str
    kind_label: str
    title: str
    body: str
    action: str
    indicator_code: str
    indicator_name: str
    area: str
    area_name: str  # "" when the explanation is about every area
    period: str  # "" when it is about every month
    published_at: datetime | None
    evidence: tuple[tuple[str, str], ...]  # (title, address), web addresses only


def explanation_item(explanation: Explanation, names: Mapping[str, str], language: str) -> ExplanationItem:
    evidence = tuple(
        (str(e.get("title") or e["url"]), str(e["url"]))
        for e in (explanation.evidence if isinstance(explanation.evidence, list) else [])
        if isinstance(e, dict) and str(e.get("url", "")).startswith(("https://", "http://"))
    )
    return ExplanationItem(
        pk=explanation.pk,
        thread=explanation.thread,
        version=explanation.version,
        kind=explanation.kind,
        kind_label=str(ExplanationKind(explanation.kind).label),
        title=local(explanation, "title", language),
        body=local(explanation, "body", language),
        action=local(explanation, "action", language),
        indicator_code=explanation.indicator.code,
        indicator_name=local(explanation.indicator, "name", language),
        area=explanation.area,
        area_name=names.get(explanation.area, "") if explanation.area != NATIONAL else "",
        period=explanation.period,
        published_at=explanation.published_at,
        evidence=evidence,
    )


# --- Themes and indicators ------------------------------------------------------------------------


def themes() -> list[Theme]:
    return list(Theme.objects.all())


def theme_by_code(code: str) -> Theme | None:
    return Theme.objects.filter(code=code).first()


def headline_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(headline_order__isnull=False).order_by("headline_order", "code"))


# Headline figures first, in their order, then the rest by code; NULLS LAST spelled out because
# SQLite and PostgreSQL disagree on where NULL sorts by default.
_INDICATOR_ORDER: Final = (F("headline_order").asc(nulls_last=True), "code")


def indicators_of_theme(theme: Theme) -> list[Indicator]:
    return list(Indicator.objects.filter(theme=theme).order_by(*_INDICATOR_ORDER))


def indicator_by_code(code: str) -> Indicator | None:
    return Indicator.objects.select_related("theme", "dataset").filter(code=code).first()


# --- Figures ----------------------------------------------------------------------------------------


def national_series(indicator_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """Every national month of the given indicators, oldest first (one query)."""
    out: dict[int, list[Figure]] = {i: [] for i in indicator_ids}
    rows = Observation.objects.filter(indicator_id__in=list(out), area=NATIONAL).order_by(
        "indicator_id", "period"
    )
    for row in rows.values(*_FIELDS):
        out[row["indicator_id"]].append(_figure(row))
    return out


def series(indicator: Indicator, area: str) -> list[Figure]:
    rows = Observation.objects.filter(indicator=indicator, area=area).order_by("period")
    return [_figure(row) for row in rows.values(*_FIELDS)]


@dataclass(frozen=True)
class ProvinceFigure:
    province: Province
    figure: Figure | None
    per_1000: Decimal | None
    rank: int | None


def comparison(
    indicator: Indicator, period: str | None, everyone: Sequence[Province]
) -> tuple[str | None, list[ProvinceFigure]]:
    """The 31 provinces for one month (the latest with province figures unless ``period``
    is given), in ISO order, with each one's rank and value per 1,000 people (one query)."""
    rows = Observation.objects.filter(indicator=indicator, area__startswith=PROVINCE_PREFIX)
    if period is None:
        latest = rows.order_by("-period").values("period")[:1]
        rows = rows.filter(period=Subquery(latest))
    else:
        rows = rows.filter(period=period)
    figures = {row["area"]: _figure(row) for row in rows.values(*_FIELDS)}
    found = next(iter(figures.values())).period if figures else period
    ranks = rank_values({iso: f.value for iso, f in figures.items()}, indicator.direction)
    return found, [
        ProvinceFigure(
            province=p,
            figure=figures.get(p.iso),
            per_1000=per_thousand(figures[p.iso].value, p.population) if p.iso in figures else None,
            rank=ranks.get(p.iso),
        )
        for p in everyone
    ]


@dataclass(frozen=True)
class ProvinceRow:
    indicator: Indicator
    text: IndicatorText
    figure: Figure | None  # the province's latest month
    national: Figure | None  # the nation in the same month (or its latest, if the province has none)
    rank: int | None
    ranked: int  # how many provinces had a figure that month


def province_overview(iso: str, language: str) -> list[ProvinceRow]:
    """Every indicator's latest figure for one province beside the national one and its rank
    among the provinces that month (two queries: indicators, then one pass over observations)."""
    indicators = list(Indicator.objects.select_related("theme").order_by("theme__order", *_INDICATOR_ORDER))
    own_latest = Observation.objects.filter(indicator=OuterRef("indicator"), area=iso).order_by("-period")
    national_latest = Observation.objects.filter(indicator=OuterRef("indicator"), area=NATIONAL).order_by(
        "-period"
    )
    rows = Observation.objects.filter(
        Q(area__startswith=NATIONAL, period=Subquery(own_latest.values("period")[:1]))
        | Q(area=NATIONAL, period=Subquery(national_latest.values("period")[:1]))
    ).values(*_FIELDS)
    by_indicator: dict[int, list[Figure]] = {}
    for row in rows:
        by_indicator.setdefault(row["indicator_id"], []).append(_figure(row))
    out = []
    for indicator in indicators:
        figures = by_indicator.get(indicator.pk, [])
        own = next((f for f in figures if f.area == iso), None)
        nationals = sorted((f for f in figures if f.area == NATIONAL), key=lambda f: f.period)
        national = next((f for f in nationals if own and f.period == own.period), None)
        if national is None and own is None and nationals:
            national = nationals[-1]
        month = [f for f in figures if f.area.startswith(PROVINCE_PREFIX) and own and f.period == own.period]
        ranks = rank_values({f.area: f.value for f in month}, indicator.direction)
        if own is None and national is None:
            continue  # nothing published yet: no empty row
        text = indicator_text(indicator, language)
        out.append(ProvinceRow(indicator, text, own, national, ranks.get(iso), len(ranks)))
    return out


def figure_at(indicator: Indicator, area: str, period: str) -> Figure | None:
    """The figure an explanation is attached to: the given month, or the latest one."""
    rows = Observation.objects.filter(indicator=indicator, area=area or NATIONAL)
    rows = rows.filter(period=period) if period else rows.order_by("-period")
    row = rows.values(*_FIELDS).first()
    return _figure(row) if row else None


def revisions_for(indicator: Indicator, limit: int = 200) -> list[Revision]:
    """The public log of changed figures, newest first."""
    rows = Revision.objects.filter(observation__indicator=indicator).select_related("observation", "release")
    return list(rows.order_by("-created_at", "-id")[:limit])


# --- Explanations ---------------------------------------------------------------------------------


def public_explanations(
    *, indicator: Indicator | None = None, theme: Theme | None = None, area: str | None = None
) -> list[Explanation]:
    """Published explanations (current versions only), newest first."""
    rows = Explanation.objects.filter(state=ExplanationState.PUBLISHED).select_related("indicator")
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    if theme is not None:
        rows = rows.filter(indicator__theme=theme)
    if area is not None:
        rows = rows.filter(area=area)
    return list(rows.order_by("-published_at", "-id"))


def explanation_versions(thread: int) -> list[Explanation]:
    """The public versions of one explanation, newest first; the first is the published one.

    Empty when nothing of the thread is published (drafts and withdrawn texts are not public).
    """
    rows = Explanation.objects.filter(thread=thread, state__in=PUBLIC_EXPLANATION_STATES)
    versions = list(rows.select_related("indicator", "indicator__theme").order_by("-version"))
    if not versions or versions[0].state != ExplanationState.PUBLISHED:
        return []
    return versions


def explanations_published_by_province(start: date, end: date) -> dict[str, Decimal]:
    """Explanation threads first published between two dates (inclusive), by province code.

    A metric for other apps (the scorecard's "published explanations of figures"): a new version
    of an existing explanation is not a new explanation, so threads count once, on the day their
    first version went out.
    """
    first = (
        Explanation.objects.filter(published_at__isnull=False, area__startswith="IR-")
        .values("thread", "area")
        .annotate(first=Min("published_at"))
    )
    counts: dict[str, Decimal] = {}
    for row in first:
        if start <= timezone.localdate(row["first"]) <= end:
            counts[row["area"]] = counts.get(row["area"], Decimal(0)) + 1
    return counts
