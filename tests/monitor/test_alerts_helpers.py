"""Rows for the alert tests, written straight through the ORM so timelines are exact.

(The end-to-end path through ``ingest.services.ingest`` is in test_alerts_ingest.py.)
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from tabyin.monitor.enums import QueryKind
from tabyin.monitor.models import AlertRule, Match, Post, Source, Story, WatchQuery

_keys = itertools.count(1)


def source(handle: str) -> Source:
    return Source.objects.get_or_create(kind="telegram", handle=handle, defaults={"name": handle})[0]


def story(title: str = "شایعهٔ قطع مستمری", *, at: datetime, sentiment: str = "negative") -> Story:
    return Story.objects.create(
        key=next(_keys),
        signature=b"\x00" * 8,
        title=title,
        first_published_at=at,
        first_seen_at=at,
        last_post_at=at,
        sentiment=sentiment,
    )


def post(story: Story, handle: str, at: datetime, *, query: WatchQuery | None = None) -> Post:
    found = Post.objects.create(
        source=source(handle),
        post_id=str(next(_keys)),
        text=story.title,
        published_at=at,
        first_seen_at=at,
        story=story,
    )
    if query is not None:
        Match.objects.create(post=found, query=query, published_at=at)
    return found


def spread(story: Story, times: list[datetime], *, query: WatchQuery | None = None) -> None:
    """One post per channel ch0, ch1, … at the given times; the first matches ``query``."""
    for n, at in enumerate(times):
        post(story, f"ch{n}", at, query=query if n == 0 else None)


def watch(name: str = "تأمین اجتماعی") -> WatchQuery:
    # The organization's name: entity words, so a story matching it is about the organization.
    return WatchQuery.objects.create(name=name, kind=QueryKind.ORGANIZATION, expression=f'"{name}"')


def rule(kind: str, **fields: Any) -> AlertRule:
    values: dict[str, Any] = {"name": kind, "kind": kind, "channels": ["in_app"], "escalate_after_minutes": 0}
    values.update(fields)
    return AlertRule.objects.create(**values)


def test_helpers_make_a_story_spread_over_channels(db: Any) -> None:
    from datetime import UTC

    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    found = story(at=at)
    spread(found, [at, at], query=watch())
    assert list(found.posts.values_list("source__handle", flat=True)) == ["ch0", "ch1"]
    assert Match.objects.filter(post__story=found).count() == 1
