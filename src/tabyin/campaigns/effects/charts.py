"""The observed average of the campaign provinces against what the method says it would have been
without the campaign: one server-side SVG drawn with core's chart kit (RTL, Persian digits, title
and description for screen readers), like the portal's line charts.

This is the one module of the package that reaches Django, through ``tabyin.core.display`` (the
chart kit marks its output safe for templates); the estimators never import it.
"""

from __future__ import annotations

from html import escape
from typing import Final

from tabyin.campaigns.effects.report import EffectReport, MethodName
from tabyin.campaigns.effects.sentences import METHOD_NAMES_FA
from tabyin.core import jalali
from tabyin.core.display import numbers, svg

__all__ = ["observed_vs_counterfactual_svg"]

OBSERVED: Final = "#1f5f8b"
COUNTERFACTUAL: Final = "#a34a1f"
INK: Final = "#222222"
WIDTH, HEIGHT = 480, 290
TOP, BOTTOM, FAR_SIDE = 30, 70, 40  # top: room for the launch label above the lines


def _texts(language: str) -> dict[str, str]:
    if numbers.is_persian(language):
        return {"observed": "مشاهده‌شده", "counterfactual": "برآورد بی‌کارزار", "launch": "شروع کارزار"}
    return {"observed": "Observed", "counterfactual": "Estimated without the campaign", "launch": "Launch"}


def observed_vs_counterfactual_svg(
    report: EffectReport, method: MethodName, *, language: str = "fa", chart_id: str = ""
) -> str:
    """An empty string when the method gave no estimate (the page says why in words)."""
    result = report.get(method)
    fit = result.fit
    if fit is None or not fit.months:
        return ""
    rtl = numbers.is_persian(language)
    words = _texts(language)
    chart_id = chart_id or f"effect-{method}"
    name = METHOD_NAMES_FA[method] if rtl else method
    first, last = jalali.format_month(fit.months[0], language), jalali.format_month(fit.months[-1], language)
    title = f"{name}: {words['observed']} / {words['counterfactual']}"
    desc = f"{first} – {last}. " + (
        result.sentence_fa if rtl else f"Effect {fit.estimate:.1f} ({fit.ci_low:.1f} to {fit.ci_high:.1f})."
    )
    values = list(fit.observed) + list(fit.counterfactual)
    ticks = svg.nice_ticks(min(values), max(values))
    labels = svg.tick_labels(ticks, language, svg.tick_places(ticks[1] - ticks[0], 0))
    axis_side = 16 + round(8.5 * max(len(t) for t in labels))
    x0, x1 = (FAR_SIDE, WIDTH - axis_side) if rtl else (axis_side, WIDTH - FAR_SIDE)
    x_of = svg.reading_scale(0, len(fit.months) - 1, left=x0, right=x1, rtl=rtl)
    y_of = svg.Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    label_x = WIDTH - axis_side + 8 if rtl else axis_side - 8
    out = [
        svg.svg_open(
            "chart effect-chart", width=WIDTH, height=HEIGHT, chart_id=chart_id, title=title, desc=desc
        ),
        svg.y_grid(ticks, labels, y=y_of, x0=x0, x1=x1, label_x=label_x, rtl=rtl),
    ]
    every = max(1, len(fit.months) // 4)
    for k in range(len(fit.months) - 1, -1, -every):  # the last month always labelled
        out.append(
            f'<text class="tick" x="{svg.coord(x_of(k))}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle">'
            f"{escape(jalali.format_month(fit.months[k], language))}</text>"
        )
    earliest = min(report.launches.values())
    launch = fit.months.index(earliest) if earliest in fit.months else len(fit.months) - 1
    lx = svg.coord(x_of(launch))
    out.append(
        f'<line class="launch" x1="{lx}" x2="{lx}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="{INK}" '
        f'stroke-dasharray="2 3"/><text class="tick" x="{lx}" y="{TOP - 10}" '
        f'text-anchor="middle">{escape(words["launch"])}</text>'
    )
    for series, colour, dash in (
        (fit.counterfactual, COUNTERFACTUAL, ' stroke-dasharray="6 4"'),
        (fit.observed, OBSERVED, ""),
    ):
        points = " ".join(f"{svg.coord(x_of(k))},{svg.coord(y_of(v))}" for k, v in enumerate(series))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
    legend = [
        svg.LegendItem(words["observed"], OBSERVED),
        svg.LegendItem(words["counterfactual"], COUNTERFACTUAL, dashed=True),
    ]
    out.append(svg.line_legend(legend, y=HEIGHT - 12, width=WIDTH, rtl=rtl, ink=INK))
    return svg.svg_close(out)  # every text above is escaped or generated here
