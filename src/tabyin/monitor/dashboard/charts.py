"""Monitoring charts drawn on the server as SVG: mentions over time (columns), horizontal bars
(channels, provinces, share of voice, sentiment) and cumulative spread (steps, one or two series).

The drawing functions are pure: plain values in, markup out; ``dashboard_charts`` feeds them the
selector's figures. No JavaScript, no inline style (the CSP forbids it), no external
font; colours come from classes in ``monitor.css``. Time runs the way the reader reads:
right-to-left in Persian, left-to-right in English. Every chart carries ``<title>`` and ``<desc>``
and the page puts the same figures in a table next to it. Drawn with core's display kit, like the
portal's charts and the scorecard's radar: ``core.display.svg`` for the opener, scales, ticks and
reading-direction anchors, ``core.display.numbers`` for every figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tabyin.core import jalali
from tabyin.core.display import svg
from tabyin.core.display.numbers import format_number, format_percent, localize_digits
from tabyin.core.models import OrgUnit
from tabyin.monitor.dashboard.selectors import Dashboard
from tabyin.monitor.enums import Sentiment

percent = format_percent  # a share of mentions: 0.611 -> "۶۱٫۱٪" (the dashboard's table uses it too)


def time_label(at: datetime, language: str, *, hourly: bool) -> str:
    """Short axis label in Tehran time: "۱۴:۰۰" for hours, "۵ آذر" for days."""
    j = jalali.to_jalali(at)
    text = f"{int(j.hour):02d}:00" if hourly else f"{int(j.day)} {jalali.month_name(int(j.month), language)}"
    return localize_digits(text, language)


def _y_axis(
    ticks: list[float],
    *,
    y_of: svg.Scale,
    x0: float,
    x1: float,
    rtl: bool,
    width: int,
    axis: int,
    language: str,
) -> str:
    """Counts from zero: the grid and its labels beside the plot, on the reading-start side."""
    label_x = width - axis + 6 if rtl else axis - 6
    labels = svg.tick_labels(ticks, language)
    return svg.y_grid(ticks, labels, y=y_of, x0=x0, x1=x1, label_x=label_x, rtl=rtl)


@dataclass(frozen=True)
class Column:
    label: str  # axis label ("" for none)
    value: int
    title: str  # the full reading for the tooltip / accessible name


def columns(
    cols: Sequence[Column], *, title: str, desc: str, language: str, chart_id: str = "mentions"
) -> SafeString:
    """A column per time bucket, oldest at the reading start. About six axis labels at most."""
    # Narrow viewBoxes: on a 360 px phone a chart is drawn near 1:1, so its 13-unit text stays readable.
    width, height, top, bottom, axis, far = 380, 220, 10, 30, 40, 10
    rtl = language == "fa"
    head = svg.svg_open(
        "mon-chart columns", width=width, height=height, chart_id=chart_id, title=title, desc=desc
    )
    if not cols:
        return svg.svg_close([head])
    ticks = svg.nice_ticks(0, max(c.value for c in cols), whole=True)
    x0, x1 = (far, width - axis) if rtl else (axis, width - far)
    slot = (x1 - x0) / len(cols)
    y_of = svg.Scale(0, ticks[-1], height - bottom, top)
    out = [head, _y_axis(ticks, y_of=y_of, x0=x0, x1=x1, rtl=rtl, width=width, axis=axis, language=language)]
    every = max(1, math.ceil(len(cols) / 5))
    for i, col in enumerate(cols):
        left = x1 - (i + 1) * slot if rtl else x0 + i * slot
        y = y_of(col.value)
        out.append(
            f'<rect class="col" x="{svg.coord(left + slot * 0.12)}" y="{svg.coord(y)}" '
            f'width="{svg.coord(slot * 0.76)}" '
            f'height="{svg.coord(height - bottom - y)}"><title>{escape(col.title)}</title></rect>'
        )
        if col.label and (len(cols) - 1 - i) % every == 0:
            out.append(
                f'<text class="tick" x="{svg.coord(left + slot / 2)}" y="{height - bottom + 18}" '
                f'text-anchor="middle">{escape(col.label)}</text>'
            )
    return svg.svg_close(out)  # every text is escaped or generated here


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed beside the bar
    css: str = ""  # extra class: "negative", "ours", ...
    href: str = ""


def bars(rows: Sequence[Bar], *, title: str, desc: str, language: str, chart_id: str) -> SafeString:
    """Horizontal bars in the given order, growing from the reading start (right in Persian)."""
    rtl = language == "fa"
    row, width, top, value_room = 26, 360, 4, 80
    longest = max((len(b.label) for b in rows), default=0)
    label_width = min(130, max(70, round(longest * 7) + 10))
    height = top * 2 + row * max(1, len(rows))
    high = max([b.value for b in rows] + [0.0])
    span = width - label_width - value_room
    origin = width - label_width if rtl else label_width
    anchor, label_x = svg.anchor("start", rtl), (width - 4 if rtl else 4)
    value_dir = 'direction="rtl" text-anchor="start"' if rtl else 'text-anchor="start"'
    out = [
        svg.svg_open("mon-chart bars", width=width, height=height, chart_id=chart_id, title=title, desc=desc)
    ]
    for i, bar in enumerate(rows):
        y = top + i * row
        length = 0.0 if high <= 0 else max(0.0, bar.value) / high * span
        x = origin - length if rtl else origin
        value_x = origin - length - 5 if rtl else origin + length + 5
        # Long labels are cut with an ellipsis: the table beside the chart has them in full.
        label = bar.label if len(bar.label) <= 17 else bar.label[:16] + "…"
        body = (
            f"<title>{escape(bar.label)}: {escape(bar.text)}</title>"
            f'<text class="label" x="{label_x}" y="{y + 18}" text-anchor="{anchor}">{escape(label)}</text>'
            f'<rect class="bar {escape(bar.css)}" x="{svg.coord(x)}" y="{y + 4}" width="{svg.coord(length)}" '
            f'height="{row - 8}"/>'
            # The value reads in the page's direction ("۱۱ (۶۱٫۱٪)" from the right in Persian).
            f'<text class="value" x="{svg.coord(value_x)}" y="{y + 18}" {value_dir}>{escape(bar.text)}</text>'
        )
        out.append(f'<a href="{escape(bar.href)}">{body}</a>' if bar.href else f"<g>{body}</g>")
    return svg.svg_close(out)  # every text is escaped or generated here


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[datetime, int]]  # cumulative: (time, channels reached by then)
    css: str  # "rumor" or "answer"


def spread(
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    language: str,
    marker: tuple[datetime, str] | None = None,
    chart_id: str = "spread",
) -> SafeString:
    """Cumulative channels reached as step lines on one time axis; ``marker``: a labelled moment
    (when the answer was published)."""
    width, height, top, bottom, axis, far = 380, 240, 24, 34, 40, 8
    rtl = language == "fa"
    head = svg.svg_open(
        "mon-chart spread", width=width, height=height, chart_id=chart_id, title=title, desc=desc
    )
    points = [p for s in series for p in s.points]
    if not points:
        return svg.svg_close([head])
    times = [t for t, _ in points] + ([marker[0]] if marker else [])
    start, end = min(times), max(times)
    ticks = svg.nice_ticks(0, max(v for _, v in points), whole=True)
    x0, x1 = (far, width - axis) if rtl else (axis, width - far)
    total = (end - start).total_seconds() or 3600.0  # one moment only: an hour, all at its start
    seconds = svg.reading_scale(0, total, left=x0, right=x1, rtl=rtl)

    def x_of(at: datetime) -> float:
        return seconds((at - start).total_seconds())

    y_of = svg.Scale(0, ticks[-1], height - bottom, top)
    out = [head, _y_axis(ticks, y_of=y_of, x0=x0, x1=x1, rtl=rtl, width=width, axis=axis, language=language)]
    hourly = total <= 2 * 86400
    for at, anchor in ((start, "end" if rtl else "start"), (end, "start" if rtl else "end")):
        out.append(
            f'<text class="tick" x="{svg.coord(x_of(at))}" y="{height - bottom + 18}" text-anchor="{anchor}">'
            f"{escape(time_label_minutes(at, language) if hourly else jalali.format_datetime(at, language))}"
            "</text>"
        )
    for s in series:
        if not s.points:
            continue
        d = [f"M{svg.coord(x_of(s.points[0][0]))} {svg.coord(y_of(s.points[0][1]))}"]
        for at, value in s.points[1:]:
            d.append(f"H{svg.coord(x_of(at))}V{svg.coord(y_of(value))}")
        out.append(
            f'<path class="step {escape(s.css)}" d="{"".join(d)}"><title>{escape(s.label)}</title></path>'
        )
        last_at, last_value = s.points[-1]
        out.append(
            f'<circle class="dot {escape(s.css)}" cx="{svg.coord(x_of(last_at))}" '
            f'cy="{svg.coord(y_of(last_value))}" r="3.5">'
            f"<title>{escape(s.label)}: {format_number(last_value, language)}</title></circle>"
        )
    if marker:
        x = svg.coord(x_of(marker[0]))
        out.append(f'<line class="marker" x1="{x}" x2="{x}" y1="{top - 6}" y2="{height - bottom}"/>')
        out.append(
            f'<text class="marker-label" x="{x}" y="{top - 10}" text-anchor="middle" '
            f'direction="{"rtl" if rtl else "ltr"}">{escape(marker[1])}</text>'
        )
    return svg.svg_close(out)  # every text is escaped or generated here


def time_label_minutes(at: datetime, language: str) -> str:
    """ "۵ آذر ۱۴:۳۰": day and Tehran time, for axes shorter than two days."""
    j = jalali.to_jalali(at)
    text = f"{int(j.day)} {jalali.month_name(int(j.month), language)} {int(j.hour):02d}:{int(j.minute):02d}"
    return localize_digits(text, language)


# --- The dashboard's charts, from the selector's figures ---------------------------------------------


@dataclass(frozen=True)
class DashboardCharts:
    mentions: SafeString
    sentiment: SafeString
    channels: SafeString
    provinces: SafeString
    voice: SafeString


def province_name(unit: OrgUnit, language: str) -> str:
    return unit.name_en if language == "en" else unit.name_fa


def dashboard_charts(d: Dashboard, *, language: str) -> DashboardCharts:
    sentiment_names = dict(Sentiment.choices)
    total_sentiment = sum(d.sentiment.values())
    mention_columns = [
        Column(
            time_label(b.start, language, hourly=d.hourly),
            b.count,
            _("%(time)s: %(n)s mentions")
            % {
                "time": jalali.format_datetime(b.start, language)
                if d.hourly
                else jalali.format_date(b.start, language),
                "n": format_number(b.count, language),
            },
        )
        for b in d.series
    ]
    return DashboardCharts(
        mentions=columns(
            mention_columns,
            title=_("Mentions per hour") if d.hourly else _("Mentions per day"),
            desc=_(
                "Posts matching a watch query, oldest first, in Tehran time. The table below has the figures."
            ),
            language=language,
        ),
        sentiment=bars(
            [
                Bar(
                    str(sentiment_names[label]),
                    n,
                    f"{format_number(n, language)} ({percent(n / (total_sentiment or 1), language)})",
                    css=label,
                )
                for label, n in d.sentiment.items()
            ],
            title=_("Sentiment of the mentions"),
            desc=_("Number and share of mentions by sentiment."),
            language=language,
            chart_id="sentiment",
        ),
        channels=bars(
            [Bar(c.name, c.mentions, format_number(c.mentions, language)) for c in d.channels],
            title=_("Channels with the most mentions"),
            desc=_("Mentions per channel, most first."),
            language=language,
            chart_id="channels",
        ),
        provinces=bars(
            [
                Bar(province_name(p.province, language), p.mentions, format_number(p.mentions, language))
                for p in d.provinces
            ],
            title=_("Mentions by province"),
            desc=_("Mentions from each province's sources or matching its province queries, most first."),
            language=language,
            chart_id="provinces",
        ),
        voice=bars(
            [
                Bar(v.name, v.mentions, percent(v.share, language), css="ours" if v.ours else "")
                for v in d.voice
            ],
            title=_("Share of voice"),
            desc=_("Mentions of the organization against other organizations, as a share of all of them."),
            language=language,
            chart_id="voice",
        ),
    )
