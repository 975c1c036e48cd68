"""The network of channels that republish one another, as edges, a deterministic layout and SVG.

Two kinds of evidence make an edge A → B ("B republishes A"):

* a **formal forward**: one of B's posts is a forward of one of A's posts;
* **timing**: in at least ``MIN_REPEATS`` different stories, B's first post came within
  ``WINDOW`` after A's first post. Once is coincidence; repeatedly is a pattern (a network of
  channels fed by the same desk, or one that copies another without forwarding).

``edges``, ``layout`` and ``svg`` are pure: ``story_network`` passes them the plain tuples that
``dashboard.selectors_story.network_evidence`` read. The layout puts channels on a circle in the order they
first carried the story (the origin at the top), so the same data always gives the same picture
and a reader can follow the spread clockwise; an edge is a line with an arrowhead.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Final

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tabyin.core.display import svg as display_svg
from tabyin.monitor.dashboard.selectors_story import HOSTILE_MIN, NetworkEvidence
from tabyin.monitor.models import Source

WINDOW: Final = timedelta(minutes=30)
MIN_REPEATS: Final = 2
# More nodes than this make an unreadable circle; the table still lists every edge.
MAX_NODES: Final = 40


@dataclass(frozen=True)
class Edge:
    source: int  # the channel republished (A)
    target: int  # the channel that republished it (B)
    forwards: int  # formal forwards B made of A's posts
    timed: int  # stories in which B followed A within the window

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k, n in (("forward", self.forwards), ("timing", self.timed)) if n)


def edges(
    first_posts: Iterable[tuple[int, int, datetime]],
    forwards: Iterable[tuple[int, int]],
    *,
    nodes: Iterable[int],
    window: timedelta = WINDOW,
    min_repeats: int = MIN_REPEATS,
) -> list[Edge]:
    """Edges among ``nodes`` from (story id, channel id, first post time) rows and (forwarded
    channel id, forwarding channel id) pairs. Sorted by source, then target."""
    wanted = set(nodes)
    by_story: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for story_id, channel, at in first_posts:
        if channel in wanted:
            by_story[story_id].append((at, channel))
    timed: dict[tuple[int, int], int] = defaultdict(int)
    for rows in by_story.values():
        rows.sort()
        for i, (at_a, a) in enumerate(rows):
            for at_b, b in rows[i + 1 :]:
                if at_b - at_a > window:
                    break
                if at_b > at_a and a != b:
                    timed[(a, b)] += 1
    forwarded: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in forwards:
        if a in wanted and b in wanted and a != b:
            forwarded[(a, b)] += 1
    pairs = set(forwarded) | {pair for pair, n in timed.items() if n >= min_repeats}
    return [
        Edge(a, b, forwarded.get((a, b), 0), timed[(a, b)] if timed.get((a, b), 0) >= min_repeats else 0)
        for a, b in sorted(pairs)
    ]


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    x: float
    y: float
    hostile: bool  # repeatedly amplifies negative stories


@dataclass(frozen=True)
class Label:
    """Where a node's name is written: in a column beside the circle, never on the drawing."""

    node: int
    text: str  # truncated to ``LABEL_CHARS`` with an ellipsis at its logical end
    full: str
    x: float
    y: float  # the baseline
    side: str  # "left" or "right" of the circle
    rtl: bool


