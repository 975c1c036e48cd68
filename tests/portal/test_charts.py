"""Server-drawn charts and the map: pure functions first, then as the indicator page shows them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from tabyin.core.display import svg as svg_kit
from tabyin.portal.public import charts, geo
from tests.portal.factories import observe
from tests.portal.test_public_pages import MONTHS, OUTPATIENT_IR, sample_figures

CSS = (geo.GEOJSON.parents[2] / "static" / "tabyin" / "css" / "portal.css").read_text()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Pure chart functions ---------------------------------------------------------------------------


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert svg_kit.nice_ticks(1_000_000, 1_024_315) == [1_000_000, 1_010_000, 1_020_000, 1_030_000]
    assert svg_kit.nice_ticks(41.0, 71.2) == [40, 50, 60, 70, 80]
    assert svg_kit.nice_ticks(5, 5) == [4.5, 4.75, 5.0, 5.25, 5.5]  # a flat series gets a band around it


def _points() -> list[charts.Point]:
    return [
        charts.Point("1405-01", Decimal(100)),
        charts.Point("1405-02", Decimal(120)),
        charts.Point("1405-03", Decimal(110), provisional=True),
    ]


def test_line_chart_runs_right_to_left_in_persian_and_left_to_right_in_english() -> None:
    fa = charts.line_chart(_points(), title="t", desc="d", language="fa", decimals=0)
    en = charts.line_chart(_points(), title="t", desc="d", language="en", decimals=0)

    def dots(svg: str) -> list[float]:
        return [float(x) for x in re.findall(r'<circle class="[^"]*" cx="([0-9.]+)"', svg)]

    assert dots(fa) == sorted(dots(fa), reverse=True)  # first month at the right
    assert dots(en) == sorted(dots(en))
    assert "فروردین" in fa and "Farvardin" in en
    assert "۱۴۰۵" in fa and "1405" in en


def test_line_chart_has_title_desc_and_draws_provisional_months_dashed() -> None:
    svg = charts.line_chart(_points(), title="خدمات <سرپایی>", desc="توضیح", language="fa", decimals=0)

    assert '<svg class="chart line-chart"' in svg and 'role="img"' in svg
    assert '<title id="series-title">خدمات &lt;سرپایی&gt;</title>' in svg
    assert '<desc id="series-desc">توضیح</desc>' in svg
    assert re.findall(r'<path class="(line[^"]*)"', svg) == ["line", "line provisional"]
    assert svg.count('class="dot provisional"') == 1
    with translation.override("fa"):
        label = f"خرداد ۱۴۰۵: ۱۱۰ ({translation.gettext('provisional')})"
    assert f"<title>{label}</title>" in svg


def test_a_missing_month_breaks_the_line() -> None:
    points = [*_points()[:2], charts.Point("1405-03", None), charts.Point("1405-04", Decimal(90))]

    svg = charts.line_chart(points, title="t", desc="d", language="en", decimals=0)

    assert svg.count("<path") == 1
    assert svg.count("<circle") == 3


def test_bar_chart_sorts_highest_first_and_links_each_bar() -> None:
    bars = [
        charts.Bar("ایلام", Decimal(7250), "/provinces/IR-16/"),
        charts.Bar("تهران", Decimal(240000), "/provinces/IR-23/"),
        charts.Bar("قم", None, "/provinces/IR-25/"),
    ]

    svg = charts.bar_chart(bars, title="t", desc="d", language="fa", decimals=0)

    assert re.findall(r'<a href="(/provinces/IR-\d\d/)">', svg) == [
        "/provinces/IR-23/",
        "/provinces/IR-16/",
        "/provinces/IR-25/",
    ]
    assert "<title>تهران: ۲۴۰٬۰۰۰</title>" in svg and "<title>قم: —</title>" in svg
    assert 'role="group" aria-labelledby="bars-title bars-desc"' in svg  # links inside: not an img
    unlinked = charts.bar_chart(
        [charts.Bar("قم", Decimal(1), "")], title="t", desc="d", language="fa", decimals=0
    )
    assert 'role="img"' in unlinked and "<a " not in unlinked
    widths = [float(w) for w in re.findall(r'width="([0-9.]+)" height', svg)]
    assert widths[0] > widths[1] > widths[2] == 0


def test_sparkline_is_decorative_and_tiny() -> None:
    svg = charts.sparkline(_points(), language="fa")

    assert 'aria-hidden="true"' in svg
    assert len(svg) < 300


def test_change_text_says_good_or_bad_from_the_direction() -> None:
    with translation.override("en"):
        up_good = charts.change(Decimal("0.023"), versus="prev", direction="up", language="en")
        up_bad = charts.change(Decimal("0.023"), versus="yoy", direction="down", language="en")
        neutral = charts.change(Decimal("-0.015"), versus="prev", direction="neutral", language="en")
        flat = charts.change(Decimal("0.0004"), versus="prev", direction="up", language="en")

    assert up_good == charts.Change("▲", "2.3% more than the previous month", "good", "better")
    assert up_bad == charts.Change("▲", "2.3% more than the same month last year", "bad", "worse")
    assert neutral == charts.Change("▼", "1.5% less than the previous month", "neutral", "")
    assert flat is not None and flat.tone == "neutral" and flat.text == "about the same as the previous month"
    assert charts.change(None, versus="prev", direction="up", language="en") is None
    assert charts.percent(Decimal("0.023"), "fa") == "۲٫۳٪"


# --- The map ----------------------------------------------------------------------------------------


def test_map_geometry_has_the_31_provinces_and_is_built_once() -> None:
    first = geo.geometry()

    assert [s.iso for s in first.shapes] == [f"IR-{i:02d}" for i in range(31)]
    assert first.width == 1000 and 850 < first.height < 950
    assert geo.geometry() is first  # cached for the process
    assert all(s.d.startswith("M") and s.d.endswith("z") for s in first.shapes)
    assert sum(len(s.d) for s in first.shapes) < 45_000  # bytes of path data on the page


def test_quantile_classes_spread_over_the_palette() -> None:
    values = [Decimal(v) for v in range(1, 32)]
    breaks = geo.quantile_breaks(values)

    assert breaks == [Decimal(7), Decimal(13), Decimal(19), Decimal(25), Decimal(31)]
    assert [geo.bucket_of(Decimal(v), breaks) for v in (1, 7, 8, 20, 31)] == [1, 1, 2, 4, 5]
    assert geo.quantile_breaks([Decimal(3), Decimal(3)]) == [Decimal(3)]
    assert geo.bucket_of(Decimal(3), [Decimal(3)]) == 5


def test_choropleth_links_every_province_and_hatches_missing_ones() -> None:
    areas = [geo.MapArea("IR-23", Decimal(10), "تهران: ۱۰", "/provinces/IR-23/")]

    svg, legend = geo.choropleth(areas, title="نقشه", desc="شرح", language="fa")

    assert svg.count('<path class="province') == 31
    assert svg.count('class="province nodata"') == 30
    # Links inside an image would be hidden from screen readers (axe nested-interactive): the
    # map is a named group, and each link is named by its own title.
    assert (
        svg.startswith('<svg class="map" viewBox="0 0 ')
        and 'role="group" aria-labelledby="map-title map-desc"' in svg
    )
    assert '<a href="/provinces/IR-23/"><title>تهران: ۱۰</title><path class="province q5"' in svg
    assert "<title>تهران: ۱۰</title>" in svg and "<title>ایلام</title>" in svg
    assert [e.css_class for e in legend] == ["q5", "nodata"]


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_is_sequential_and_badges_meet_aa() -> None:
    fills = [re.search(rf"\.q{i} {{ fill: (#[0-9a-f]{{6}})", CSS)[1] for i in range(1, 6)]  # type: ignore[index]
    lightness = [_luminance(f) for f in fills]
    assert lightness == sorted(lightness, reverse=True)  # light to dark: one hue, ordered
    # Province borders (#4a4f57) stand out from the lightest class and from the page (WCAG 1.4.11).
    assert _contrast("#4a4f57", fills[0]) >= 3 and _contrast("#4a4f57", "#ffffff") >= 3
    badges = re.findall(r"background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6});", CSS)
    assert len(badges) >= 3
    assert all(_contrast(fg, bg) >= 4.5 for bg, fg in badges), badges


# --- On the indicator page ----------------------------------------------------------------------------


@pytest.fixture
def figures(org: None) -> dict[str, Any]:
    cache.clear()
    return sample_figures()


@pytest.mark.django_db
def test_indicator_page_has_definition_chart_table_map_and_credit(
    client: Client, figures: dict[str, Any]
) -> None:
    html = client.get("/indicators/outpatient-services-per-day/").content.decode()
    text = _text(html)

    assert "میانگین شمار خدمات سرپایی" in text  # what it measures
    with translation.override("fa"):
        title = translation.gettext("%(indicator)s, %(area)s, %(first)s to %(last)s") % {
            "indicator": "خدمات سرپایی در روز",
            "area": translation.gettext("Iran (national)"),
            "first": "تیر ۱۴۰۴",
            "last": "مرداد ۱۴۰۵",
        }
    assert f'<title id="series-title">{title}</title>' in html
    hidden = html[html.index('<div class="visually-hidden"><table>') :]
    hidden = hidden[: hidden.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>", hidden)
    assert len(rows) == 14
    assert rows[0] == ("مرداد ۱۴۰۵", "۱٬۰۲۴٬۳۱۵")  # newest first
    assert rows[-1] == ("تیر ۱۴۰۴", "۱٬۰۰۰٬۰۰۰")
    assert html.count('<path class="province') == 31
    assert html.count('class="province nodata"') == 28
    assert "© OpenStreetMap contributors" in html
    assert 'href="https://www.openstreetmap.org/copyright"' in html
    assert html.count('<path class="line provisional"') == 1  # Tir 1405 → Mordad 1405
    # Province table: by position from the highest (neutral indicator), three with a figure.
    table = html[html.index('<table class="provinces-table">') :]
    ranked = re.findall(r"<tr><td>([^<]*)</td><th scope=\"row\"><a href=\"/provinces/(IR-\d\d)/\">", table)
    assert ranked[:4] == [("۱", "IR-23"), ("۲", "IR-10"), ("۳", "IR-16"), ("—", "IR-00")]


@pytest.mark.django_db
def test_per_capita_view_uses_the_2016_census(client: Client, figures: dict[str, Any]) -> None:
    html = client.get("/en/indicators/outpatient-services-per-day/?view=per1000").content.decode()

    # Tehran: 240,000 a day / 13,267,637 people × 1,000 = 18.09
    assert "<title>Tehran: 18.09</title>" in html
    assert "<title>Tehran: 18.09 per 1,000 people</title>" in html
    assert "2016 (1395) national census" in html
    assert 'aria-current="true">Per 1,000 people</a>' in html


@pytest.mark.django_db
def test_rate_shows_its_formula_and_the_national_reference(client: Client, figures: dict[str, Any]) -> None:
    html = client.get("/indicators/coverage-rate/").content.decode()
    text = _text(html)

    with translation.override("fa"):
        per = translation.gettext("per %(factor)s") % {"factor": "۱۰۰"}
    assert f"جمعیت زیر پوشش ÷ جمعیت برآوردی × ۱۰۰ ({per})" in text
    assert 'class="reference"' in html
    assert "۴۶٬۷۰۰٬۰۰۰" in text and "۷۹٬۹۲۶٬۲۷۰" in text  # numerator and denominator in the data table
    ranked = re.findall(r"<tr><td>([^<]*)</td><th scope=\"row\"><a href=\"/provinces/(IR-\d\d)/\">", html)
    assert ranked[:3] == [("۱", "IR-23"), ("۲", "IR-10"), ("۳", "IR-16")]


@pytest.mark.django_db
def test_area_and_period_switch_the_series_and_the_comparison(
    client: Client, figures: dict[str, Any]
) -> None:
    html = client.get("/indicators/outpatient-services-per-day/?area=IR-23&period=1404-06").content.decode()

    assert re.search(r'<title id="series-title">[^<]*تهران[^<]*</title>', html)
    assert '<option value="IR-23" selected>' in html
    assert '<option value="1404-06" selected>' in html
    assert html.count('class="province nodata"') == 30  # only Tehran has Shahrivar 1404
    assert "<title>تهران: ۲۳۱٬۰۰۰ خدمت در روز</title>" in html


@pytest.mark.django_db
def test_indicator_page_query_count_is_constant(
    client: Client, figures: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries, settings: Any
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries (the page's data cache stays)
    url = "/indicators/outpatient-services-per-day/"
    # data version, indicator, provinces, national series, comparison, revisions, explanations
    with django_assert_num_queries(7):
        client.get(url)
    cache.clear()
    for iso in ("IR-00", "IR-01", "IR-02", "IR-03", "IR-04"):
        for period in MONTHS:
            observe("outpatient-services-per-day", iso, period, 10_000, in_release=figures["services"])
    with django_assert_num_queries(7):
        client.get(url)
    with django_assert_num_queries(8):  # + the chosen province's series
        client.get(url + "?area=IR-23")
    assert OUTPATIENT_IR[-1] == 1_024_315


@pytest.mark.django_db
def test_a_suppressed_small_count_is_never_shown(client: Client, figures: dict[str, Any]) -> None:
    observe(
        "outpatient-services-per-day", "IR-25", MONTHS[-1], 7, suppressed=True, in_release=figures["services"]
    )

    html = client.get("/indicators/outpatient-services-per-day/").content.decode()

    assert "<title>قم: —</title>" in html  # the bar
    assert "<title>قم: — خدمت در روز</title>" in html  # the map: no class, hatched as "no figure"
    with translation.override("fa"):
        assert translation.gettext("Not shown: small count") in html
    assert ">۷<" not in html
