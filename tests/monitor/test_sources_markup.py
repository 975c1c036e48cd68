"""Telegram and Eitaa preview pages written from the markup open-source scrapers read: every field the
adapters take (id, text with line breaks, links and ZWNJ, views, time, edited, forward, media-only and
service messages, paging), and dates read from feeds, articles and pages without inventing one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import override_settings
from pytest_httpserver import HTTPServer

from tabyin.monitor import sources
from tabyin.monitor.sources import SourceState
from tabyin.monitor.sources.rss import feed
from tabyin.monitor.sources.telegram import preview
from tabyin.monitor.sources.web import article

SAMPLES = Path(sources.__file__).parent
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
ZWNJ = "\u200c"


def _page(name: str, *, kind: str = "telegram", channel: str = "akhbarefori") -> preview.Page:
    html = (SAMPLES / name).read_bytes()
    prefix = "etme" if kind == "eitaa" else "tgme"
    return preview.parse_page(html, kind=kind, channel=channel, prefix=prefix, now=NOW)


def test_telegram_message_kinds_are_read_field_by_field() -> None:
    page = _page("telegram/samples/akhbarefori-kinds.html")
    assert (page.title, page.before) == ("خبر فوری", 48222)
    got = [(i.post_id, i.views, i.published_at, i.edited, i.date_unknown) for i in page.items]
    assert got == [
        ("48222", None, datetime(2024, 5, 1, 10, 0, tzinfo=UTC), False, False),
        ("48223", 8600, datetime(2024, 5, 1, 10, 5, tzinfo=UTC), False, False),
        ("48224", 4400, datetime(2024, 5, 1, 10, 12, 30, tzinfo=UTC), False, False),
        # A video's duration is a <time> too: the date is the one in the date link.
        ("48225", 21900, datetime(2024, 5, 1, 10, 20, tzinfo=UTC), False, False),
        ("48226", 3000, datetime(2024, 5, 1, 10, 31, tzinfo=UTC), True, False),
        ("48227", 640, datetime(2024, 5, 1, 10, 40, tzinfo=UTC), False, False),
    ]  # fmt: skip
    assert [i.url for i in page.items] == [f"https://t.me/akhbarefori/{n}" for n in range(48222, 48228)]
    texts = [i.text for i in page.items]
    assert texts == [
        "",  # "Channel photo updated" is a service message, not a post
        # The reply's quoted text is the other post's, not this one's; &zwnj; and emoji are kept.
        f"❗️ تکمیلی: سازمان تأمین اجتماعی ابطال دفترچه{ZWNJ}ها را تکذیب کرد.\n#تکذیب #بیمه",
        # The link preview's title and description are the linked page's, not the post's.
        "گزارش کامل را بخوانید:\nhttps://www.irna.ir/news/85012345/",
        "",  # a video without caption
        "متن کامل بخشنامه افزایش مستمری",  # a document's caption, without the file name
        "",  # "Please open Telegram to view this post"
    ]
    assert {i.source_name for i in page.items} == {"خبر فوری"}


def test_eitaa_page_is_read_field_by_field() -> None:
    page = _page("eitaa/samples/tamin_news.html", kind="eitaa", channel="tamin_news")
    assert (page.title, page.before) == ("اخبار تأمین اجتماعی", 9118)
    got = [(i.post_id, i.views, i.published_at, i.edited, i.forwarded_from, i.url) for i in page.items]
    assert got == [
        ("9118", 15312, datetime(2024, 5, 1, 7, 40, tzinfo=UTC), False, "", "https://eitaa.com/tamin_news/9118"),
        ("9119", 1234, datetime(2024, 5, 1, 8, 1, 40, tzinfo=UTC), False, "", "https://eitaa.com/tamin_news/9119"),
        ("9120", 2104000, datetime(2024, 5, 1, 8, 35, tzinfo=UTC), False, "eitaa:farsna/287711",
         "https://eitaa.com/tamin_news/9120"),
        # No data-post: the id is the wrap's; no data-count: the rounded «۱٫۲ هزار» is all there is.
        ("9121", 1200, datetime(2024, 5, 1, 9, 10, 15, tzinfo=UTC), False, "", "https://eitaa.com/tamin_news/9121"),
        ("9122", 987, datetime(2024, 5, 1, 9, 30, tzinfo=UTC), False, "", "https://eitaa.com/tamin_news/9122"),
    ]  # fmt: skip
    assert [i.text for i in page.items] == [
        "",  # a photo without caption
        (
            f"📌 زمان واریز عیدی بازنشستگان اعلام شد\nواریز از ۲۵ اسفند آغاز می{ZWNJ}شود و نیازی به مراجعه"
            " حضوری نیست.\n\nجزئیات: tamin.ir/news/1234\n🆔 @tamin_news"
        ),
        f"شایعه تعطیلی بیمارستان{ZWNJ}های ملکی تأمین اجتماعی در شیراز صحت ندارد",
        f"ویدئو | صف طولانی بیمه{ZWNJ}شدگان مقابل شعبه ۱۲",
        "",  # a document without caption
    ]
    assert {(i.source, i.date_unknown) for i in page.items} == {("eitaa:tamin_news", False)}


@pytest.mark.parametrize(
    ("shown", "views"),
    [("۱٫۲ هزار", 1200), ("1.2 هزار", 1200), ("2.1 میلیون", 2100000), ("12.5K", 12500), ("۹۸۷", 987)],
)
def test_view_counts_in_persian(shown: str, views: int) -> None:
    assert preview.parse_views(shown) == views


MESSAGE = (
    '<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="c/{id}">'
    '<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text">متن {id}'
    ' <a href="https://t.me/s/other?before=5">پیوند</a></div>'
    '<span class="tgme_widget_message_meta">{meta}</span></div></div></div>'
)


def test_a_message_whose_time_cannot_be_read_keeps_the_fetch_time_flagged() -> None:
    html = "".join(
        [
            MESSAGE.format(id=1, meta='<a class="tgme_widget_message_date" href="https://t.me/c/1">'
                           '<time datetime="1403-02-12T08:00:00+00:00" class="time">08:00</time></a>'),
            MESSAGE.format(id=2, meta='<a class="tgme_widget_message_date" href="https://t.me/c/2">'
                           '<time class="time">08:00</time></a>'),
            MESSAGE.format(id=3, meta=""),
        ]
    )  # fmt: skip
    page = preview.parse_page(html, kind="telegram", channel="c", now=NOW)
    assert [(i.post_id, i.published_at, i.date_unknown, i.date_raw) for i in page.items] == [
        # A Jalali year in the datetime attribute: read as Jalali, 12 Ordibehesht 1403.
        ("1", datetime(2024, 5, 1, 8, 0, tzinfo=UTC), False, ""),
        ("2", NOW, True, "08:00"),
        ("3", NOW, True, ""),
    ]
    # A "?before=" link inside a post's text, to another channel, is not this page's paging link.
    assert page.before is None


def test_eitaa_backfill_follows_the_pages_own_older_link(httpserver: HTTPServer) -> None:
    html = (SAMPLES / "eitaa/samples/tamin_news.html").read_bytes()
    older = MESSAGE.replace("tgme_", "etme_").format(
        id=9117,
        meta='<a class="etme_widget_message_date" href="https://eitaa.com/tamin_news/9117">'
        '<time datetime="2024-05-01T07:00:00+00:00" class="time">07:00</time></a>',
    )
    httpserver.expect_request("/tamin_news", query_string="").respond_with_data(
        html, content_type="text/html"
    )
    httpserver.expect_request("/tamin_news", query_string="before=9118").respond_with_data(
        older, content_type="text/html"
    )
    result = sources.adapter_for("eitaa").fetch(
        SourceState(kind="eitaa", handle="tamin_news", url=httpserver.url_for("/tamin_news"), cursor="9116")
    )
    assert ([i.post_id for i in result.items], result.cursor, result.requests) == (
        ["9117", "9119", "9120", "9121"],
        "9122",
        2,
    )


def test_jalali_feed_dates_are_read_and_unreadable_ones_are_flagged() -> None:
    items, _ = feed.parse((SAMPLES / "rss/samples/jalali.xml").read_bytes(), source="rss:example", now=NOW)
    assert [(i.post_id, i.published_at, i.date_unknown, i.date_raw) for i in items] == [
        # «۱۴۰۳/۰۳/۱۲ - ۱۲:۳۰» in Tehran; feedparser alone makes it 1403-12-01 00:00 UTC.
        ("101", datetime(2024, 6, 1, 9, 0, tzinfo=UTC), False, ""),
        ("102", datetime(2024, 6, 1, 9, 15, tzinfo=UTC), False, ""),  # «1403-03-12 12:45»
        ("103", datetime(2024, 6, 4, 4, 35, tzinfo=UTC), False, ""),  # «سه‌شنبه ۱۵ خرداد ۱۴۰۳ ساعت ۰۸:۰۵»
        ("104", datetime(2024, 5, 29, 20, 30, tzinfo=UTC), False, ""),  # «۱۰ خرداد ۱۴۰۳», midnight in Tehran
        ("105", NOW, True, "دیروز"),
        ("106", NOW, True, ""),  # no pubDate at all
        ("107", datetime(2024, 6, 1, 9, 0, tzinfo=UTC), False, ""),  # RFC 822 with +0330
    ]


@override_settings(TABYIN_MONITOR_DATE_MIN_YEAR=2025)
def test_the_rss_adapter_applies_the_configured_window(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss").respond_with_data(
        (SAMPLES / "rss/samples/isna.xml").read_bytes(), content_type="application/rss+xml"
    )
    result = sources.adapter_for("rss").fetch(
        SourceState(kind="rss", handle="isna", url=httpserver.url_for("/rss"))
    )
    # Dated 2024: before the window, so stored as date unknown with the date the feed wrote.
    assert [(i.date_unknown, i.date_raw) for i in result.items] == [
        (True, "Wed, 01 May 2024 08:15:00 GMT"),
        (True, "Wed, 01 May 2024 07:40:12 GMT"),
        (True, "Tue, 30 Apr 2024 21:05:00 GMT"),
    ]


def test_an_article_without_a_date_is_flagged(httpserver: HTTPServer) -> None:
    html = (SAMPLES / "web/samples/hamshahri-article.html").read_text()
    undated = html.replace("article:published_time", "article:section").replace("2024-05-01", "")
    httpserver.expect_request("/dated").respond_with_data(html, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/undated").respond_with_data(undated, content_type="text/html; charset=utf-8")
    dated = article.article_post(httpserver.url_for("/dated"), source="paste:staff", now=NOW)
    assert (dated.published_at, dated.date_unknown) == (datetime(2024, 5, 1, 8, 15, tzinfo=UTC), False)
    item = article.article_post(httpserver.url_for("/undated"), source="paste:staff", now=NOW)
    assert (item.published_at, item.date_unknown) == (NOW, True)
