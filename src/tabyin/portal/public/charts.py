"""Charts drawn on the server as SVG: a line chart by Jalali month, a sorted bar chart and a sparkline.

Pure: no database and no request, so they are cheap to test and to cache. They need no JavaScript,
no external font and no inline style (the page's CSP forbids them); colours come from classes in
``portal.css``. Time runs the way the reader reads: right-to-left in Persian, left-to-right in
English. Every chart has a ``<title>`` and ``<desc>``; the page adds a data table as the text
alternative.

Drawn with core's display kit (``core.display.svg`` for the opener, scales, ticks and anchors;
``core.display.numbers`` for every figure), like the scorecard's radar and the monitor's charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tabyin.core import jalali
from tabyin.core.display import svg
from tabyin.core.display.numbers import format_number, format_optional, format_percent
from tabyin.portal.public import geo


def percent(fraction: Decimal, language: str) -> str:
    """The size of a change as a percentage with one decimal: 0.023 -> "۲٫۳٪" / "2.3%" (the words
    around it say which way)."""
    return format_percent(abs(fraction), language, 1)


@dataclass(frozen=True)
class Change:
    arrow: str  # decorative; the text says the same in words
    text: str
    tone: str  # "good", "bad" or "neutral": a class, always with ``verdict`` in words
    verdict: str


def change(fraction: Decimal | None, *, versus: str, direction: str, language: str) -> Change | None:
    """Change against the previous month (``versus="prev"``) or the same month a year earlier
    (``"yoy"``), in words, with whether that is good news given the indicator's direction."""
    if fraction is None:
        return None
    if round(abs(fraction) * 1000) == 0:  # under 0.05 %: it would print as 0.0 %
        text = (
            _("about the same as the previous month")
            if versus == "prev"
            else _("about the same as the same month last year")
        )
        return Change("=", text, "neutral", "")
    up = fraction > 0
    if versus == "prev":
        pattern = (
            _("%(pct)s more than the previous month") if up else _("%(pct)s less than the previous month")
        )
    else:
        pattern = (
            _("%(pct)s more than the same month last year")
            if up
            else _("%(pct)s less than the same month last year")
        )
    text = pattern % {"pct": percent(fraction, language)}
    if direction == "neutral":
        return Change("▲" if up else "▼", text, "neutral", "")
    good = up == (direction == "up")
    return Change("▲" if up else "▼", text, "good" if good else "bad", _("better") if good else _("worse"))


def _month_index(period: str) -> int:
    year, month = jalali.parse_period_code(period)
    return year * 12 + month - 1


@dataclass(frozen=True)
class Point:
    period: str  # Jalali "1404-05"
    value: Decimal | None  # None: no figure (missing or suppressed) — the line breaks there
    provisional: bool = False


def _x_labels(indexes: list[int], limit: int = 6) -> set[int]:
    """Which months get an axis label: every month if few, else every 2nd/3rd/4th/6th/12th."""
    span = indexes[-1] - indexes[0] + 1
    every = next((k for k in (1, 2, 3, 4, 6, 12, 24) if math.ceil(span / k) <= limit), 60)
    return {i for i in range(indexes[0], indexes[-1] + 1) if (indexes[-1] - i) % every == 0}


