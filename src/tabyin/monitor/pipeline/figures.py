"""What one batch changes in the figures of each story it touches (pure).

A story's figures (posts, channels, views, sentiment and rumor tallies, first and last post, origin,
whether a watch query matched) are kept by adding each batch's changes to them: recounting every
post of a story on every batch made a popular story cost more the bigger it grew.
``ingest.services_stories`` adds these deltas to the stored figures under the batch lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tabyin.monitor.enums import Sentiment
from tabyin.monitor.pipeline.batch import BatchDecision, PostDecision, PostKey, StoredPost

__all__ = ["StoryDelta", "story_deltas"]


@dataclass(slots=True)
class StoryDelta:
    posts: int = 0
    views: int = 0
    negative: int = 0
    positive: int = 0
    rumor: int = 0
    watched: bool = False
    # The batch's earliest new post with a known date (the first in batch order on a tie: it gets
    # the lowest id), the origin if it is earlier than the story's stored first post.
    first: PostDecision | None = None
    last: datetime | None = None
    # Sources of the batch's new posts: a channel count grows by those not already in the story.
    sources: set[str] = field(default_factory=set)

    def tally(self, sentiment: str, rumor: bool, sign: int) -> None:
        if sentiment == Sentiment.NEGATIVE:
            self.negative += sign
        elif sentiment == Sentiment.POSITIVE:
            self.positive += sign
        if rumor:
            self.rumor += sign


def story_deltas(decision: BatchDecision, stored: Mapping[PostKey, StoredPost]) -> dict[int, StoryDelta]:
    """The change to each touched story (by story key): new posts add to every figure; an edit moves
    its post's sentiment and rumor tallies and may add a watch-query match; a views update adds the
    difference. ``stored`` is what storage held before the batch (``StoredPost``)."""
    deltas: dict[int, StoryDelta] = {}
    for post in decision.posts:
        if not (post.is_new or post.text_changed or post.views_changed):
            continue
        delta = deltas.get(post.story_key)
        if delta is None:
            delta = deltas[post.story_key] = StoryDelta()
        if post.is_new:
            at = post.item.published_at
            delta.posts += 1
            delta.views += post.views or 0
            delta.tally(post.sentiment, post.rumor, 1)
            delta.watched = delta.watched or bool(post.matches)
            delta.sources.add(post.item.source)
            # A post without a known date is never the origin: its time is only when it was fetched.
            if not post.item.date_unknown and (delta.first is None or at < delta.first.item.published_at):
                delta.first = post
            if delta.last is None or at > delta.last:
                delta.last = at
            continue
        known = stored[post.key]
        delta.views += (post.views or 0) - (known.views or 0)
        if post.text_changed:
            delta.tally(known.sentiment, known.rumor, -1)
            delta.tally(post.sentiment, post.rumor, 1)
            # Matches of an earlier text are kept (never removed), so a match only ever adds.
            delta.watched = delta.watched or bool(post.matches)
    return deltas
