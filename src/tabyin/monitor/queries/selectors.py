"""Reads for the watch-query pages: the list with recent match counts, and "try it on a text"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.ingest.selectors import classifier_current
from tabyin.monitor.models import WatchQuery
from tabyin.monitor.pipeline.classify import rumor_cues
from tabyin.monitor.pipeline.query import Matcher, QuerySyntaxError, parse
from tabyin.monitor.pipeline.relevance import in_tags_only, points_of, weight_of
from tabyin.monitor.queries.selectors_relevance import matched_words, threshold_current

RECENT = timedelta(days=7)


def require_configure(actor: User) -> None:
    permissions.require(permissions.can_configure(scope_for(actor)), "only analysts and administrators")


def queries_list(*, actor: User) -> QuerySet[WatchQuery]:
    """Every watch query with its matches in the last seven days (one query)."""
    require_configure(actor)
    since = timezone.now() - RECENT
    return (
        WatchQuery.objects.select_related("province")
        .annotate(recent=Count("matches", filter=Q(matches__published_at__gte=since)))
        .order_by("kind", "name")
    )


def query_get(*, actor: User, pk: int) -> WatchQuery:
    require_configure(actor)
    return WatchQuery.objects.select_related("province").get(pk=pk)


def points(query: WatchQuery) -> int:
    """The relevance points the query gives (its own weight, else its kind's default)."""
    return weight_of(query.kind, query.weight)


def relevance_threshold() -> int:
    return threshold_current()


def query_error(expression: str) -> str:
    """The parser's complaint about a stored expression, or "" when it parses."""
    try:
        parse(expression)
    except QuerySyntaxError as error:
        return str(error)
    return ""


@dataclass(frozen=True)
class TryResult:
    matched: list[WatchQuery]
    sentiment: str
    score: float
    rumor_cues: list[str]
    # The query typed in the form, when one was given: None if it did not parse.
    expression_matches: bool | None
    # Relevance to the organization: the matched queries' points against the threshold.
    relevance: int = 0
    threshold: int = 0
    words: tuple[str, ...] = ()

    @property
    def relevant(self) -> bool:
        return self.relevance >= max(self.threshold, 1)


def query_try(*, actor: User, text: str, expression: str = "") -> TryResult:
    """Which active queries (and, if given, which typed expression) match the text, and what the
    classifier and the rumor cues say about it."""
    require_configure(actor)
    active = list(
        WatchQuery.objects.filter(is_active=True).select_related("province").order_by("kind", "name")
    )
    matcher = Matcher([(q.pk, q.expression) for q in active])
    hits = set(matcher.match(text))
    tagged = set(in_tags_only(text, list(hits), matcher.match))
    typed: bool | None = None
    if expression.strip():
        typed = bool(Matcher([(0, expression)]).match(text)) if not query_error(expression) else None
    sentiment, confidence = classifier_current().predict(text)
    matched = [q for q in active if q.pk in hits]
    return TryResult(
        matched=matched,
        sentiment=sentiment,
        score=confidence,
        rumor_cues=rumor_cues(text),
        expression_matches=typed,
        relevance=sum(points_of(q.kind, q.weight, tags_only=q.pk in tagged) for q in matched),
        threshold=threshold_current(),
        words=tuple(matched_words(text, [(q.name, q.expression) for q in matched])),
    )