def line_chart(
    points: Sequence[Point], *, title: str, desc: str, language: str, decimals: int, chart_id: str = "series"
) -> SafeString:
    """A monthly line chart. Provisional months are drawn dashed; gaps break the line."""
    # Narrow viewBox: on a 360 px phone the chart is drawn at about 0.7 scale and its 14-unit
    # labels stay readable; on a desktop the figure's CSS width caps how large it grows.
    width, height = 480, 270
    top, bottom, far_side = 12, 46, 28  # far side: room for half a month name at the last point
    rtl = language == "fa"
    known = [float(p.value) for p in points if p.value is not None]
    head = svg.svg_open(
        "chart line-chart", width=width, height=height, chart_id=chart_id, title=title, desc=desc
    )
    if not known:
        return svg.svg_close([head])
    ticks = svg.nice_ticks(min(known), max(known))
    places = svg.tick_places(ticks[1] - ticks[0], decimals) if len(ticks) > 1 else decimals
    tick_labels = svg.tick_labels(ticks, language, places)
    # The axis is as wide as its longest label (about 0.55 em a character at 15 units).
    axis_side = 16 + round(8.5 * max(len(t) for t in tick_labels))
    indexes = [_month_index(p.period) for p in points]
    plot_x0, plot_x1 = (far_side, width - axis_side) if rtl else (axis_side, width - far_side)
    x_of = svg.reading_scale(indexes[0], indexes[-1], left=plot_x0, right=plot_x1, rtl=rtl)
    y_of = svg.Scale(ticks[0], ticks[-1], height - bottom, top)
    label_x = width - axis_side + 8 if rtl else axis_side - 8
    out = [head, svg.y_grid(ticks, tick_labels, y=y_of, x0=plot_x0, x1=plot_x1, label_x=label_x, rtl=rtl)]
    labelled = _x_labels(indexes)
    shown_year: int | None = None
    for index in sorted(labelled):
        year, month = divmod(index, 12)
        x = svg.coord(x_of(index))
        base = height - bottom + 20
        out.append(f'<text class="tick" x="{x}" y="{base}" text-anchor="middle">')
        out.append(f"{jalali.month_name(month + 1, language)}</text>")
        if year != shown_year:
            year_text = format_number(year, language, 0, grouping=False)
            out.append(f'<text class="tick" x="{x}" y="{base + 18}" text-anchor="middle">{year_text}</text>')
            shown_year = year
    # Segments: solid between final months, dashed where either end is provisional.
    for a, b, ia, ib in zip(points, points[1:], indexes, indexes[1:], strict=False):
        if a.value is None or b.value is None or ib - ia != 1:
            continue
        css = "line provisional" if a.provisional or b.provisional else "line"
        out.append(
            f'<path class="{css}" d="M{svg.coord(x_of(ia))} {svg.coord(y_of(float(a.value)))}'
            f'L{svg.coord(x_of(ib))} {svg.coord(y_of(float(b.value)))}"/>'
        )
    status = {True: _("provisional"), False: _("final")}
    for p, index in zip(points, indexes, strict=True):
        if p.value is None:
            continue
        label = (
            f"{jalali.format_month(p.period, language)}: {format_number(p.value, language, decimals)}"
            f" ({status[p.provisional]})"
        )
        css = "dot provisional" if p.provisional else "dot"
        out.append(
            f'<circle class="{css}" cx="{svg.coord(x_of(index))}" '
            f'cy="{svg.coord(y_of(float(p.value)))}" r="3.5">'
            f"<title>{escape(label)}</title></circle>"
        )
    return svg.svg_close(out)  # every text above is escaped or generated here


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    href: str = ""
    highlight: bool = False


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    language: str,
    decimals: int,
    reference: Decimal | None = None,
    reference_label: str = "",
    chart_id: str = "bars",
) -> SafeString:
    """Horizontal bars, largest first; a bar without a figure shows a dash instead of a bar.

    Bars grow from the start edge (right in Persian). Each row links to the province's page.
    """
    rtl = language == "fa"
    row, width, value_room, top = 24, 420, 78, 6
    # Room for the longest name at 14 units a character height (about 0.5 em a character in
    # either script), so "Kohgiluyeh and Boyer-Ahmad" is not cut by its bar in English.
    longest = max((len(b.label) for b in bars), default=0)
    label_width = min(200, max(90, round(longest * 7.2) + 10))
    ordered = sorted(bars, key=lambda b: (b.value is None, -(b.value or 0)))
    height = top * 2 + row * len(ordered) + (row if reference is not None else 0)
    high = max([float(b.value) for b in ordered if b.value is not None] + [0.0])
    if reference is not None:
        high = max(high, float(reference))
    span = width - label_width - value_room
    origin = width - label_width if rtl else label_width

    def along(length: float) -> float:
        return origin - length if rtl else origin + length

    role = "group" if any(b.href for b in bars) else "img"
    out = [
        svg.svg_open(
            "chart bar-chart",
            width=width,
            height=height,
            chart_id=chart_id,
            title=title,
            desc=desc,
            role=role,
        )
    ]
    label_x, anchor = (width - 4 if rtl else 4), svg.anchor("start", rtl)
    for i, bar in enumerate(ordered):
        y = top + i * row
        length = 0.0 if bar.value is None or high <= 0 else max(0.0, float(bar.value)) / high * span
        value_text = format_optional(bar.value, language, decimals)
        css = "bar highlight" if bar.highlight else "bar"
        body = (
            f"<title>{escape(bar.label)}: {escape(value_text)}</title>"
            f'<text class="label" x="{label_x}" y="{y + 17}" text-anchor="{anchor}">'
            f"{escape(bar.label)}</text>"
            f'<rect class="{css}" x="{svg.coord(min(origin, along(length)))}" y="{y + 3}" '
            f'width="{svg.coord(length)}" height="{row - 6}"/>'
            f'<text class="value" x="{svg.coord(along(length + 4))}" y="{y + 17}" text-anchor="{anchor}">'
            f"{escape(value_text)}</text>"
        )
        out.append(f'<a href="{escape(bar.href)}">{body}</a>' if bar.href else f"<g>{body}</g>")
    if reference is not None and high > 0:
        x = svg.coord(along(float(reference) / high * span))
        bottom = top + row * len(ordered)
        text = f"{reference_label}: {format_number(reference, language, decimals)}"
        out.append(f'<line class="reference" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/>')
        out.append(
            f'<text class="reference-label" x="{x}" y="{bottom + 17}" text-anchor="middle" '
            f'direction="{"rtl" if rtl else "ltr"}">{escape(text)}</text>'
        )
    return svg.svg_close(out)  # every text above is escaped or generated here


