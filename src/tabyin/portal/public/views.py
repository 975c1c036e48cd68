"""Public pages of the transparency site: home, theme, indicator, province and explanation (the
search page is in search/, the "was this clear?" answer in feedback/).

Views parse the request, read through ``selectors``, draw charts with ``charts`` and
``geo``, and render. The data of the heavy pages (everything but the CSRF token and messages) is
cached per language under the publish counter ``portal:data-version``: publishing a release bumps
it, so a page is never older than the last publication (or the safety timeout after a staff edit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Final

from django.core.cache import cache as django_cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tabyin.core.http import page_language
from tabyin.portal.enums import NATIONAL, Direction, Kind
from tabyin.portal.feedback.forms import FeedbackForm
from tabyin.portal.models import Indicator
from tabyin.portal.public import charts, selectors
from tabyin.portal.public.forms import IndicatorQuery
from tabyin.portal.release.services import data_version

PAGE_TIMEOUT: Final = 600  # seconds; publishing invalidates sooner through the data version
DOWNLOADS_TEMPLATE: Final = "portal/data/_downloads.html"


def _cached(name: str, build: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    """The page's data from the cache, or built and stored; ``None`` from ``build`` means 404
    (never cached, so unknown addresses cannot fill the cache)."""
    version = data_version()
    key = f"portal:page:{name}:{page_language()}:v{version}"
    data: dict[str, Any] | None = django_cache.get(key)
    if data is None:
        data = build()
        if data is None:
            raise Http404
        django_cache.set(key, data, PAGE_TIMEOUT)
    return data


@cache
def _optional_template(name: str) -> str:
    """The data engineer's download block, if it is installed; the page works without it."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return ""
    return name


def _dataset_url(slug: str | None = None) -> str:
    """Links to the open-data pages another part of the portal serves under data/."""
    try:
        return reverse("portal:dataset", args=[slug]) if slug else reverse("portal:datasets")
    except NoReverseMatch:
        return f"{reverse('portal:home')}data/{slug + '/' if slug else ''}"


@dataclass(frozen=True)
class Card:
    """One indicator's latest national figure, as the home and theme pages show it."""

    code: str
    text: selectors.IndicatorText
    decimals: int
    latest: selectors.Figure | None
    changes: tuple[charts.Change, ...]
    spark: SafeString


SPARK_MONTHS: Final = 13  # a year and the same month before it


def _card(indicator: Indicator, series: Sequence[selectors.Figure], language: str) -> Card:
    latest = series[-1] if series else None
    direction = indicator.direction
    changes = (
        [
            charts.change(latest.change_prev, versus="prev", direction=direction, language=language),
            charts.change(latest.change_yoy, versus="yoy", direction=direction, language=language),
        ]
        if latest
        else []
    )
    points = [charts.Point(f.period, f.value, f.provisional) for f in series[-SPARK_MONTHS:]]
    return Card(
        code=indicator.code,
        text=selectors.indicator_text(indicator, language),
        decimals=indicator.decimals,
        latest=latest,
        changes=tuple(c for c in changes if c is not None),
        spark=charts.sparkline(points, language=language),
    )


# --- Home, themes -----------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        language = page_language()
        indicators = selectors.headline_indicators()
        series = selectors.national_series(i.pk for i in indicators)
        return {
            "cards": [_card(i, series[i.pk], language) for i in indicators],
            "themes": [selectors.theme_text(t, language) for t in selectors.themes()],
            "data_url": _dataset_url(),
        }

    return render(request, "portal/home.html", _cached("home", build))


@require_safe
def theme(request: HttpRequest, code: str) -> HttpResponse:
    def build() -> dict[str, Any] | None:
        language = page_language()
        found = selectors.theme_by_code(code)
        if found is None:
            return None
        indicators = selectors.indicators_of_theme(found)
        series = selectors.national_series(i.pk for i in indicators)
        names = {p.iso: p.name(language) for p in selectors.provinces()}
        return {
            "theme": selectors.theme_text(found, language),
            "cards": [_card(i, series[i.pk], language) for i in indicators],
            "explanations": [
                selectors.explanation_item(e, names, language)
                for e in selectors.public_explanations(theme=found)
            ],
        }

    return render(request, "portal/theme.html", _cached(f"theme:{code}", build))


# --- Indicator ----------------------------------------------------------------------------------------


@require_safe
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    query = IndicatorQuery(request.GET).values()

    def build() -> dict[str, Any] | None:
        found = selectors.indicator_by_code(code)
        if found is None:
            return None
        return _indicator_data(found, query["area"], query["period"], query["view"])

    key = f"indicator:{code}:{query['area']}:{query['period']}:{query['view']}"
    context = dict(_cached(key, build))
    context["feedback_form"] = FeedbackForm(
        initial={"target": "indicator", "target_id": context["indicator"].pk}
    )
    context["downloads_template"] = _optional_template(DOWNLOADS_TEMPLATE)
    return render(request, "portal/indicator.html", context)


