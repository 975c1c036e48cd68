"""A radar chart of a province's main-indicator scores (0–100), drawn on the server as SVG.

Pure: plain numbers in, a string out — no database, no request, no JavaScript, no inline style
(the CSP forbids it; colours are presentation attributes, so the same string also works inside
a PDF). Accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` that says every score in
words; the page puts the same numbers in a table beside it.

Axes go the way the reader reads: clockwise from the top in English, counter-clockwise in
Persian. Drawn with core's display kit, like the portal's and the monitor's charts: the opener,
anchors and legend come from ``core.display.svg`` (text laid out with ``direction="ltr"`` and
physical anchors, so a right-to-left page does not flip what "start" means) and every number
from ``core.display.numbers`` (Persian digits and separators in Persian). A score that is missing
(the main indicator was excluded) is drawn at the centre and said as "no score".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Final

from django.utils.translation import gettext as _

from tabyin.core.display import svg
from tabyin.core.display.numbers import format_number, format_optional

SIZE: Final = 440  # square drawing area; the legend goes below it
CENTRE: Final = SIZE / 2
RADIUS: Final = 150.0
LABEL_RADIUS: Final = RADIUS + 20
LEGEND_HEIGHT: Final = 36
RINGS: Final = (25, 50, 75, 100)
CURRENT: Final = "#0b4f8a"  # the shell's brand blue (contrast 8:1 on white)
PREVIOUS: Final = "#8a4b00"  # dark amber, dashed: told apart by shape as well as colour
GRID: Final = "#c4cad3"
INK: Final = "#1a1a1a"
MUTED: Final = "#4a4f57"


@dataclass(frozen=True)
class Axis:
    code: str  # M01 … M16
    name: str
    score: Decimal | float | None
    previous: Decimal | float | None = None


def number(value: Decimal | float | None, language: str) -> str:
    """A score with two decimals, as published: ``72.50`` / ``۷۲٫۵۰``; ``—`` when missing.

    A float goes through its shortest text (``72.505`` stays ``72.505`` before rounding) so that
    the radar rounds a score as the published tables do."""
    return format_optional(None if value is None else Decimal(str(value)), language, 2)


def _point(i: int, n: int, r: float, rtl: bool) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n  # from the top, clockwise on screen (y grows down)
    x = math.cos(angle) * r
    return (CENTRE - x if rtl else CENTRE + x, CENTRE + math.sin(angle) * r)


def _scaled(value: Decimal | float | None) -> float:
    return 0.0 if value is None else min(100.0, max(0.0, float(value))) / 100 * RADIUS


def _points(values: Sequence[Decimal | float | None], rtl: bool) -> str:
    n = len(values)
    return " ".join(
        f"{svg.coord(x)},{svg.coord(y)}"
        for x, y in (_point(i, n, _scaled(v), rtl) for i, v in enumerate(values))
    )


def _ring(level: int, n: int, rtl: bool) -> str:
    r = RADIUS * level / 100
    return " ".join(f"{svg.coord(x)},{svg.coord(y)}" for x, y in (_point(i, n, r, rtl) for i in range(n)))


def _label(i: int, n: int, code: str, rtl: bool) -> str:
    x, y = _point(i, n, LABEL_RADIUS, rtl)
    anchor = "middle" if abs(x - CENTRE) < 8 else ("start" if x > CENTRE else "end")
    if y < CENTRE - RADIUS:  # above the top: sit on the line
        y -= 2
    elif y > CENTRE + RADIUS:  # below the bottom: hang under it
        y += 12
    else:
        y += 4
    return (
        f'<text x="{svg.coord(x)}" y="{svg.coord(y)}" text-anchor="{anchor}" '
        'font-size="13" font-weight="700" '
        f'fill="{INK}">{escape(code)}</text>'
    )


def describe(axes: Sequence[Axis], language: str, with_previous: bool) -> str:
    """The chart in words, for screen readers (and the tests)."""
    parts = []
    for a in axes:
        score = number(a.score, language) if a.score is not None else _("no score")
        if with_previous:
            before = number(a.previous, language) if a.previous is not None else _("no score")
            parts.append(
                _("%(code)s %(name)s: %(score)s (previous period %(previous)s)")
                % {"code": a.code, "name": a.name, "score": score, "previous": before}
            )
        else:
            parts.append(_("%(code)s %(name)s: %(score)s") % {"code": a.code, "name": a.name, "score": score})
    return "؛ ".join(parts) if language == "fa" else "; ".join(parts)


def _legend(language: str, with_previous: bool, current_label: str, previous_label: str) -> str:
    items = [svg.LegendItem(current_label, CURRENT)]
    if with_previous:
        items.append(svg.LegendItem(previous_label, PREVIOUS, dashed=True))
    return svg.line_legend(items, y=SIZE + 18, width=SIZE, rtl=language == "fa", ink=INK)


def radar_svg(
    axes: Sequence[Axis],
    *,
    language: str = "fa",
    title: str = "",
    id_prefix: str = "radar",
    current_label: str = "",
    previous_label: str = "",
) -> str:
    """The chart as an inline ``<svg>`` string (mark it safe where it is inserted: every text
    in it is escaped here). The previous period is drawn only when some axis has a value for it."""
    n = len(axes)
    if n < 3:
        return ""
    rtl = language == "fa"
    with_previous = any(a.previous is not None for a in axes)
    title = title or _("Main-indicator scores")
    desc = _("Scores out of 100. ") + describe(axes, language, with_previous)
    current_label = current_label or _("This period")
    previous_label = previous_label or _("Previous period")
    parts = [
        svg.svg_open(
            "radar",
            width=SIZE,
            height=SIZE + LEGEND_HEIGHT,
            chart_id=id_prefix,
            title=title,
            desc=desc,
            standalone=True,  # the same string goes into the PDF
            attrs='font-family="Vazirmatn, Tahoma, sans-serif"',
        ),
        '<g class="radar-grid" fill="none">',
    ]
    for level in RINGS:
        parts.append(f'<polygon points="{_ring(level, n, rtl)}" stroke="{GRID}" stroke-width="1"/>')
    for i in range(n):
        x, y = _point(i, n, RADIUS, rtl)
        parts.append(
            f'<line x1="{svg.coord(CENTRE)}" y1="{svg.coord(CENTRE)}" '
            f'x2="{svg.coord(x)}" y2="{svg.coord(y)}" '
            f'stroke="{GRID}"/>'
        )
    parts.append("</g>")
    for level in RINGS:  # ring values along the top axis, beside it on the reading-start side
        ring_x = CENTRE + 4 if rtl else CENTRE - 4
        parts.append(
            f'<text x="{svg.coord(ring_x)}" y="{svg.coord(CENTRE - RADIUS * level / 100 + 4)}" '
            f'text-anchor="{svg.anchor("end", rtl)}" font-size="10" fill="{MUTED}" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke">'
            f"{format_number(level, language)}</text>"
        )
    if with_previous:
        parts.append(
            f'<polygon class="radar-previous" points="{_points([a.previous for a in axes], rtl)}" '
            f'fill="none" stroke="{PREVIOUS}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    parts.append(
        f'<polygon class="radar-current" points="{_points([a.score for a in axes], rtl)}" '
        f'fill="{CURRENT}" fill-opacity="0.18" stroke="{CURRENT}" stroke-width="2.5"/>'
    )
    for i, a in enumerate(axes):
        x, y = _point(i, n, _scaled(a.score), rtl)
        tip = f"{a.code}: {number(a.score, language)}"
        parts.append(
            f'<circle cx="{svg.coord(x)}" cy="{svg.coord(y)}" r="3.5" fill="{CURRENT}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.extend(_label(i, n, a.code, rtl) for i, a in enumerate(axes))
    parts.append(_legend(language, with_previous, current_label, previous_label))
    return str(svg.svg_close(parts))
