"""Relevance to the organization, read from the stored matches (rules in ``pipeline/relevance``).

Relevance is computed when a page is read, not stored at ingestion: a post's score is the sum of
the weights of the queries it matched, so an administrator who changes a weight or the threshold
changes every figure at once, past posts included, without re-ingesting anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tabyin.monitor.enums import QueryKind
from tabyin.monitor.models import Match, Post, RelevanceSetting, Story
from tabyin.monitor.pipeline.relevance import (
    DEFAULT_THRESHOLD,
    KIND_WEIGHTS,
    highlight,
    points_of,
    query_terms,
    spans,
)


def threshold_current() -> int:
    row = RelevanceSetting.objects.order_by("-pk").values_list("threshold", flat=True).first()
    return DEFAULT_THRESHOLD if row is None else row


def threshold_sql() -> Combinable:
    """The threshold as an SQL expression (at least 1): a page that filters with it reads the
    setting inside its own query instead of one query more."""
    stored = Subquery(RelevanceSetting.objects.order_by("-pk").values("threshold")[:1])
    return Greatest(Coalesce(stored, Value(DEFAULT_THRESHOLD)), Value(1), output_field=IntegerField())


def _limit(threshold: int | Combinable | None) -> int | Combinable:
    if threshold is None:
        return max(threshold_current(), 1)
    return max(threshold, 1) if isinstance(threshold, int) else threshold


def weight_sql(prefix: str = "query__") -> Combinable:
    """A query's effective weight in SQL: its own, else its kind's default."""
    by_kind = Case(
        *(When(**{f"{prefix}kind": kind}, then=Value(points)) for kind, points in KIND_WEIGHTS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Coalesce(f"{prefix}weight", by_kind, output_field=IntegerField())


def points_sql() -> Combinable:
    """What a ``Match`` row adds in SQL (``points_of``): its query's weight, half (integer division,
    as in Python for these non-negative points) when the words were only in hashtags."""
    weight = weight_sql()
    return Case(
        When(in_tags_only=True, then=weight / Value(2)),
        default=weight,
        output_field=IntegerField(),
    )


def post_score() -> Subquery:
    """The relevance score of the outer ``Post`` row (no match: NULL)."""
    return Subquery(
        Match.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(points=Sum(points_sql()))
        .values("points")[:1],
        output_field=IntegerField(),
    )


def relevant(posts: QuerySet[Post], threshold: int | Combinable | None = None) -> QuerySet[Post]:
    """The posts that are mentions of the organization: score at least the threshold (None: the
    stored one, read now; or an int; or ``threshold_sql()``)."""
    return posts.alias(relevance=Coalesce(post_score(), 0)).filter(relevance__gte=_limit(threshold))


def story_relevant_q(threshold: int | Combinable | None = None, *, ref: str = "pk") -> Exists:
    """Whether the story whose id is the outer ``ref`` is about the organization: one of its posts
    reaches the threshold (the same rule as ``StoryRelevance.relevant``). One correlated
    ``EXISTS`` grouped by post, so a list of stories stays one query; the threshold defaults to
    the stored one read inside that query (``threshold_sql``)."""
    limit = threshold_sql() if threshold is None else _limit(threshold)
    return Exists(
        Match.objects.filter(post__story_id=OuterRef(ref))
        .order_by()
        .values("post_id")
        .annotate(points=Sum(points_sql()))
        .filter(points__gte=limit)
    )


def story_matches(story_ids: Iterable[int]) -> dict[int, tuple[frozenset[int], int]]:
    """For each story that matched anything: the queries its posts matched and its score (its best
    post's), read in one query; what alert evaluation needs after every ingestion batch."""
    points: dict[tuple[int, int], int] = defaultdict(int)
    queries: dict[int, set[int]] = defaultdict(set)
    rows = Match.objects.filter(post__story_id__in=list(story_ids)).values_list(
        "post__story_id", "post_id", "query_id", "query__kind", "query__weight", "in_tags_only"
    )
    for story_id, post_id, query_id, kind, weight, tags_only in rows:
        queries[story_id].add(query_id)
        points[story_id, post_id] += points_of(kind, weight, tags_only=tags_only)
    best: dict[int, int] = defaultdict(int)
    for (story_id, _post), score in points.items():
        best[story_id] = max(best[story_id], score)
    return {story_id: (frozenset(found), best[story_id]) for story_id, found in queries.items()}


@dataclass(frozen=True)
class Reason:
    query_id: int
    name: str
    kind: str
    kind_label: str
    weight: int  # the points it counted: in the best post if it is there, else its best showing
    posts: int  # posts of the story that matched it
    in_best: bool  # matched by the post that gives the story its score
    tags_only: bool = False  # those points came from hashtags alone, so half the query's weight


@dataclass(frozen=True)
class StoryRelevance:
    score: int  # the best post's score: each post is judged on its own words
    threshold: int
    reasons: list[Reason]
    best_post_id: int | None

    @property
    def relevant(self) -> bool:
        return self.score >= max(self.threshold, 1)


@dataclass(frozen=True)
class _Row:
    post_id: int
    query_id: int
    name: str
    kind: str
    weight: int | None
    expression: str
    tags_only: bool


def _rows(posts: Iterable[int] | QuerySet[Post, Any]) -> list[_Row]:
    fields = (
        "post_id",
        "query_id",
        "query__name",
        "query__kind",
        "query__weight",
        "query__expression",
        "in_tags_only",
    )
    return [
        _Row(*r)
        for r in Match.objects.filter(post__in=posts).order_by("post_id", "query_id").values_list(*fields)
    ]


def story_relevance(story: Story, *, threshold: int | None = None) -> StoryRelevance:
    """Why a story is (or is not) about the organization: every query its posts matched."""
    rows = _rows(Post.objects.filter(story=story).values("pk"))
    scores: dict[int, int] = defaultdict(int)
    for r in rows:
        scores[r.post_id] += points_of(r.kind, r.weight, tags_only=r.tags_only)
    best = min(scores, key=lambda pk: (-scores[pk], pk)) if scores else None
    best_queries = {r.query_id for r in rows if r.post_id == best}
    by_query: dict[int, list[_Row]] = defaultdict(list)
    for r in rows:
        by_query[r.query_id].append(r)
    kinds = dict(QueryKind.choices)
    reasons = []
    for q, found in by_query.items():
        # The row whose points the reader should see: the best post's own match where the query is
        # in it, else the query's strongest match (a full-text match beats a hashtag-only one).
        shown = next((r for r in found if r.post_id == best), None) or min(found, key=lambda r: r.tags_only)
        reasons.append(
            Reason(
                q,
                shown.name,
                shown.kind,
                str(kinds.get(shown.kind, "")),
                points_of(shown.kind, shown.weight, tags_only=shown.tags_only),
                len(found),
                q in best_queries,
                shown.tags_only,
            )
        )
    reasons.sort(key=lambda r: (not r.in_best, -r.weight, r.name))
    return StoryRelevance(
        scores[best] if best is not None else 0,
        threshold_current() if threshold is None else threshold,
        reasons,
        best,
    )


def highlighted(posts: list[Post]) -> dict[int, SafeString]:
    """Each post's text with the words of the queries it matched marked (one query)."""
    groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for r in _rows([p.pk for p in posts]):
        groups[r.post_id].append((r.name, r.expression))
    label = _("matches the watch query %(queries)s")
    out = {}
    for p in posts:
        found = spans(p.text, [(name, query_terms(expression)) for name, expression in groups.get(p.pk, [])])
        out[p.pk] = highlight(p.text, found, label=label)
    return out


def matched_words(text: str, expressions: Iterable[tuple[str, str]]) -> list[str]:
    """The words of ``text`` that the given (name, expression) queries found, in text order."""
    hits = spans(text, [(name, query_terms(expression)) for name, expression in expressions])
    return list(dict.fromkeys(text[h.start : h.end] for h in hits))
