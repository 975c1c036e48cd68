"""A query found only in hashtags a reposting channel appended counts half its weight.

The demo's film-festival item reposted with «#تامین_اجتماعی» matched the organization query and
became a "mention"; its words are only in a tag, so it scores 5 against the threshold of 10. The
same tag under a text that names the organization changes nothing (10).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tabyin.monitor.enums import QueryKind
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Match, Post, Story, WatchQuery
from tabyin.monitor.pipeline.query import Matcher
from tabyin.monitor.pipeline.relevance import in_tags_only, points_of, without_hashtags
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.queries.selectors_relevance import (
    relevant,
    story_matches,
    story_relevance,
    story_relevant_q,
)

FILM = "برگزاری جشنواره فیلم کوتاه دانشجویی در شیراز با حضور ۲۰۰ فیلمساز جوان"
ORG = "سازمان تامین اجتماعی زمان پرداخت مستمری بازنشستگان در ماه آینده را اعلام کرد"
AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    services_ingest.reset_index()
    yield
    services_ingest.reset_index()


def test_only_words_inside_hashtags_are_tags_only() -> None:
    match = Matcher([(1, '"تامین اجتماعی"'), (2, "مستمری")]).match
    tagged = f"{FILM} #تامین_اجتماعی"

    assert without_hashtags(tagged) == f"{FILM}  "
    assert in_tags_only(tagged, match(tagged), match) == [1]
    assert in_tags_only(f"{ORG} #تامین_اجتماعی", match(f"{ORG} #تامین_اجتماعی"), match) == []
    assert in_tags_only("#مستمری و #تامین‌_اجتماعی", [1, 2], match) == [1, 2]
    assert in_tags_only(ORG, match(ORG), match) == []  # no «#»: nothing to take out
    assert (points_of(QueryKind.ORGANIZATION, None, tags_only=True), points_of(QueryKind.TOPIC, 7)) == (5, 7)


@pytest.mark.django_db
def test_a_repost_that_adds_the_organizations_hashtag_does_not_make_a_mention() -> None:
    org = WatchQuery.objects.create(
        name="تأمین اجتماعی", kind=QueryKind.ORGANIZATION, expression='"تامین اجتماعی"'
    )
    services_ingest.ingest(
        [
            RawPost("telegram:film", "1", FILM, AT),
            RawPost("telegram:repost", "1", f"{FILM}\n#تامین_اجتماعی", AT),
            RawPost("telegram:news", "1", f"{ORG}\n#تامین_اجتماعی", AT),
        ]
    )

    film = Story.objects.get(posts__source__handle="film")
    news = Story.objects.get(posts__source__handle="news")
    assert Story.objects.get(posts__source__handle="repost") == film
    assert list(
        Match.objects.order_by("post__source__handle").values_list("post__source__handle", "in_tags_only")
    ) == [
        ("news", False),
        ("repost", True),
    ]
    assert (story_relevance(film).score, story_relevance(film).relevant) == (5, False)
    assert (story_relevance(news).score, story_relevance(news).relevant) == (10, True)
    # The "why" panel shows the points the query counted, and says they came from a tag alone.
    assert [(r.weight, r.tags_only, r.in_best) for r in story_relevance(film).reasons] == [(5, True, True)]
    assert [(r.weight, r.tags_only, r.in_best) for r in story_relevance(news).reasons] == [(10, False, True)]
    assert story_matches([film.pk, news.pk]) == {
        film.pk: (frozenset({org.pk}), 5),
        news.pk: (frozenset({org.pk}), 10),
    }
    assert list(Story.objects.filter(story_relevant_q()).values_list("pk", flat=True)) == [news.pk]
    assert list(relevant(Post.objects.all()).values_list("source__handle", flat=True)) == ["news"]
