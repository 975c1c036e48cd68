"""A radar chart of a province's main-indicator scores (0–100), drawn on the server as SVG.

Pure: plain numbers in, a string out — no database, no request, no JavaScript, no inline style
(the CSP forbids it; colours are presentation attributes, so the same string also works inside
a PDF). Accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` that says every score in
words; the page puts the same numbers in a table beside it.

Axes go the way the reader reads: clockwise from the top in English, counter-clockwise in
Persian. Text is laid out with ``direction="ltr"`` and physical anchors, as in the portal's
charts, so a right-to-left page does not flip what "start" means; numbers use Persian digits
when the language is Persian. A score that is missing (the main indicator was excluded) is drawn
at the centre and said as "no score".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Final

from django.utils.translation import gettext as _

_FA_DIGITS: Final = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")
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


def _digits(text: str, language: str) -> str:
    return text.translate(_FA_DIGITS) if language == "fa" else text


def number(value: Decimal | float | None, language: str) -> str:
    """A score with two decimals, as published: ``72.50`` / ``۷۲٫۵۰``; ``—`` when missing."""
    return "—" if value is None else _digits(format(Decimal(str(value)), ".2f"), language)


def _point(i: int, n: int, r: float, rtl: bool) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n  # from the top, clockwise on screen (y grows down)
    x = math.cos(angle) * r
    return (CENTRE - x if rtl else CENTRE + x, CENTRE + math.sin(angle) * r)


def _scaled(value: Decimal | float | None) -> float:
    return 0.0 if value is None else min(100.0, max(0.0, float(value))) / 100 * RADIUS


def _points(values: Sequence[Decimal | float | None], rtl: bool) -> str:
    n = len(values)
    return " ".join(
        f"{x:.1f},{y:.1f}" for x, y in (_point(i, n, _scaled(v), rtl) for i, v in enumerate(values))
    )


def _ring(level: int, n: int, rtl: bool) -> str:
    r = RADIUS * level / 100
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, n, r, rtl) for i in range(n)))


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
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="13" font-weight="700" '
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
    rtl = language == "fa"
    y = SIZE + 18
    items = [(current_label, CURRENT, "")]
    if with_previous:
        items.append((previous_label, PREVIOUS, ' stroke-dasharray="6 4"'))
    out = []
    for k, (text, colour, dash) in enumerate(items):
        # Logical layout: the first item at the reading start (right in Persian, left in English).
        start = SIZE - 16 - k * SIZE / 2 if rtl else 16 + k * SIZE / 2
        line_x2 = start - 24 if rtl else start + 24
        text_x = line_x2 - 6 if rtl else line_x2 + 6
        out.append(
            f'<line x1="{start:.1f}" y1="{y - 4}" x2="{line_x2:.1f}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
            f'<text x="{text_x:.1f}" y="{y}" text-anchor="{"end" if rtl else "start"}" font-size="13" '
            f'fill="{INK}">{escape(text)}</text>'
        )
    return "".join(out)


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
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" '
            f'viewBox="0 0 {SIZE} {SIZE + LEGEND_HEIGHT}" '
            f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" direction="ltr" '
            f'font-family="Vazirmatn, Tahoma, sans-serif">'
        ),
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        '<g class="radar-grid" fill="none">',
    ]
    for level in RINGS:
        parts.append(f'<polygon points="{_ring(level, n, rtl)}" stroke="{GRID}" stroke-width="1"/>')
    for i in range(n):
        x, y = _point(i, n, RADIUS, rtl)
        parts.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
    parts.append("</g>")
    for level in RINGS:  # ring values along the top axis, beside it on the reading-start side
        ring_x = CENTRE + 4 if rtl else CENTRE - 4
        parts.append(
            f'<text x="{ring_x:.1f}" y="{CENTRE - RADIUS * level / 100 + 4:.1f}" '
            f'text-anchor="{"start" if rtl else "end"}" font-size="10" fill="{MUTED}" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke">'
            f"{_digits(str(level), language)}</text>"
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
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{CURRENT}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.extend(_label(i, n, a.code, rtl) for i, a in enumerate(axes))
    parts.append(_legend(language, with_previous, current_label, previous_label))
    parts.append("</svg>")
    return "".join(parts)