ARROW: Final = (
    '<defs><marker id="net-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L10 5L0 10z"/></marker></defs>'
)
# The drawing: a label column, the circle of channels, another label column. Names never sit on
# the circle: each side's labels are stacked at least ``LINE`` apart in their column, which is
# wide enough for ``LABEL_CHARS`` characters at ``FONT`` px (at most 0.62 em each, Persian and Latin
# alike in Vazirmatn), so no two labels and no label and node can meet, whatever the names.
FONT: Final = 15
LINE: Final = 25
LABEL_CHARS: Final = 18
COLUMN: Final = 175
GAP: Final = 26
RADIUS: Final = 100
MARGIN: Final = 10
WIDTH: Final = 2 * (MARGIN + COLUMN + GAP + RADIUS)
MIN_HEIGHT: Final = 2 * RADIUS + 80
_RTL_LETTERS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional letter is right-to-left (Persian, Arabic, Hebrew)."""
    rtl, ltr = _RTL_LETTERS.search(text), _LTR_LETTERS.search(text)
    if rtl is None:
        return False
    return ltr is None or rtl.start() < ltr.start()


def truncate(text: str, limit: int = LABEL_CHARS) -> str:
    """At most ``limit`` characters, an ellipsis at the logical end (drawn right-to-left, that is
    on the left of a Persian name: the reader sees where the name was cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def height_for(count: int) -> int:
    per_side = (count + 1) // 2
    return max(MIN_HEIGHT, per_side * LINE + 2 * MARGIN + LINE)


def layout(order: Sequence[int], labels: dict[int, str], hostile: set[int]) -> list[Node]:
    """Channels on a circle in first-seen order, the first at the top, then clockwise."""
    shown = list(order)[:MAX_NODES]
    height = height_for(len(shown))
    cx, cy = WIDTH / 2, height / 2
    nodes = []
    for i, channel in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(shown))
        nodes.append(
            Node(
                channel,
                labels.get(channel, str(channel)),
                round(cx + RADIUS * math.cos(angle), 1),
                round(cy + RADIUS * math.sin(angle), 1),
                channel in hostile,
            )
        )
    return nodes


def _stack(wanted: list[float], top: float, bottom: float) -> list[float]:
    """Baselines as near the wanted ones as possible, in order, each ``LINE`` below the one before
    and all within [top, bottom] (the drawing is tall enough for every label of a side)."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, top, placed[-1] + LINE if placed else top))
    for i in range(len(placed) - 1, -1, -1):
        limit = bottom if i == len(placed) - 1 else placed[i + 1] - LINE
        placed[i] = min(placed[i], limit)
    return placed


def place_labels(nodes: Sequence[Node]) -> list[Label]:
    """Each node's name in the column on its side of the circle (the top node on the right, the
    bottom one on the left), stacked without overlap in the order of the nodes' heights."""
    height = height_for(len(nodes))
    cx = WIDTH / 2
    sides: dict[str, list[Node]] = {"right": [], "left": []}
    for i, n in enumerate(nodes):
        on_right = n.x > cx + 0.5 or (abs(n.x - cx) <= 0.5 and (i == 0 or n.y < height / 2))
        sides["right" if on_right else "left"].append(n)
    found: list[Label] = []
    for side, members in sides.items():
        members.sort(key=lambda n: (n.y, n.id))
        # A baseline sits about a third of the font below the node's centre, level with it.
        ys = _stack([n.y + FONT / 3 for n in members], MARGIN + FONT, height - MARGIN)
        x = WIDTH - MARGIN - COLUMN if side == "right" else MARGIN + COLUMN
        for n, y in zip(members, ys, strict=True):
            found.append(Label(n.id, truncate(n.label), n.label, x, round(y, 1), side, is_rtl(n.label)))
    return found


def _anchor(label: Label) -> str:
    """Right column: the text starts at the column's inner edge and runs outwards (to the right);
    left column: it ends at the inner edge. ``text-anchor`` follows the text's own direction."""
    if label.side == "right":
        return "end" if label.rtl else "start"
    return "start" if label.rtl else "end"


