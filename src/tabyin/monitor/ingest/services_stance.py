"""Ingestion's stance step, with storage: denials leave the rumor's story and are linked to it.

``ingest.services`` calls :func:`denials_separate` right after the pure decision (before the
stories and figures are written, so the rumor's post and channel counts never include a denial)
and :func:`denials_link` once the posts have ids. Most batches have no post with a denial cue and
cost no query here. The rules are ``pipeline.denials`` and ``pipeline.stance``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from tabyin.monitor.enums import Stance, StoryKind
from tabyin.monitor.models import StanceLink, Story
from tabyin.monitor.pipeline import denials, stance
from tabyin.monitor.pipeline.batch import BatchDecision, PostKey

# A denial that started its own story is compared with at most this many recent stories flagged as
# rumors (newest first). Staff flag a few a day; stories with only a rumor cue are far too many to
# compare every denial with (they made ingestion several times slower on the stance texts).
NEAR_RUMORS = 200
# Stance of a (claim, post text) pair: cross-posts of one denial into one story repeat the pair
# (a quarter of the pairs on the pipeline benchmark). The rules are pure, so the answer is the same.
judge = functools.lru_cache(maxsize=4096)(stance.classify)


@dataclass(slots=True)
class Denials:
    links: list[denials.DenialLink] = field(default_factory=list)
    # Ids of the stored stories among the links' rumors (the batch's new ones are found by key).
    rumor_ids: dict[int, int] = field(default_factory=dict)


def denials_separate(decision: BatchDecision) -> Denials:
    """Take the denials out of the stories they joined and find the flagged rumors near the rest.
    Changes ``decision`` in place (the moved posts' story keys, their denial stories)."""
    out = Denials()
    joined, alone = denials.candidates(decision)
    if not joined and not alone:
        return out
    keys = {post.story_key for post in joined} - decision.new_stories.keys()
    claims: dict[int, str] = {}
    if keys:
        rows = Story.objects.filter(key__in=keys).values_list("id", "key", "title", "kind")
        for pk, key, title, kind in rows:
            if kind == StoryKind.ITEM:
                claims[key] = title
                out.rumor_ids[key] = pk
    out.links = denials.separate(decision, joined, claims, judge)
    if alone:
        window = timedelta(days=settings.TABYIN_MONITOR_INDEX_WINDOW_DAYS)
        since = min(p.item.published_at for p in alone) - window
        rumors = list(
            Story.objects.filter(is_rumor=True, kind=StoryKind.ITEM, last_post_at__gte=since)
            .order_by("-last_post_at")
            .values_list("id", "key", "title")[:NEAR_RUMORS]
        )
        out.rumor_ids.update({key: pk for pk, key, _ in rumors})
        out.links += denials.link_near(alone, [(key, title) for _, key, title in rumors], judge)
    return out


def denials_link(found: Denials, post_ids: Mapping[PostKey, int], stories: Mapping[int, int]) -> None:
    """Store the links (``stories``: the batch's story ids by key) and mark the denial stories."""
    if not found.links:
        return
    StanceLink.objects.bulk_create(
        [
            StanceLink(
                post_id=post_ids[link.post],
                rumor_id=found.rumor_ids.get(link.rumor_key) or stories[link.rumor_key],
                stance=Stance.DISAGREE,
                score=link.score,
                moved=link.moved,
            )
            for link in found.links
        ],
        ignore_conflicts=True,
    )
    moved = {denials.denial_key(link.rumor_key) for link in found.links if link.moved}
    if moved:
        Story.objects.filter(key__in=moved, kind=StoryKind.ITEM).update(kind=StoryKind.DENIAL)
