"""What the report page shows that is not a figure: a distortion side by side with the original
(each changed fact marked), a cluster's wrong claim in words, and the over-time chart (core's SVG
kit). Texts are core-normalised (ASCII digits), so digits are localised here for the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tabyin.core.display import numbers, svg
from tabyin.core.jalali import format_date
from tabyin.reception.messages.facts import Fact, prepare
from tabyin.reception.messages.fidelity import Change
from tabyin.reception.messages.selectors import Point

CONTEXT = 90  # characters kept each side of a marked fact in a long post
WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 52, 14, 64
PULL, FIDELITY, INK = "#0b4f8a", "#8a4b0b", "#222222"


def _digits(text: str, language: str) -> str:
    return numbers.localize_digits(text, language)


def marked(text: str, start: int, end: int, language: str, *, trim: bool = False) -> SafeString:
    """``text`` with ``[start, end)`` in a ``<mark>``; a long text trimmed around it."""
    clean = prepare(text)
    if end <= start:
        return mark_safe(escape(_digits(clean, language)))  # noqa: S308 - escaped
    before, inside, after = clean[:start], clean[start:end], clean[end:]
    if trim:  # cut at word boundaries, never inside a word
        before = ("… " + before[-CONTEXT:].split(" ", 1)[-1]) if len(before) > CONTEXT else before
        after = (after[:CONTEXT].rsplit(" ", 1)[0] + " …") if len(after) > CONTEXT else after
    parts = (
        escape(_digits(before, language)),
        escape(_digits(inside, language)),
        escape(_digits(after, language)),
    )
    return mark_safe(f"{parts[0]}<mark>{parts[1]}</mark>{parts[2]}")  # noqa: S308 - escaped


def original_marked(message_text: str, fact: Fact, language: str) -> SafeString:
    clean = prepare(message_text)
    at = clean.find(fact.text)
    return (
        marked(message_text, at, at + len(fact.text), language)
        if at >= 0
        else marked(message_text, 0, 0, language)
    )


@dataclass(frozen=True)
class SideBySide:
    original: SafeString
    post: SafeString
    claim: str


def claim(change: Change, language: str) -> str:
    """The wrong claim in words: «۲۰ درصد» became «۳۰ درصد»; a negation added or dropped."""
    original = _digits(change.original.text, language)
    if change.found is None:
        return _("the negation “%(was)s” was dropped") % {"was": original}
    if change.found is change.original or (
        change.original.kind == "negation" and change.found == change.original
    ):
        return _("a negation was added: “%(now)s”") % {"now": _digits(change.found.text, language)}
    return _("“%(was)s” became “%(now)s”") % {"was": original, "now": _digits(change.found.text, language)}


def side_by_side(message_text: str, post_text: str, change: Change, language: str) -> SideBySide:
    found = change.found
    post = (
        marked(post_text, found.start, found.end, language, trim=True)
        if found is not None
        else marked(post_text, 0, min(len(post_text), 2 * CONTEXT), language)
    )
    original = (
        original_marked(message_text, change.original, language)
        if change.original.kind != "negation" or found is None
        else marked(message_text, 0, 0, language)
    )
    return SideBySide(original, post, claim(change, language))


def chart(points: Sequence[Point], *, language: str, chart_id: str) -> SafeString:
    """Pull-through and fidelity, cumulative day by day since publication (0–100 %)."""
    rtl = language == "fa"
    ticks = [0.0, 25.0, 50.0, 75.0, 100.0]
    y = svg.Scale(0.0, 100.0, HEIGHT - BOTTOM, TOP)
    x = svg.reading_scale(0, max(len(points) - 1, 1), left=LEFT, right=WIDTH - RIGHT, rtl=rtl)
    parts = [
        svg.svg_open(
            "messages-chart",
            width=WIDTH,
            height=HEIGHT,
            chart_id=chart_id,
            title=_("Pull-through and fidelity since publication"),
            desc=_("Cumulative shares by day; the table below gives the figures."),
        ),
        svg.y_grid(
            ticks,
            [f"{label}{numbers.percent_sign(language)}" for label in svg.tick_labels(ticks, language)],
            y=y,
            x0=LEFT,
            x1=WIDTH - RIGHT,
            label_x=(WIDTH - RIGHT + 4) if rtl else LEFT - 4,
            rtl=rtl,
        ),
    ]
    for values, colour, dashed in (
        ([p.pull_through for p in points], PULL, False),
        ([p.fidelity for p in points], FIDELITY, True),
    ):
        line = " ".join(
            f"{svg.coord(x(i))},{svg.coord(y(100 * v))}" for i, v in enumerate(values) if v is not None
        )
        if line:
            dash = ' stroke-dasharray="6 4"' if dashed else ""
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{line}"/>'
            )
    # The first and last day, each laid out in the page's own direction (a Persian date in the
    # SVG's left-to-right layout came out with its day and year swapped) and anchored to grow
    # inwards, so the first never runs into the axis labels beside it.
    direction = "rtl" if rtl else "ltr"
    ends = [(0, "start")] if points else []
    if len(points) > 1:
        ends.append((len(points) - 1, "end"))
    for i, grow in ends:
        parts.append(
            f'<text class="tick" x="{svg.coord(x(i))}" y="{HEIGHT - BOTTOM + 26}" '
            f'direction="{direction}" text-anchor="{grow}">'
            f"{escape(format_date(points[i].day, language))}</text>"
        )
    parts.append(
        svg.line_legend(
            [svg.LegendItem(_("Pull-through"), PULL), svg.LegendItem(_("Fidelity"), FIDELITY, dashed=True)],
            y=HEIGHT - 10,
            width=WIDTH,
            rtl=rtl,
            ink=INK,
        )
    )
    return svg.svg_close(parts)
