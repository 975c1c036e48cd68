"""alerts.rules: which (rule, story) pairs fire, with what reason and figures (pure)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import translation

from tabyin.monitor.alerts.rules import Firing, RuleSpec, StoryFacts, evaluate
from tabyin.monitor.pipeline.spread import Velocity

CALM = Velocity(last_hour=0, baseline_per_hour=0.0, ratio=None)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Reasons are asserted in English; messages still use the site language (Persian)."""
    with translation.override("en"):
        yield


def facts(**changes: object) -> StoryFacts:
    values: dict[str, object] = {
        "story_id": 7,
        "sentiment": "negative",
        "query_ids": frozenset({3}),
        "channel_count": 4,
        "velocity": CALM,
        "age": timedelta(minutes=5),
        "span": timedelta(hours=6, minutes=10),
        "relevant": True,
    }
    values.update(changes)
    return StoryFacts(**values)  # type: ignore[arg-type]


def test_negative_story_fires_for_its_query_only_while_new() -> None:
    rule = RuleSpec(rule_id=1, kind="negative_story", query_id=3)
    assert evaluate([facts()], [rule]) == [
        Firing(
            rule_id=1,
            story_id=7,
            reason=(
                "New negative story about a watched subject: 4 channels in 6 hours; "
                "threshold: negative and under 24 hours old"
            ),
            figures={"sentiment": "negative", "query_id": 3, "channels": 4, "minutes": 370},
        )
    ]
    assert evaluate([facts(sentiment="neutral")], [rule]) == []
    assert evaluate([facts(query_ids=frozenset({4}))], [rule]) == []
    assert evaluate([facts(age=timedelta(hours=25))], [rule]) == []
    assert evaluate([facts()], [RuleSpec(rule_id=1, kind="negative_story", query_id=None)]) == []


def test_reach_fires_at_threshold_on_watched_stories() -> None:
    rule = RuleSpec(rule_id=2, kind="reach", threshold=4)
    [firing] = evaluate([facts(sentiment="positive")], [rule])
    assert firing.reason == "4 channels in 6 hours; threshold 4 channels"
    assert firing.figures == {"channels": 4, "threshold": 4, "minutes": 370}
    assert evaluate([facts(channel_count=3)], [rule]) == []
    assert evaluate([facts(query_ids=frozenset(), relevant=False)], [rule]) == []  # unwatched chatter
    assert evaluate([facts()], [RuleSpec(rule_id=2, kind="reach", threshold=4, query_id=9)]) == []


def test_velocity_needs_ratio_and_minimum() -> None:
    rule = RuleSpec(rule_id=3, kind="velocity", threshold=5, min_channels=3)
    fast = Velocity(last_hour=4, baseline_per_hour=0.5, ratio=8.0)
    [firing] = evaluate([facts(velocity=fast)], [rule])
    assert firing.reason == (
        "4 new channels in the last hour, 8.0 times the hourly mean of the 12 hours before (0.50); "
        "threshold 5 times and 3 new channels"
    )
    assert firing.figures == {
        "last_hour": 4,
        "baseline_per_hour": 0.5,
        "ratio": 8.0,
        "threshold": 5,
        "min_channels": 3,
        "channels": 4,
        "minutes": 370,
    }
    slow = Velocity(last_hour=4, baseline_per_hour=1.0, ratio=4.0)
    assert evaluate([facts(velocity=slow)], [rule]) == []
    few = Velocity(last_hour=2, baseline_per_hour=0.1, ratio=20.0)
    assert evaluate([facts(velocity=few)], [rule]) == []


def test_velocity_from_nothing_uses_the_minimum_alone() -> None:
    rule = RuleSpec(rule_id=3, kind="velocity", threshold=5, min_channels=3)
    burst = Velocity(last_hour=3, baseline_per_hour=0.0, ratio=None)
    [firing] = evaluate([facts(velocity=burst)], [rule])
    assert firing.reason == (
        "3 new channels in the last hour, none in the 12 hours before; threshold 3 new channels in an hour"
    )
    assert firing.figures["ratio"] is None
    one = Velocity(last_hour=1, baseline_per_hour=0.0, ratio=None)
    assert evaluate([facts(velocity=one)], [RuleSpec(rule_id=3, kind="velocity", min_channels=1)]) == [
        Firing(
            rule_id=3,
            story_id=7,
            reason=(
                "1 new channels in the last hour, none in the 12 hours before; "
                "threshold 1 new channels in an hour"
            ),
            figures={
                "last_hour": 1,
                "baseline_per_hour": 0.0,
                "ratio": None,
                "threshold": 10,
                "min_channels": 1,
                "channels": 4,
                "minutes": 370,
            },
        )
    ]


def test_several_rules_and_stories_in_order() -> None:
    rules = [
        RuleSpec(rule_id=1, kind="negative_story", query_id=3),
        RuleSpec(rule_id=2, kind="reach", threshold=2),
    ]
    found = evaluate([facts(story_id=1), facts(story_id=2, sentiment="neutral")], rules)
    assert [(f.rule_id, f.story_id) for f in found] == [(1, 1), (2, 1), (2, 2)]


def test_reasons_are_rendered_from_the_stored_figures_in_the_active_language() -> None:
    from tabyin.monitor.alerts.rules import describe

    velocity = {
        "last_hour": 6,
        "baseline_per_hour": 0.25,
        "ratio": 24.0,
        "threshold": 10,
        "min_channels": 5,
        "channels": 9,
        "minutes": 45,
    }
    assert describe("velocity", velocity) == (
        "6 new channels in the last hour, 24.0 times the hourly mean of the 12 hours before (0.25); "
        "threshold 10 times and 5 new channels"
    )
    assert describe("reach", {"channels": 36, "threshold": 20, "minutes": 361}) == (
        "36 channels in 6 hours; threshold 20 channels"
    )
    with translation.override("fa"):
        # The issue's own example: what crossed which threshold, in Persian.
        assert describe("reach", {"channels": 36, "threshold": 20, "minutes": 361}) == (
            "36 کانال در 6 ساعت؛ آستانه 20 کانال"
        )
        assert describe("reach", {"channels": 12, "threshold": 10, "minutes": 45}) == (
            "12 کانال در 45 دقیقه؛ آستانه 10 کانال"
        )
    # Figures without what the sentence needs (an alert stored before they existed): no text.
    assert describe("reach", {"channels": 12, "threshold": 10}) == ""
    assert describe("reach", {"channels": 12}) == ""
    assert describe("velocity", {"ratio": "fast"}) == ""
    assert describe("unknown", velocity) == ""
