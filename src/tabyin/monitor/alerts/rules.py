"""Alert rules as pure functions: facts about a story + rule specs → firings.

The three kinds (``enums.AlertKind``):

* ``negative_story``: the story's sentiment is negative, it matches the rule's watch query, and it
  is new (first seen within ``NEW_STORY_WINDOW``). A story that turns negative, or starts to match,
  with a later post is still caught while it is young; an old story is not dug up again.
* ``velocity``: new channels in the last hour ≥ ``min_channels`` and, against the hourly mean of
  the 12 hours before, a ratio ≥ ``threshold``. With no earlier spread (baseline 0) the ratio is
  unbounded and ``min_channels`` alone decides: that minimum is what keeps "1 channel against 0"
  from alerting.
* ``reach``: the story has reached ``threshold`` distinct channels (or more).

Velocity and reach rules watch stories that match the rule's query, or any query when it has none:
unwatched chatter does not alert. Whether a (rule, story) pair already fired is the database's
concern (one alert per story per rule); these functions say only whether it would fire now.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from tabyin.monitor.enums import AlertKind, Sentiment
from tabyin.monitor.pipeline.spread import Velocity

NEW_STORY_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoryFacts:
    story_id: int
    sentiment: str
    query_ids: frozenset[int]
    channel_count: int
    velocity: Velocity
    # Time since Tabyin first saw the story.
    age: timedelta


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """The fields of an ``AlertRule`` that decide whether it fires."""

    rule_id: int
    kind: str
    query_id: int | None = None
    threshold: float = 10
    min_channels: int = 3


@dataclass(frozen=True, slots=True)
class Firing:
    rule_id: int
    story_id: int
    reason: str
    figures: dict[str, Any] = field(default_factory=dict)


def describe(kind: str, figures: Mapping[str, Any]) -> str:
    """Why an alert of ``kind`` fired, from the figures it stored, in the active language; "" when
    the figures lack what the sentence needs. Pages render this (not the text kept at firing, which
    is in the language of the process that fired it: Persian in background jobs)."""
    try:
        if kind == AlertKind.NEGATIVE_STORY:
            return _("A new negative story matches the watch query (%(channels)d channels so far).") % {
                "channels": int(figures["channels"])
            }
        if kind == AlertKind.REACH:
            return _("The story has reached %(channels)d channels (threshold %(threshold)d).") % {
                "channels": int(figures["channels"]),
                "threshold": int(figures["threshold"]),
            }
        if kind == AlertKind.VELOCITY and figures.get("ratio") is None:
            return _("%(count)d new channels in the last hour, with no spread in the 12 hours before.") % {
                "count": int(figures["last_hour"])
            }
        if kind == AlertKind.VELOCITY:
            return _(
                "%(count)d new channels in the last hour: %(ratio)s times the hourly mean of the 12 hours "
                "before (%(baseline)s)."
            ) % {
                "count": int(figures["last_hour"]),
                "ratio": f"{float(figures['ratio']):.1f}",
                "baseline": f"{float(figures['baseline_per_hour']):.2f}",
            }
    except (KeyError, TypeError, ValueError):
        pass
    return ""


def _firing(rule: RuleSpec, facts: StoryFacts, figures: dict[str, Any]) -> Firing:
    return Firing(rule.rule_id, facts.story_id, describe(rule.kind, figures), figures)


def _watched(facts: StoryFacts, rule: RuleSpec) -> bool:
    if rule.query_id is not None:
        return rule.query_id in facts.query_ids
    return bool(facts.query_ids)


def _negative(facts: StoryFacts, rule: RuleSpec) -> Firing | None:
    if rule.query_id is None or rule.query_id not in facts.query_ids:
        return None
    if facts.sentiment != Sentiment.NEGATIVE or facts.age > NEW_STORY_WINDOW:
        return None
    figures = {"sentiment": facts.sentiment, "query_id": rule.query_id, "channels": facts.channel_count}
    return _firing(rule, facts, figures)


def _velocity(facts: StoryFacts, rule: RuleSpec) -> Firing | None:
    speed = facts.velocity
    if not _watched(facts, rule) or speed.last_hour < max(rule.min_channels, 1):
        return None
    if speed.ratio is not None and speed.ratio < rule.threshold:
        return None
    figures = {
        "last_hour": speed.last_hour,
        "baseline_per_hour": round(speed.baseline_per_hour, 3),
        "ratio": None if speed.ratio is None else round(speed.ratio, 2),
        "threshold": rule.threshold,
        "channels": facts.channel_count,
    }
    return _firing(rule, facts, figures)


def _reach(facts: StoryFacts, rule: RuleSpec) -> Firing | None:
    needed = max(math.ceil(rule.threshold), 1)
    if not _watched(facts, rule) or facts.channel_count < needed:
        return None
    return _firing(rule, facts, {"channels": facts.channel_count, "threshold": needed})


_CHECKS = {
    AlertKind.NEGATIVE_STORY.value: _negative,
    AlertKind.VELOCITY.value: _velocity,
    AlertKind.REACH.value: _reach,
}


def evaluate(stories: Iterable[StoryFacts], rules: Iterable[RuleSpec]) -> list[Firing]:
    """Every (rule, story) pair that fires now, in story then rule order."""
    specs = list(rules)
    firings: list[Firing] = []
    for facts in stories:
        for rule in specs:
            check = _CHECKS.get(rule.kind)
            if check is None:
                continue
            firing = check(facts, rule)
            if firing is not None:
                firings.append(firing)
    return firings