def _indicator_data(found: Indicator, area: str, period: str, view: str) -> dict[str, Any]:
    language = page_language()
    everyone = selectors.provinces()
    names = {p.iso: p.name(language) for p in everyone}
    area = area if area in names else NATIONAL
    national = selectors.series(found, NATIONAL)
    shown = national if area == NATIONAL else selectors.series(found, area)
    periods = [f.period for f in national]
    month, rows = selectors.comparison(found, period if period in periods else None, everyone)
    info = selectors.indicator_text(found, language)
    area_name = names.get(area, _("Iran (national)"))
    per_1000 = view == "per1000" and found.per_capita
    context: dict[str, Any] = {
        "indicator": found,
        "info": info,
        "theme": selectors.theme_text(found.theme, language),
        "data_url": _dataset_url(),
        "card": _card(found, national, language),
        "area": area,
        "area_name": area_name,
        "areas": [(NATIONAL, _("Iran (national)")), *((p.iso, p.name(language)) for p in everyone)],
        "series": list(reversed(shown)),
        "national": list(reversed(national)),
        "periods": list(reversed(periods)),
        "month": month,
        "per_1000": per_1000,
        "rows": sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.province.iso)),
        "ranked": found.direction != Direction.NEUTRAL,
        "revisions": [
            (r, names.get(r.observation.area, _("Iran (national)"))) for r in selectors.revisions_for(found)
        ],
        "explanations": [
            selectors.explanation_item(e, names, language)
            for e in selectors.public_explanations(indicator=found)
        ],
    }
    if shown:
        context["line_chart"] = charts.line_chart(
            [charts.Point(f.period, f.value, f.provisional) for f in shown],
            title=charts.series_title(info.name, area_name, shown[0].period, shown[-1].period, language),
            desc=charts.series_desc(info.unit),
            language=language,
            decimals=found.decimals,
        )
    if month and any(r.figure for r in rows):
        context.update(
            _comparison_charts(
                found,
                info=info,
                rows=rows,
                national=national,
                month=month,
                per_1000=per_1000,
                language=language,
            )
        )
    return context


def _comparison_charts(
    found: Indicator,
    *,
    info: selectors.IndicatorText,
    rows: list[selectors.ProvinceFigure],
    national: list[selectors.Figure],
    month: str,
    per_1000: bool,
    language: str,
) -> dict[str, Any]:
    nation = next((f for f in national if f.period == month), None)
    reference: Decimal | None = None
    if nation is not None and per_1000:
        reference = selectors.per_thousand(nation.value, sum(r.province.population or 0 for r in rows))
    elif nation is not None and found.kind == Kind.RATE:
        reference = nation.value  # a national rate is comparable with the provinces' rates
    drawn = charts.comparison(
        [
            charts.Area(
                r.province.iso,
                r.province.name(language),
                r.per_1000 if per_1000 else (r.figure.value if r.figure else None),
                reverse("portal:province", args=[r.province.iso]),
            )
            for r in rows
        ],
        name=info.name,
        month=month,
        unit=_("per 1,000 people") if per_1000 else info.unit,
        decimals=2 if per_1000 else found.decimals,
        reference=reference,
        language=language,
    )
    return {
        "bar_chart": drawn.bars,
        "map": drawn.map,
        "legend": drawn.legend,
        "legend_decimals": drawn.decimals,
    }


# --- Province, explanation -------------------------------------------------------------------------


@require_safe
def province(request: HttpRequest, iso: str) -> HttpResponse:
    iso = iso.upper()
    if len(iso) > 5:
        raise Http404

    def build() -> dict[str, Any] | None:
        language = page_language()
        everyone = selectors.provinces()
        found = next((p for p in everyone if p.iso == iso), None)
        if found is None:
            return None
        names = {p.iso: p.name(language) for p in everyone}
        return {
            "province": found,
            "name": found.name(language),
            "rows": selectors.province_overview(iso, language),
            "peers": selectors.peers(found, everyone),
            "explanations": [
                selectors.explanation_item(e, names, language)
                for e in selectors.public_explanations(area=iso)
            ],
        }

    return render(request, "portal/province.html", _cached(f"province:{iso}", build))


@require_safe
def explanation(request: HttpRequest, thread: int) -> HttpResponse:
    language = page_language()
    versions = selectors.explanation_versions(thread)
    if not versions:
        raise Http404
    current = versions[0]
    names = {p.iso: p.name(language) for p in selectors.provinces()} if current.area else {}
    context = {
        "item": selectors.explanation_item(current, names, language),
        "current": current,
        "versions": versions,
        "figure": selectors.figure_at(current.indicator, current.area, current.period),
        "info": selectors.indicator_text(current.indicator, language),
        "feedback_form": FeedbackForm(initial={"target": "explanation", "target_id": current.pk}),
    }
    return render(request, "portal/explanation.html", context)
