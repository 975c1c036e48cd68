"""The network of channels that republish one another: edges from forwards and repeated timing,
a deterministic layout, hostile amplifiers, and the evidence read from the database."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from tabyin.monitor.dashboard import network, selectors_story
from tabyin.monitor.enums import Sentiment
from tests.monitor import builders
from tests.monitor.builders import NOW

M = timedelta(minutes=1)


def test_timing_edges_need_two_stories_within_thirty_minutes() -> None:
    rows = [
        (1, 10, NOW), (1, 20, NOW + 10 * M), (1, 30, NOW + 45 * M),
        (2, 10, NOW), (2, 20, NOW + 30 * M), (2, 30, NOW + 50 * M),
        (3, 30, NOW), (3, 20, NOW + 5 * M),
    ]  # fmt: skip
    edges = network.edges(rows, [], nodes=[10, 20, 30])
    # 10→20 twice (10 and 30 minutes later); 20→30 twice (35 and 20 min: only once within 30);
    # 30→20 once; 10→30 never within 30 minutes.
    assert edges == [network.Edge(10, 20, 0, 2)]


def test_forward_edges_count_each_forward_and_ignore_outside_channels() -> None:
    edges = network.edges([], [(10, 20), (10, 20), (20, 30), (99, 20), (20, 20)], nodes=[10, 20, 30])
    assert edges == [network.Edge(10, 20, 2, 0), network.Edge(20, 30, 1, 0)]
    assert edges[0].kinds == ("forward",)


def test_layout_is_deterministic_origin_on_top() -> None:
    nodes = network.layout([5, 7, 9, 11], {5: "a", 7: "b"}, {9})
    assert [(n.id, n.label, n.x, n.y, n.hostile) for n in nodes] == [
        (5, "a", 311.0, 40.0, False),
        (7, "b", 411.0, 140.0, False),
        (9, "9", 311.0, 240.0, True),
        (11, "11", 211.0, 140.0, False),
    ]
    svg = network.svg(nodes, [network.Edge(5, 7, 1, 0), network.Edge(7, 9, 0, 2)], title="T", desc="D")
    assert svg.count('<line class="link"') == 1 and svg.count('<line class="link timing"') == 1
    assert svg.count('class="node hostile"') == 1
    assert '<title id="net-title">T</title>' in svg and "style=" not in svg


def test_labels_sit_in_columns_never_closer_than_a_line() -> None:
    """Forty channels with long names: each side's labels are stacked a line apart, inside the
    drawing, in the column beside the circle (the browser test measures the drawn boxes)."""
    names = {i: f"کانال خبری شمارهٔ {i} با نامی بسیار بلند" for i in range(40)}
    nodes = network.layout(list(range(40)), names, set())
    labels = network.place_labels(nodes)
    height = network.height_for(40)
    for side in ("left", "right"):
        ys = sorted(label.y for label in labels if label.side == side)
        assert len(ys) == 20
        assert all(b - a >= network.LINE - 1e-6 for a, b in itertools.pairwise(ys))
        assert ys[0] >= network.MARGIN + network.FONT and ys[-1] <= height - network.MARGIN
    assert {len(label.text) for label in labels} == {network.LABEL_CHARS}
    assert all(label.text.endswith("…") and label.rtl for label in labels)
    svg = network.svg(nodes, [], title="T", desc="D")
    # Full names in <title>; the shown text is cut, right-to-left, anchored at the column's edge.
    assert f"<title>{names[3]}</title>" in svg
    assert 'direction="rtl"' in svg and 'text-anchor="end"' in svg and 'text-anchor="start"' in svg


def test_truncation_and_direction() -> None:
    assert network.truncate("کانال کوتاه") == "کانال کوتاه"
    assert network.truncate("abcdefghijklmnopqrstuvwxyz") == "abcdefghijklmnopq…"
    assert network.is_rtl("کانال ABC") and not network.is_rtl("ABC کانال") and not network.is_rtl("123")


@pytest.mark.django_db
def test_evidence_from_the_database(org: None) -> None:
    x, y, z = builders.source("x", name="X"), builders.source("y", name="Y"), builders.source("z", name="Z")
    # Y follows X within 30 minutes in two earlier stories; Z formally forwards X once.
    for day in (1, 2):
        old = builders.story(f"old {day}", at=NOW - timedelta(days=day), sentiment=Sentiment.NEGATIVE)
        builders.post(x, old, NOW - timedelta(days=day))
        builders.post(y, old, NOW - timedelta(days=day) + 12 * M)
        builders.story_refresh(old)
    negative = builders.story("third negative", at=NOW - timedelta(days=3), sentiment=Sentiment.NEGATIVE)
    builders.post(z, negative, NOW - timedelta(days=3))
    builders.post(y, negative, NOW - timedelta(days=3) + 60 * M)
    builders.story_refresh(negative)
    # Forty days ago: outside the 30-day history, so it neither adds timing nor negatives.
    ancient = builders.story("ancient", at=NOW - timedelta(days=40), sentiment=Sentiment.NEGATIVE)
    builders.post(x, ancient, NOW - timedelta(days=40))
    builders.post(z, ancient, NOW - timedelta(days=40) + M)
    builders.story_refresh(ancient)
    st = builders.story("now", at=NOW - 2 * 60 * M)
    builders.post(x, st, NOW - 120 * M, post_id="77")
    builders.post(y, st, NOW - 100 * M)
    builders.post(z, st, NOW - 90 * M, forwarded_from="telegram:x/77")
    builders.story_refresh(st)

    spread = selectors_story.spread_of(st, now=NOW)
    evidence = selectors_story.network_evidence(st, list(spread.first_seen), now=NOW)
    assert evidence.forwards == [(x.pk, z.pk)]
    # Negative stories each channel reposted (not as their origin) in 30 days: Y twice plus the third.
    assert evidence.negative_reposts == {y.pk: 3}
    net = network.story_network(evidence, spread.first_seen)
    assert [(r.source.handle, r.target.handle, r.edge.forwards, r.edge.timed) for r in net.rows] == [
        ("x", "y", 0, 3),
        ("x", "z", 1, 0),
    ]
    assert net.hostile == {y.pk: 3}
    assert [(r.channel.handle, r.reached, r.hostile) for r in net.reach] == [
        ("x", 1, False),
        ("y", 2, True),
        ("z", 3, False),
    ]
