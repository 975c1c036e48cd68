"""Reads for the watch-query pages: the list with recent match counts, and "try it on a text"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.models import WatchQuery
from tabyin.monitor.pipeline.classify import rumor_cues
from tabyin.monitor.pipeline.query import Matcher, QuerySyntaxError, parse
from tabyin.monitor.services_classifier import classifier_current

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


def query_try(*, actor: User, text: str, expression: str = "") -> TryResult:
    """Which active queries (and, if given, which typed expression) match the text, and what the
    classifier and the rumor cues say about it."""
    require_configure(actor)
    active = list(
        WatchQuery.objects.filter(is_active=True).select_related("province").order_by("kind", "name")
    )
    hits = set(Matcher([(q.pk, q.expression) for q in active]).match(text))
    typed: bool | None = None
    if expression.strip():
        typed = bool(Matcher([(0, expression)]).match(text)) if not query_error(expression) else None
    sentiment, score = classifier_current().predict(text)
    return TryResult(
        matched=[q for q in active if q.pk in hits],
        sentiment=sentiment,
        score=score,
        rumor_cues=rumor_cues(text),
        expression_matches=typed,
    )