def sparkline(points: Sequence[Point], *, language: str) -> SafeString:
    """A tiny trend line for a card. Decorative (hidden from assistive technology): the card
    states the figure and its change in words."""
    values = [(i, float(p.value)) for i, p in enumerate(points) if p.value is not None]
    if len(values) < 2:
        return SafeString("")
    width, height, pad = 120, 28, 2
    low, high = min(v for _, v in values), max(v for _, v in values)
    spread = high - low or 1.0
    last = len(points) - 1

    def xy(i: int, v: float) -> str:
        x = pad + i / last * (width - 2 * pad)
        if language == "fa":
            x = width - x
        return f"{svg.coord(x)},{svg.coord(pad + (high - v) / spread * (height - 2 * pad))}"

    line = " ".join(xy(i, v) for i, v in values)
    return svg.svg_close(
        [svg.svg_open_decorative("spark", width=width, height=height), f'<polyline points="{line}"/>']
    )


# --- Texts and the province comparison (bars + map) of the indicator page --------------------------


def series_title(name: str, area: str, first: str, last: str, language: str) -> str:
    return _("%(indicator)s, %(area)s, %(first)s to %(last)s") % {
        "indicator": name,
        "area": area,
        "first": jalali.format_month(first, language),
        "last": jalali.format_month(last, language),
    }


def series_desc(unit: str) -> str:
    return _(
        "Monthly figures in %(unit)s. Dashed parts and hollow points are provisional figures. "
        "The same figures are in the table below."
    ) % {"unit": unit}


@dataclass(frozen=True)
class Area:
    iso: str
    name: str
    value: Decimal | None
    href: str


@dataclass(frozen=True)
class Comparison:
    bars: SafeString
    map: SafeString
    legend: list[geo.LegendEntry]
    decimals: int


def comparison(
    areas: Sequence[Area],
    *,
    name: str,
    month: str,
    unit: str,
    decimals: int,
    reference: Decimal | None,
    language: str,
) -> Comparison:
    """The provinces in one month as a sorted bar chart and a choropleth, same values in both."""
    title = _("%(indicator)s by province, %(month)s") % {
        "indicator": name,
        "month": jalali.format_month(month, language),
    }
    # Classes and bar lengths use the values as printed, so two provinces that read the same are
    # never coloured differently.
    step = Decimal(1).scaleb(-decimals)
    areas = [Area(a.iso, a.name, None if a.value is None else a.value.quantize(step), a.href) for a in areas]
    bars = bar_chart(
        [Bar(a.name, a.value, a.href) for a in areas],
        title=title,
        desc=_("Provinces sorted from highest to lowest, in %(unit)s.") % {"unit": unit},
        language=language,
        decimals=decimals,
        reference=reference,
        reference_label=_("Iran"),
    )
    svg, legend = geo.choropleth(
        [
            geo.MapArea(
                a.iso, a.value, f"{a.name}: {format_optional(a.value, language, decimals)} {unit}", a.href
            )
            for a in areas
        ],
        title=title,
        desc=_("Map of the provinces of Iran shaded by %(unit)s; darker means higher.") % {"unit": unit},
        language=language,
    )
    return Comparison(bars, svg, legend, decimals)