def svg(nodes: Sequence[Node], links: Sequence[Edge], *, title: str, desc: str) -> SafeString:
    """The layout drawn: lines with arrowheads (dashed when timing is the only evidence), hostile
    amplifiers drawn as a ringed node, each name in a label column joined to its node by a thin
    leader; every node, name and line has a ``<title>`` with the full names."""
    at = {n.id: n for n in nodes}
    height = height_for(len(nodes))
    out = [
        display_svg.svg_open(
            "mon-chart network", width=WIDTH, height=height, chart_id="net", title=title, desc=desc
        )
        + ARROW
    ]
    for e in links:
        a, b = at.get(e.source), at.get(e.target)
        if a is None or b is None:
            continue
        # Stop the line at the node's rim so the arrowhead stays visible.
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy) or 1.0
        ex, ey = b.x - dx / length * 9, b.y - dy / length * 9
        css = "link" if e.forwards else "link timing"
        out.append(
            f'<line class="{css}" x1="{a.x}" y1="{a.y}" x2="{ex:.1f}" y2="{ey:.1f}" '
            'marker-end="url(#net-arrow)">'
            f"<title>{escape(a.label)} → {escape(b.label)}</title></line>"
        )
    labels = {label.node: label for label in place_labels(nodes)}
    for n in nodes:
        label = labels[n.id]
        css = "node hostile" if n.hostile else "node"
        inner = label.x - 4 if label.side == "right" else label.x + 4
        direction = "rtl" if label.rtl else "ltr"
        name = escape(label.full)
        out.append(
            f'<g class="{css}" data-channel="{n.id}"><title>{name}</title>'
            f'<line class="leader" x1="{n.x}" y1="{n.y}" x2="{inner:.1f}" y2="{label.y - FONT / 3:.1f}"/>'
            f'<circle cx="{n.x}" cy="{n.y}" r="7"/>'
            f'<text class="label" x="{label.x}" y="{label.y}" text-anchor="{_anchor(label)}" '
            f'direction="{direction}" font-size="{FONT}">{escape(label.text)}</text></g>'
        )
    return display_svg.svg_close(out)  # every text in ``out`` is escaped or generated here


@dataclass(frozen=True)
class EdgeRow:
    edge: Edge
    source: Source
    target: Source


@dataclass(frozen=True)
class ReachRow:
    channel: Source
    first_at: datetime
    reached: int  # channels reached by then, this one included
    negative_reposts: int  # negative stories this channel reposted in the last 30 days
    hostile: bool


@dataclass(frozen=True)
class Network:
    svg: SafeString
    rows: list[EdgeRow]  # the table alternative, strongest first
    hostile: dict[int, int]  # channel id → negative stories reposted (only the badged channels)
    shown: int
    total: int
    reach: list[ReachRow]  # the story's channels in the order they carried it


def story_network(evidence: NetworkEvidence, first_seen: dict[int, datetime]) -> Network:
    """The story's channels, their edges and the hostile amplifiers among them, drawn."""
    order = sorted(first_seen, key=lambda c: (first_seen[c], c))
    labels = {pk: s.name or s.handle for pk, s in evidence.channels.items()}
    hostile = {c: n for c, n in evidence.negative_reposts.items() if n >= HOSTILE_MIN and c in first_seen}
    links = edges(evidence.first_posts, evidence.forwards, nodes=order)
    nodes = layout(order, labels, set(hostile))
    drawing = svg(
        nodes,
        links,
        title=_("Channels that republish one another"),
        desc=_(
            "Channels in the order they carried this story, clockwise from the top. An arrow from A to "
            "B means B republishes A: a solid line for formal forwards, a dashed line when B repeatedly "
            "posted the same stories within 30 minutes after A. Ringed channels repeatedly amplify "
            "negative stories. The same links are listed in the table below."
        ),
    )
    rows = [
        EdgeRow(e, evidence.channels[e.source], evidence.channels[e.target])
        for e in sorted(links, key=lambda e: (-(e.forwards + e.timed), e.source, e.target))
        if e.source in evidence.channels and e.target in evidence.channels
    ]
    reach = [
        ReachRow(evidence.channels[c], first_seen[c], i, evidence.negative_reposts.get(c, 0), c in hostile)
        for i, c in enumerate(order, start=1)
        if c in evidence.channels
    ]
    return Network(drawing, rows, hostile, min(len(order), MAX_NODES), len(order), reach)
