"""The stance step of ingestion (pure): a denial leaves the story it denies and is linked to it.

The near-duplicate index groups texts by their words, and a denial repeats the claim's words
(«خبر تاخیر در پرداخت حقوق … تکذیب شد»), so it lands in the rumor's own story and would be counted
as one more channel spreading the rumor. After :func:`pipeline.batch.decide`, every new post that
joined a story it did not start (not a formal forward: a forward repeats its origin) and has a
denial cue is compared with the story's claim, its title. A post whose stance is "disagree" moves to
the story's denial story (one per denied story, key :func:`denial_key`, never in the index, so a
later copy of the rumor cannot join it) and is linked to the story it denies.

A post with a denial cue that started its own story is compared with the flagged rumors it is
"near" (sharing a content word; the most related one whose stance is "disagree" wins) and linked
without moving: its story is already apart from the rumor's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import xxhash

from tabyin.monitor.pipeline.batch import BatchDecision, NewStory, PostDecision, PostKey, title_of
from tabyin.monitor.pipeline.stance import Stance, StanceResult, classify, content_words, is_denial

__all__ = ["DenialLink", "candidates", "denial_key", "link_near", "separate"]


@dataclass(frozen=True, slots=True)
class DenialLink:
    post: PostKey
    rumor_key: int
    score: float
    moved: bool


def denial_key(story_key: int) -> int:
    """The key of the story that gathers the denials of ``story_key`` (63 bits, as story keys)."""
    return xxhash.xxh3_64_intdigest(b"denial:%d" % story_key) & (2**63 - 1)


def candidates(decision: BatchDecision) -> tuple[list[PostDecision], list[PostDecision]]:
    """New non-forward posts with a denial cue: (those that joined a story, those that started one).
    Taken before :func:`separate` changes the decision."""
    starters: set[int] = set()
    joined_: list[PostDecision] = []
    started_: list[PostDecision] = []
    for post in decision.posts:
        if not post.is_new:
            continue
        starts = post.story_key in decision.new_stories and post.story_key not in starters
        if starts:
            starters.add(post.story_key)
        if post.item.forwarded_from:
            continue
        if not (post.denial if post.denial is not None else is_denial(post.item.text)):
            continue
        (started_ if starts else joined_).append(post)
    return joined_, started_


def separate(
    decision: BatchDecision,
    joined: Sequence[PostDecision],
    claims: Mapping[int, str],
    judge: Callable[[str, str], StanceResult] = classify,
) -> list[DenialLink]:
    """Move the denials among ``joined`` (the first list of :func:`candidates`) out of the stories
    they joined. ``claims``: story key → title of the stored stories that may be denied; the batch's
    new stories are read from ``decision``. Changes ``decision`` in place. ``judge`` is
    ``stance.classify`` or a memo of it."""
    links: list[DenialLink] = []
    for post in joined:
        rumor = post.story_key
        new = decision.new_stories.get(rumor)
        claim = claims.get(rumor) if new is None else new.title
        if not claim:
            continue
        result = judge(claim, post.item.text)
        if result.label is not Stance.DISAGREE:
            continue
        target = denial_key(rumor)
        if target not in decision.new_stories:
            at = post.item.published_at
            decision.new_stories[target] = NewStory(target, b"", title_of(post.item.text), at)
        post.story_key = target
        decision.story_of[post.key] = target
        links.append(DenialLink(post.key, rumor, result.score, moved=True))
    return links


def link_near(
    posts: Sequence[PostDecision],
    rumors: Sequence[tuple[int, str]],
    judge: Callable[[str, str], StanceResult] = classify,
) -> list[DenialLink]:
    """Link each post to the most related rumor ((key, claim) pairs) it denies, if any."""
    links: list[DenialLink] = []
    words = [(key, claim, content_words(claim)) for key, claim in rumors]
    for post in posts:
        best: tuple[float, int, float] | None = None
        mine = content_words(post.item.text)
        for key, claim, theirs in words:
            if mine.isdisjoint(theirs):
                continue  # not one word in common: unrelated, without the full rules
            result = judge(claim, post.item.text)
            if result.label is Stance.DISAGREE and (best is None or result.related > best[0]):
                best = (result.related, key, result.score)
        if best is not None:
            links.append(DenialLink(post.key, best[1], best[2], moved=False))
    return links
