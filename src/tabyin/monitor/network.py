"""The network of channels that republish one another, as edges, a deterministic layout and SVG.

Two kinds of evidence make an edge A → B ("B republishes A"):

* a **formal forward**: one of B's posts is a forward of one of A's posts;
* **timing**: in at least ``MIN_REPEATS`` different stories, B's first post came within
  ``WINDOW`` after A's first post. Once is coincidence; repeatedly is a pattern (a network of
  channels fed by the same desk, or one that copies another without forwarding).

``edges``, ``layout`` and ``svg`` are pure: ``story_network`` passes them the plain tuples that
``selectors_story.network_evidence`` read. The layout puts channels on a circle in the order they
first carried the story (the origin at the top), so the same data always gives the same picture
and a reader can follow the spread clockwise; an edge is a line with an arrowhead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Final

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tabyin.monitor.models import Source
from tabyin.monitor.selectors_story import HOSTILE_MIN, NetworkEvidence

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


ARROW: Final = (
    '<defs><marker id="net-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L10 5L0 10z"/></marker></defs>'
)
WIDTH: Final = 480
HEIGHT: Final = 380


def layout(order: Sequence[int], labels: dict[int, str], hostile: set[int]) -> list[Node]:
    """Channels on a circle in first-seen order, the first at the top, then clockwise."""
    shown = list(order)[:MAX_NODES]
    cx, cy, radius = WIDTH / 2, HEIGHT / 2, HEIGHT / 2 - 50
    nodes = []
    for i, channel in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(shown))
        nodes.append(
            Node(
                channel,
                labels.get(channel, str(channel)),
                round(cx + radius * math.cos(angle), 1),
                round(cy + radius * math.sin(angle), 1),
                channel in hostile,
            )
        )
    return nodes


def svg(nodes: Sequence[Node], links: Sequence[Edge], *, title: str, desc: str) -> SafeString:
    """The layout drawn: lines with arrowheads (dashed when timing is the only evidence), hostile
    amplifiers drawn as a ringed node; every node and line has a ``<title>``."""
    at = {n.id: n for n in nodes}
    out = [
        f'<svg class="mon-chart network" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="net-title net-desc" direction="ltr">'
        f'<title id="net-title">{escape(title)}</title><desc id="net-desc">{escape(desc)}</desc>' + ARROW
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
    for n in nodes:
        css = "node hostile" if n.hostile else "node"
        anchor = "middle" if abs(n.x - WIDTH / 2) < 20 else ("start" if n.x > WIDTH / 2 else "end")
        dx = 0 if anchor == "middle" else (10 if anchor == "start" else -10)
        dy = -12 if n.y < HEIGHT / 2 - 20 else (20 if n.y > HEIGHT / 2 + 20 else 4)
        label = n.label if len(n.label) <= 14 else n.label[:13] + "…"
        out.append(
            f'<g class="{css}"><circle cx="{n.x}" cy="{n.y}" r="7"><title>{escape(n.label)}</title></circle>'
            f'<text x="{n.x + dx:.1f}" y="{n.y + dy:.1f}" text-anchor="{anchor}">{escape(label)}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped or generated here


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
