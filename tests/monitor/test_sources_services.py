"""Configuring sources (validated, audited), importing the example YAML list, pasting items."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from pytest_httpserver import HTTPServer

from tabyin.core.models import AuditEntry, User
from tabyin.monitor import sources
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Post, Source, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.sources import services as services_sources

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian" / "news_sources"
SAMPLES = Path(sources.__file__).parent


def test_source_create_validates_and_audits(hq_analyst: User) -> None:
    source = services_sources.source_create(
        actor=hq_analyst, kind="telegram", handle="@akhbarefori", name="خبر فوری"
    )
    assert (source.key, source.host, source.url, source.next_poll_at is not None) == (
        "telegram:akhbarefori", "t.me", "", True,
    )  # fmt: skip
    assert AuditEntry.objects.filter(object_type="monitor.source", object_id=str(source.pk)).count() == 1
    feed = services_sources.source_create(actor=hq_analyst, kind="rss", url="https://www.isna.ir/rss")
    assert (feed.key, feed.host) == ("rss:isna.ir", "www.isna.ir")
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services_sources.source_create(actor=hq_analyst, kind="telegram", handle="AkhbareFori")
        assert caught.value.message_dict == {"handle": ["This source is already configured."]}
        with pytest.raises(ValidationError) as caught:
            services_sources.source_create(actor=hq_analyst, kind="telegram", handle="a b")
        assert list(caught.value.message_dict) == ["handle"]
        with pytest.raises(ValidationError) as caught:
            services_sources.source_create(actor=hq_analyst, kind="rss", url="ftp://example.org/feed")
        assert caught.value.message_dict == {
            "url": ["Enter an address that starts with https:// or http://."]
        }
        with pytest.raises(ValidationError) as caught:
            services_sources.source_create(actor=hq_analyst, kind="rss")
        assert caught.value.message_dict == {"url": ["A news site needs the address of its feed."]}


def test_only_analysts_and_administrators_configure(tehran_officer: User) -> None:
    with pytest.raises(PermissionDenied):
        services_sources.source_create(actor=tehran_officer, kind="telegram", handle="akhbarefori")


def test_source_update_switching_back_on_polls_now(hq_admin: User) -> None:
    source = services_sources.source_create(actor=hq_admin, kind="eitaa", handle="tamin_news")
    Source.objects.filter(pk=source.pk).update(is_active=False, consecutive_failures=7, next_poll_at=None)
    source.refresh_from_db()
    services_sources.source_update(actor=hq_admin, source=source, is_active=True, name="اخبار تأمین اجتماعی")
    source.refresh_from_db()
    assert (source.is_active, source.consecutive_failures, source.next_poll_at is not None, source.name) == (
        True, 0, True, "اخبار تأمین اجتماعی",
    )  # fmt: skip


def test_import_reads_the_example_list_without_fetching_and_twice_changes_nothing(hq_analyst: User) -> None:
    text = (EXAMPLE / "feeds_and_channels.example.yaml").read_text()
    summary = services_sources.sources_import(actor=hq_analyst, yaml_text=text)
    assert (len(summary.created), summary.updated, summary.errors) == (35, [], [])
    assert Source.objects.filter(kind="rss").count() == 26
    assert Source.objects.filter(kind="telegram").count() == 9
    irna = Source.objects.get(kind="rss", handle="irna")
    assert (irna.url, irna.host, irna.name) == ("https://www.irna.ir/rss", "www.irna.ir", "ایرنا (IRNA)")
    assert Source.objects.get(kind="telegram", handle="Tasnimnews").host == "t.me"
    again = services_sources.sources_import(actor=hq_analyst, yaml_text=text)
    assert (again.created, again.updated, again.errors) == ([], [], [])


def test_import_reports_bad_entries_and_goes_on(hq_analyst: User) -> None:
    text = "rss_feeds:\n  - {id: good, url: 'https://example.org/rss'}\n  - {id: bad, url: 'not a url'}\n"
    with translation.override("en"):
        summary = services_sources.sources_import(actor=hq_analyst, yaml_text=text)
        assert (summary.created, summary.errors) == (
            ["rss:good"], ["rss:bad: Enter an address that starts with https:// or http://."],
        )  # fmt: skip
        with pytest.raises(ValidationError):
            services_sources.sources_import(actor=hq_analyst, yaml_text="rss_feeds: [unclosed")


def test_paste_text_twice_is_one_item(hq_analyst: User) -> None:
    text = "شایعه: دفترچه‌های بیمه از ماه آینده باطل می‌شود"
    first = services_sources.item_paste(actor=hq_analyst, text=text)
    second = services_sources.item_paste(actor=hq_analyst, text=f"  {text}\n")
    assert (first.new, second.new, first.post.pk == second.post.pk) == (True, False, True)
    assert (first.post.source.key, first.post.text) == ("paste:staff", text)


def test_a_pasted_text_has_no_known_date_and_is_never_the_origin(hq_analyst: User) -> None:
    text = "شایعه: دفترچه‌های بیمه از ماه آینده باطل می‌شود و باید دوباره ثبت‌نام کرد"
    pasted = services_sources.item_paste(actor=hq_analyst, text=text).post
    assert (pasted.date_unknown, pasted.date_raw) == (True, "")
    assert Story.objects.get(pk=pasted.story_id).origin_post_id is None
    # The channel it was copied from is read minutes after the paste: the channel is the origin.
    later = pasted.published_at + timedelta(minutes=5)
    services_ingest.ingest([RawPost("telegram:rumors", "7", text, later)])
    story = Story.objects.get(pk=pasted.story_id)
    assert (story.origin_post.source.key, story.first_published_at) == ("telegram:rumors", later)


def test_paste_link_reads_the_article(hq_analyst: User, httpserver: HTTPServer) -> None:
    html = (SAMPLES / "web/samples/hamshahri-article.html").read_bytes()
    httpserver.expect_request("/news/845512/").respond_with_data(
        html, content_type="text/html; charset=utf-8"
    )
    result = services_sources.item_paste(actor=hq_analyst, link=httpserver.url_for("/news/845512/"))
    post = Post.objects.get(pk=result.post.pk)
    assert (post.source.key, post.url) == ("paste:staff", httpserver.url_for("/news/845512/"))
    assert "مستمری\u200cبگیران" in post.text


def test_paste_needs_exactly_one_of_text_and_link(hq_analyst: User, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services_sources.item_paste(actor=hq_analyst, text="x", link="https://example.org")
        assert caught.value.messages == ["Paste either a text or a link, not both."]
        with pytest.raises(ValidationError) as caught:
            services_sources.item_paste(actor=hq_analyst, link=httpserver.url_for("/gone"))
        assert caught.value.message_dict == {"link": ["The server answered with HTTP 404."]}
