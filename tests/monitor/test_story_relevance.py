"""Why a story is here: relevance to the organization from weighted watch queries (a place name
alone is not enough), the matching words marked in the posts, and the tipline and our own
channels left out of the spreaders. Through the real matcher with the default queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor.dashboard import selectors as sd
from tabyin.monitor.enums import QueryKind, SourceKind
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Match, Story, WatchQuery
from tabyin.monitor.pipeline.relevance import highlight, query_terms, spans
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.queries import selectors_relevance
from tabyin.monitor.queries import services as services_queries
from tabyin.monitor.responses import selectors as selectors_responses
from tests.conftest import verified_client
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)
MIN = timedelta(minutes=1)
GOLD = "قیمت طلا و سکه امروز در بازار تهران کاهش یافت"
FESTIVAL = "برگزاری جشنواره فیلم کوتاه دانشجویی در شیراز با حضور ۲۰۰ فیلمساز جوان"
BRANCH = "شعبه جدید تأمین اجتماعی در تهران با ظرفیت خدمت‌رسانی به ۸۰ هزار بیمه‌شده افتتاح شد"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    # The override puts back the language the /en/ requests of a test switch to.
    with time_machine.travel(NOW, tick=False), translation.override("fa"):
        yield


def _ingest(*items: tuple[str, str, str]) -> dict[str, Story]:
    """(source, post id, text) posts an hour ago, through the real pipeline; story by post id."""
    summary = services_ingest.ingest(
        [RawPost(src, pid, text, NOW - H, views=100) for src, pid, text in items]
    )
    return {pid: Story.objects.get(pk=summary.story_ids[(src, pid)]) for src, pid, _ in items}


def _names(story: Story) -> list[str]:
    return sorted(Match.objects.filter(post__story=story).values_list("query__name", flat=True))


@pytest.fixture
def world(org: None) -> dict[str, Story]:
    services_queries.queries_seed_defaults()
    # Ingestion keeps its matcher while the queries' count and latest change are the same: between
    # tests on PostgreSQL (time pinned, ids not reused after a rollback) that is a stale matcher.
    services_ingest._State.matcher = None
    return _ingest(
        ("telegram:tehran_market", "1", GOLD),
        ("telegram:daneshjoo", "2", FESTIVAL),
        ("telegram:akhbar", "3", BRANCH),
    )


def test_a_place_name_alone_does_not_make_a_story_about_the_organization(world: dict[str, Story]) -> None:
    gold, festival, branch = world["1"], world["2"], world["3"]
    # The matcher still says which queries matched: only the provinces' for the first two.
    assert _names(gold) == ["تهران"]
    assert _names(festival) == ["فارس"]
    assert set(_names(branch)) == {"سازمان تأمین اجتماعی", "بیمه‌شدگان", "تهران"}

    off = selectors_relevance.story_relevance(gold)
    assert (off.score, off.threshold, off.relevant) == (0, 10, False)
    assert [(r.name, r.kind, r.weight, r.posts) for r in off.reasons] == [("تهران", "province", 0, 1)]
    on = selectors_relevance.story_relevance(branch)
    assert (on.score, on.relevant) == (14, True)
    assert [(r.name, r.weight) for r in on.reasons] == [
        ("سازمان تأمین اجتماعی", 10),
        ("بیمه‌شدگان", 4),
        ("تهران", 0),
    ]


def test_dashboard_counts_before_and_after(world: dict[str, Story], hq_analyst: User) -> None:
    scope = scope_for(hq_analyst)
    filters = sd.Filters(period="24h")
    # Before: every post matching any query was a "mention of the organization" (3).
    assert sd.filtered_posts(scope, sd.Filters(period="24h", all_matches=True), now=NOW).count() == 3
    d = sd.dashboard(scope=scope, filters=filters, now=NOW, ours_label="ours")
    assert d.total == 1
    assert d.sentiment == {"negative": 0, "neutral": 0, "positive": 1}
    assert [r.story.pk for r in d.stories] == [world["3"].pk]
    assert [c.key for c in d.channels] == ["telegram:akhbar"]
    # Tehran had two "mentions" (the gold price and the branch); Fars had the festival.
    assert [(p.province.code, p.mentions) for p in d.provinces] == [("ir-23", 1)]


def test_weights_and_threshold_are_tunable(world: dict[str, Story], hq_analyst: User) -> None:
    scope = scope_for(hq_analyst)

    def total() -> int:
        return sd.dashboard(scope=scope, filters=sd.Filters(period="24h"), now=NOW, ours_label="o").total

    tehran = WatchQuery.objects.get(kind=QueryKind.PROVINCE, name="تهران")
    services_queries.query_save(
        actor=hq_analyst, query=tehran, name=tehran.name, kind=tehran.kind, expression=tehran.expression,
        province=tehran.province, weight=10,
    )  # fmt: skip
    assert total() == 2  # the gold price now counts: the administrator asked for it
    services_queries.relevance_threshold_set(actor=hq_analyst, threshold=15)
    assert total() == 1  # the branch: 10 + 4 + 10 = 24; the gold price 10 < 15
    assert selectors_relevance.story_relevance(world["3"]).score == 24


def test_the_story_page_says_why_and_marks_the_words(world: dict[str, Story], hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    html = client.get(f"/staff/monitor/stories/{world['1'].pk}/").content.decode()
    assert 'data-testid="off-topic"' in html
    page = client.get(f"/en/staff/monitor/stories/{world['3'].pk}/").content.decode()
    assert "Relevance to the organization: 14 points (a story needs 10)." in page
    assert 'data-testid="on-topic"' in page
    marked = re.findall(
        r'<mark class="mon-hit" title="([^"]+)"><span class="mon-sr">[^<]+</span>([^<]+)</mark>', page
    )
    assert marked[:3] == [
        ("matches the watch query سازمان تأمین اجتماعی", "تأمین اجتماعی"),
        ("matches the watch query تهران", "تهران"),
        ("matches the watch query بیمه‌شدگان", "بیمه‌شده"),
    ]


def test_highlighting_escapes_first_and_follows_the_matcher_folds() -> None:
    text = '<script>x</script> «تامين‌اجتماعي» & "مستمری‌ها"\nدر تهران؛ رقم'
    terms = [
        ("org", query_terms('"تأمین اجتماعی"')),
        ("pension", query_terms("مستمری")),
        ("qom", query_terms("قم")),
    ]
    hits = spans(text, terms)
    assert [(text[h.start : h.end], h.labels) for h in hits] == [
        ("تامين‌اجتماعي", ("org",)),
        ("مستمری", ("pension",)),
    ]
    html = highlight(text, hits, label="query %(queries)s")
    assert html.startswith("&lt;script&gt;x&lt;/script&gt; «<mark")
    assert (
        '<mark class="mon-hit" title="query org"><span class="mon-sr">query org: </span>تامين‌اجتماعي</mark>'
        in html
    )
    assert "&amp; &quot;" in html and "<br>" in html and "رقم" in html
    # A query name with markup in it is escaped in the label too.
    assert "<b>" not in highlight(
        "مستمری", spans("مستمری", [("<b>", query_terms("مستمری"))]), label="%(queries)s"
    )


def test_tipline_and_own_channels_are_not_spreaders(org: None, hq_analyst: User) -> None:
    world = builders.scenario()
    tipline = builders.source("public", kind=SourceKind.TIPLINE, name="سامانه پرسش")
    own = builders.source("sso_official", name="کانال رسمی سازمان", is_owned=True)
    builders.post(tipline, world.rumor, NOW - 10 * MIN, queries=(world.org,))
    builders.post(own, world.rumor, NOW - 5 * MIN, queries=(world.org,))
    builders.story_refresh(world.rumor)
    assert world.rumor.channel_count == 6  # what ingestion stores: every source

    d = sd.dashboard(scope=scope_for(hq_analyst), filters=sd.Filters(period="24h"), now=NOW, ours_label="o")
    assert [(r.story.pk, r.channels) for r in d.stories] == [(world.rumor.pk, 4)]
    assert sorted(c.key for c in d.channels) == [
        "eitaa:isfahan_news", "rss:irna", "telegram:akhbar", "telegram:tehran_news",
    ]  # fmt: skip
    listing = verified_client(hq_analyst).get("/staff/monitor/stories/").content.decode()
    assert re.findall(r'data-testid="story-channels">([^<]+)<', listing) == ["۴"]
    page = verified_client(hq_analyst).get(f"/staff/monitor/stories/{world.rumor.pk}/").content.decode()
    assert 'data-testid="channels">۴<' in page
    reach = page.split('data-testid="reach-table"')[1].split("</table>")[0]
    assert reach.count("<tr>") == 5  # the header and four channels
    assert "سامانه پرسش" not in reach and "کانال رسمی سازمان" not in reach
    assert selectors_responses.spread_comparison(world.rumor, now=NOW).rumor.channels == 4
    response_page = verified_client(hq_analyst).get(f"/staff/monitor/responses/{world.rumor.pk}/")
    assert 'data-testid="channels">۴<' in response_page.content.decode()
    queue = selectors_responses.responses_queue(hq_analyst, now=NOW)
    assert [(r.story.pk, r.channels) for r in queue] == [(world.rumor.pk, 4)]
    # Our own channels do carry our answer: they count for the answer story.
    answer = builders.story("پاسخ سازمان", at=NOW - H, kind="answer")
    builders.spread(answer, [own, tipline], NOW - H)
    assert [r.channels for r in sd.story_rows([answer, world.rumor], now=NOW)] == [1, 4]
