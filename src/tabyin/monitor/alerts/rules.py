"""Alert rules as pure functions: facts about a story + rule specs → firings.

The three kinds (``enums.AlertKind``):

* ``negative_story``: the story's sentiment is negative, it is about the organization (its relevance
  score reaches the threshold, ``pipeline/relevance``), it matches the rule's watch query, and it
  is new (first seen within ``NEW_STORY_WINDOW``). A story that turns negative, or starts to match,
  with a later post is still caught while it is young; an old story is not dug up again.
* ``velocity``: new channels in the last hour ≥ ``min_channels`` and, against the hourly mean of
  the 12 hours before, a ratio ≥ ``threshold``. With no earlier spread (baseline 0) the ratio is
  unbounded and ``min_channels`` alone decides: that minimum is what keeps "1 channel against 0"
  from alerting.
* ``reach``: the story has reached ``threshold`` distinct channels (or more).

Every rule watches only stories about the organization (``relevant``): a gold-price story that
matched only the Tehran query is chatter, whatever the rule's query. The rule's query, when set,
narrows that to the stories that matched it (velocity and reach rules may have none).
Whether a firing makes a new alert or updates the story's alert within the cool-down is
``alerts.services``' concern; these functions say only whether a rule
fires now, and ``describe`` says in words what crossed which threshold.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    # Time since the story's first post (the "in 6 hours" of "36 channels in 6 hours").
    span: timedelta = timedelta(0)
    # About the organization: its best post's relevance score reaches the threshold.
    relevant: bool = False


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


def span_text(minutes: int) -> str:
    """``6 hours`` / ``45 minutes``: how long the story took to get there (whole hours from one hour)."""
    if minutes >= 60:
        hours = round(minutes / 60)
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    minutes = max(minutes, 1)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def describe(kind: str, figures: Mapping[str, Any]) -> str:
    """What crossed which threshold, from the figures an alert stored, in the active language with
    ASCII digits (pages, e-mail and bot turn them Persian; the webhook keeps them); "" when the
    figures lack what the sentence needs (an alert stored before these figures existed: its kept
    ``reason`` is shown instead). Pages render this, not the text kept at firing, which is in the
    language of the process that fired it."""
    try:
        if kind == AlertKind.NEGATIVE_STORY:
            return _(
                "New negative story about a watched subject: %(channels)d channels in %(span)s; "
                "threshold: negative and under %(window)d hours old"
            ) % {
                "channels": int(figures["channels"]),
                "span": span_text(int(figures["minutes"])),
                "window": int(NEW_STORY_WINDOW.total_seconds() // 3600),
            }
        if kind == AlertKind.REACH:
            return _("%(channels)d channels in %(span)s; threshold %(threshold)d channels") % {
                "channels": int(figures["channels"]),
                "span": span_text(int(figures["minutes"])),
                "threshold": int(figures["threshold"]),
            }
        if kind == AlertKind.VELOCITY and figures.get("ratio") is None:
            return _(
                "%(count)d new channels in the last hour, none in the 12 hours before; "
                "threshold %(minimum)d new channels in an hour"
            ) % {"count": int(figures["last_hour"]), "minimum": int(figures["min_channels"])}
        if kind == AlertKind.VELOCITY:
            return _(
                "%(count)d new channels in the last hour, %(ratio)s times the hourly mean of the 12 hours "
                "before (%(baseline)s); threshold %(threshold)s times and %(minimum)d new channels"
            ) % {
                "count": int(figures["last_hour"]),
                "ratio": f"{float(figures['ratio']):.1f}",
                "baseline": f"{float(figures['baseline_per_hour']):.2f}",
                "threshold": f"{float(figures['threshold']):g}",
                "minimum": int(figures["min_channels"]),
            }
    except (KeyError, TypeError, ValueError):
        pass
    return ""


def headline(kind: str, figures: Mapping[str, Any]) -> int:
    """The figure whose growth makes a later firing of the same rule news: channels reached, or new
    channels in the last hour for velocity."""
    key = "last_hour" if kind == AlertKind.VELOCITY else "channels"
    try:
        return int(figures.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _firing(rule: RuleSpec, facts: StoryFacts, figures: dict[str, Any]) -> Firing:
    figures["minutes"] = max(0, int(facts.span.total_seconds() // 60))
    return Firing(rule.rule_id, facts.story_id, describe(rule.kind, figures), figures)


def _watched(facts: StoryFacts, rule: RuleSpec) -> bool:
    if not facts.relevant:
        return False
    return rule.query_id is None or rule.query_id in facts.query_ids


def _negative(facts: StoryFacts, rule: RuleSpec) -> Firing | None:
    if rule.query_id is None or not _watched(facts, rule):
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
        "min_channels": max(rule.min_channels, 1),
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
