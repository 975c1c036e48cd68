"""The pure step of ingestion: one batch of raw posts in, the decisions to store out.

Given the items, what storage already holds for their keys, the near-duplicate index, the watch
query matcher and the classifier, :func:`decide` says which posts are new, which are edits (with the
versions to keep), which are duplicates, which story every item belongs to and which stories are
new. It touches no database, so it is tested and benchmarked on its own; ``ingest.services`` does the
one lookup before it and the bulk writes after it.

Order matters and is kept: items are taken in the order given, so a repost joins the story of the
first copy, an edit that arrives after its original makes version 2, and a formal forward of a post
earlier in the same batch joins that post's story.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from tabyin.monitor.pipeline.memo import EMPTY, Labels, TextMemo
from tabyin.monitor.pipeline.relevance import in_tags_only
from tabyin.monitor.pipeline.types import RawPost, split_forward

PostKey = tuple[str, str]
TITLE_CHARS = 300


class Index(Protocol):
    def assign(self, signature: Any, at: datetime) -> tuple[int, bool]: ...
    def add(self, story_key: int, signature: Any, at: datetime) -> None: ...
    def touch(self, story_key: int, at: datetime) -> None: ...


class MatcherLike(Protocol):
    def match(self, text: str) -> list[int]: ...


class ClassifierLike(Protocol):
    def predict_many(self, texts: Sequence[str]) -> list[tuple[str, float]]: ...


@dataclass(slots=True)
class StoredPost:
    """What storage holds for a (source, post id). ``old_texts`` are earlier versions' texts; storage
    fills them only for posts that were edited before and now come with a text differing from the
    current one (a replay of an old version is not a new edit)."""

    id: int
    text: str
    version: int
    views: int | None
    story_key: int
    old_texts: frozenset[str] = frozenset()
    # Its stored labels: an edit relabels the post, and the story's tallies move with it.
    sentiment: str = "neutral"
    rumor: bool = False


@dataclass(slots=True)
class PostDecision:
    """One post to write: a new one (``stored_id`` None) or an existing one that changed."""

    key: PostKey
    item: RawPost
    stored_id: int | None
    text: str
    version: int
    views: int | None
    story_key: int = 0
    # (version, text) rows of PostVersion to add: the texts this batch replaced.
    old_versions: list[tuple[int, str]] = field(default_factory=list)
    text_changed: bool = False
    views_changed: bool = False
    seen_texts: set[str] = field(default_factory=set)
    sentiment: str = "neutral"
    score: float = 0.0
    rumor: bool = False
    matches: list[int] = field(default_factory=list)
    # Of ``matches``, the queries found only inside hashtags (they count half: pipeline/relevance).
    tag_matches: list[int] = field(default_factory=list)
    # How a new post got its story (the seam for the stance step, which may move a denial out of
    # the story of the claim it denies with ``index.split``): "" started a story, "exact",
    # "resemblance", "containment" or "prefix" (ADR 0043) matched ``story_key`` in the index,
    # "forward" named its origin. ``similarity`` is the Jaccard or containment figure;
    # ``signature`` the post's own.
    matched: str = ""
    similarity: float = 0.0
    signature: Any = None
    # Whether the text has a denial cue (``stance.is_denial``), set with the labels; None: not asked.
    denial: bool | None = None

    @property
    def is_new(self) -> bool:
        return self.stored_id is None


@dataclass(frozen=True, slots=True)
class NewStory:
    key: int
    signature: bytes
    title: str
    at: datetime


@dataclass(slots=True)
class BatchDecision:
    posts: list[PostDecision]
    story_of: dict[PostKey, int]
    new_stories: dict[int, NewStory]
    new: int = 0
    duplicates: int = 0
    edited: int = 0

    @property
    def touched_story_keys(self) -> set[int]:
        return {p.story_key for p in self.posts if p.is_new or p.text_changed or p.views_changed}


@dataclass(frozen=True, slots=True)
class Steps:
    """The pure functions the decision uses (H1's canonical text and signatures, H4's rumor cue),
    passed in so the benchmark can swap the near-duplicate step for a baseline."""

    canonical: Callable[[str], str]
    signatures: Callable[[Sequence[str]], Any]
    to_bytes: Callable[[Any], bytes]
    rumor_signal: Callable[[str], bool]


def default_steps() -> Steps:
    from tabyin.monitor.pipeline import canonical, classify, fingerprint

    return Steps(canonical.canonical, fingerprint.signatures, fingerprint.to_bytes, classify.rumor_signal)


def title_of(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


def forward_origin(item: RawPost) -> PostKey | None:
    return split_forward(item.forwarded_from) if item.forwarded_from else None


def keys_to_look_up(items: Iterable[RawPost]) -> set[PostKey]:
    """Every key the batch needs from storage: its own posts and the origins of its forwards."""
    keys: set[PostKey] = set()
    for item in items:
        keys.add((item.source, item.post_id))
        origin = forward_origin(item)
        if origin is not None:
            keys.add(origin)
    return keys


def _dedup(items: Sequence[RawPost], stored: Mapping[PostKey, StoredPost], out: BatchDecision) -> None:
    """Exact dedup on (source, post id), keeping edits as versions."""
    by_key: dict[PostKey, PostDecision] = {}
    for item in items:
        key = (item.source, item.post_id)
        post = by_key.get(key)
        if post is None:
            known = stored.get(key)
            if known is None:
                post = PostDecision(key, item, None, item.text, 1, item.views, seen_texts={item.text})
                by_key[key] = post
                out.posts.append(post)
                out.new += 1
                continue
            post = PostDecision(
                key,
                item,
                known.id,
                known.text,
                known.version,
                known.views,
                story_key=known.story_key,
                seen_texts={known.text, *known.old_texts},
            )
            by_key[key] = post
            out.posts.append(post)
        if item.text in post.seen_texts:
            out.duplicates += 1
        else:
            post.old_versions.append((post.version, post.text))
            post.version += 1
            post.text = item.text
            post.item = item
            post.seen_texts.add(item.text)
            post.text_changed = True
            out.edited += 1
        # Views only grow; a stale copy must not lower them (and a replay must not change them).
        if item.views is not None and (post.views is None or item.views > post.views):
            post.views = item.views
            post.views_changed = not post.is_new


def own_text(post: PostDecision) -> str:
    """What stands for the canonical text of a post that has none (emoji only): its own identity.
    Canonical texts are letters, digits and spaces, so this never equals one; without it every
    such post would share one signature and join one story."""
    return f"{post.key[0]}/{post.key[1]}"


def _frames_of(index: Index, steps: Steps) -> Any:
    """The index's learnt frame lines (``canonical.FrameLines``), unless a benchmark swapped the
    canonical step for another."""
    frames = getattr(index, "frames", None)
    return frames if frames is not None and steps.canonical is default_steps().canonical else None


def _assign_stories(
    new_posts: list[PostDecision],
    stored: Mapping[PostKey, StoredPost],
    index: Index,
    steps: Steps,
    out: BatchDecision,
    *,
    memo: TextMemo,
) -> None:
    sigs: Any = _signatures(new_posts, steps, memo) if new_posts else []
    story_of_new: dict[PostKey, int] = {}

    def settle(post: PostDecision, signature: Any, story: tuple[int, bool], forward: bool) -> None:
        post.story_key, created = story
        post.signature = signature
        post.matched = "forward" if forward else getattr(story, "how", "")
        post.similarity = float(getattr(story, "similarity", 0.0))
        if created and not forward:
            out.new_stories[post.story_key] = NewStory(
                post.story_key, steps.to_bytes(signature), title_of(post.item.text), post.item.published_at
            )
        story_of_new[post.key] = post.story_key

    assign_many = getattr(index, "assign_many", None)
    if assign_many is None:
        for post, signature in zip(new_posts, sigs, strict=True):
            origin = _origin_story(post, stored, story_of_new)
            if origin is not None:
                # A formal forward names its origin: no similarity needed. The index only keeps the
                # story live (a forward is not made one of the story's representatives).
                index.add(origin, signature, post.item.published_at)
                settle(post, signature, (origin, False), True)
            else:
                settle(post, signature, index.assign(signature, post.item.published_at), False)
        return
    # Batched: runs of rows go to assign_many (a forward's row carries its origin's story key); a
    # run is cut only before a forward whose origin is an earlier new post of this batch.
    run: list[int] = []
    known: list[int | None] = []
    earlier: set[PostKey] = set()

    def flush() -> None:
        if run:
            results = assign_many(sigs[run], [new_posts[i].item.published_at for i in run], known)
            for i, given, result in zip(run, known, results, strict=True):
                settle(new_posts[i], sigs[i], result, given is not None)
            run.clear()
            known.clear()

    for i, post in enumerate(new_posts):
        forwarded = forward_origin(post.item)
        origin_key: int | None = None
        if forwarded is not None:
            known_post = stored.get(forwarded)
            if known_post is not None:
                origin_key = known_post.story_key
            elif forwarded in earlier:
                flush()
                origin_key = story_of_new.get(forwarded)
        run.append(i)
        known.append(origin_key)
        earlier.add(post.key)
    flush()


def _signatures(new_posts: Sequence[PostDecision], steps: Steps, memo: TextMemo) -> Any:
    """The posts' signatures, in order: the signature of a text seen before comes from the memo; the
    others are made in one call for their distinct canonical texts. A post whose canonical text is
    empty stands for itself (``own_text``): the memo only remembers that it was empty."""
    rows: list[Any] = [None] * len(new_posts)
    canonical_of: dict[str, str] = {}  # raw text -> canonical text, for texts the memo lacks
    wanted: dict[str, list[int]] = {}  # text to sign -> rows waiting for it
    for row, post in enumerate(new_posts):
        text = post.item.text
        found = memo.signature(memo.key(text))
        if found is not None and found is not EMPTY:
            rows[row] = found
            continue
        if found is EMPTY:
            canonical = ""
        elif text in canonical_of:
            canonical = canonical_of[text]
        else:
            canonical = canonical_of[text] = steps.canonical(text)
        wanted.setdefault(canonical or own_text(post), []).append(row)
    made: Any = steps.signatures(list(wanted)) if wanted else []
    copy = hasattr(made, "shape")  # a row of a numpy batch: keep a copy, not a view of the batch
    for at, waiting in enumerate(wanted.values()):
        signature = made[at].copy() if copy else made[at]
        for row in waiting:
            rows[row] = signature
    for text, canonical in canonical_of.items():
        memo.keep_signature(memo.key(text), rows[wanted[canonical][0]] if canonical else EMPTY)
    if copy or (rows and hasattr(rows[0], "shape")):
        from numpy import stack

        return stack(rows)
    return rows


def _label(text: str, matcher: MatcherLike, classifier: ClassifierLike, steps: Steps) -> Labels:
    from tabyin.monitor.pipeline.stance import is_denial

    ((label, score),) = classifier.predict_many([text])
    hits = list(matcher.match(text))
    tagged = in_tags_only(text, hits, matcher.match)
    return Labels(label, float(score), steps.rumor_signal(text), tuple(hits), tuple(tagged), is_denial(text))


def _origin_story(
    post: PostDecision, stored: Mapping[PostKey, StoredPost], story_of_new: Mapping[PostKey, int]
) -> int | None:
    origin = forward_origin(post.item)
    if origin is None:
        return None
    known = stored.get(origin)
    return known.story_key if known is not None else story_of_new.get(origin)


def decide(
    items: Sequence[RawPost],
    stored: Mapping[PostKey, StoredPost],
    *,
    index: Index,
    matcher: MatcherLike,
    classifier: ClassifierLike,
    steps: Steps | None = None,
    memo: TextMemo | None = None,
) -> BatchDecision:
    """Dedup, assign stories, match and classify one batch. ``stored`` maps the keys of
    :func:`keys_to_look_up` that storage holds. The index is updated in place, and so is ``memo``
    (``pipeline.memo``: what earlier batches worked out for the same texts) when given."""
    steps = steps or default_steps()
    # Without a memo from the caller, one for this batch: each distinct text is still worked once.
    memo = memo if memo is not None else TextMemo(capacity=len(items) + 1)
    frames_version = getattr(getattr(index, "frames", None), "version", 0)
    memo.bind(steps, matcher, classifier, frames_version)
    out = BatchDecision(posts=[], story_of={}, new_stories={})
    _dedup(items, stored, out)
    new_posts = [p for p in out.posts if p.is_new]
    frames = _frames_of(index, steps)
    if frames is None:
        _assign_stories(new_posts, stored, index, steps, out, memo=memo)
    else:
        # Canonical texts through the index's learnt frame lines; the lines then learn where
        # this batch's posts went (each distinct text was canonicalised once).
        _assign_stories(new_posts, stored, index, replace(steps, canonical=frames.canonical), out, memo=memo)
        frames.learn_by_text([(post.item.text, post.story_key) for post in new_posts])
    to_label = [p for p in out.posts if p.is_new or p.text_changed]
    # Forwards and cross-posts repeat a text: label and match each distinct text once (the memo
    # also remembers texts of earlier batches). One text at a time through all the steps: they
    # share query.match_key's small cache.
    found: dict[str, Labels] = {}
    for text in dict.fromkeys(p.text for p in to_label):
        key = memo.key(text)
        labels = memo.labels(key)
        if labels is None:
            labels = _label(text, matcher, classifier, steps)
            memo.keep_labels(key, labels)
        found[text] = labels
    for post in to_label:
        labels = found[post.text]
        post.sentiment, post.score, post.rumor = labels.sentiment, labels.score, labels.rumor
        post.matches = list(labels.matches)
        post.tag_matches = list(labels.tag_matches)
        post.denial = labels.denial
    for post in out.posts:
        out.story_of[post.key] = post.story_key
    return out
