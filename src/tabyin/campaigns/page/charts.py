"""The outcome chart of the campaign page: the campaign provinces' mean against the held-out
provinces' mean, month by month, with the first launch marked. Server-side SVG (core's kit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tabyin.core.display import svg
from tabyin.core.jalali import format_month

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 60, 16, 64
CAMPAIGN, HELD_OUT, INK = "#0b4f8a", "#8a4b0b", "#222222"


def outcome_chart(
    months: Sequence[date],
    treated: Sequence[float | None],
    held_out: Sequence[float | None],
    *,
    launch: date | None,
    language: str,
) -> SafeString:
    return two_lines(
        months,
        treated,
        held_out,
        labels=(_("Campaign provinces (mean)"), _("Held-out provinces (mean)")),
        launch=launch,
        language=language,
        chart_id="outcome-chart",
        title=_("Outcome by month"),
        desc=_(
            "Mean of the campaign provinces and of the held-out provinces; the table below gives the figures."
        ),
    )


def effect_chart(
    months: Sequence[date],
    observed: Sequence[float],
    counterfactual: Sequence[float],
    *,
    launch: date | None,
    language: str,
) -> SafeString:
    return two_lines(
        months,
        observed,
        counterfactual,
        labels=(_("Observed (campaign provinces)"), _("Without the campaign (estimated)")),
        launch=launch,
        language=language,
        chart_id="effect-chart",
        title=_("Observed and estimated without the campaign"),
        desc=_("The gap between the two lines after the launch is the estimated effect."),
    )


def two_lines(
    months: Sequence[date],
    first: Sequence[float | None],
    second: Sequence[float | None],
    *,
    labels: tuple[str, str],
    launch: date | None,
    language: str,
    chart_id: str,
    title: str,
    desc: str,
) -> SafeString:
    rtl = language == "fa"
    values = [v for v in (*first, *second) if v is not None]
    ticks = svg.nice_ticks(min(values, default=0.0), max(values, default=1.0))
    y = svg.Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    x = svg.reading_scale(0, max(len(months) - 1, 1), left=LEFT, right=WIDTH - RIGHT, rtl=rtl)
    parts = [
        svg.svg_open(
            "campaign-chart",
            width=WIDTH,
            height=HEIGHT,
            chart_id=chart_id,
            title=title,
            desc=desc,
        ),
        svg.y_grid(
            ticks,
            svg.tick_labels(ticks, language),
            y=y,
            x0=LEFT,
            x1=WIDTH - RIGHT,
            label_x=(WIDTH - RIGHT + 4) if rtl else LEFT - 4,
            rtl=rtl,
        ),
    ]
    if launch is not None and launch in months:
        at = svg.coord(x(months.index(launch)))
        parts.append(
            f'<line class="launch" x1="{at}" x2="{at}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
            f'stroke="{INK}" stroke-dasharray="2 3"/>'
        )
    for series, colour, dashed in ((first, CAMPAIGN, False), (second, HELD_OUT, True)):
        points = " ".join(
            f"{svg.coord(x(i))},{svg.coord(y(v))}" for i, v in enumerate(series) if v is not None
        )
        if points:
            dash = ' stroke-dasharray="6 4"' if dashed else ""
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{points}"/>'
            )
    for i in (0, len(months) - 1) if months else ():
        parts.append(
            f'<text class="tick" x="{svg.coord(x(i))}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(format_month(months[i], language))}</text>"
        )
    parts.append(
        svg.line_legend(
            [
                svg.LegendItem(labels[0], CAMPAIGN),
                svg.LegendItem(labels[1], HELD_OUT, dashed=True),
            ],
            y=HEIGHT - 12,
            width=WIDTH,
            rtl=rtl,
            ink=INK,
        )
    )
    return svg.svg_close(parts)
