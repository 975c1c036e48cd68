"""Adapters on recorded real-format samples: exact ids, texts, views, dates, edits and forwards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import translation
from pytest_httpserver import HTTPServer

from tabyin.monitor import sources
from tabyin.monitor.sources import FetchError, SourceState
from tabyin.monitor.sources.eitaa.channel import EitaaAdapter
from tabyin.monitor.sources.rss import feed
from tabyin.monitor.sources.telegram import preview
from tabyin.monitor.sources.telegram.preview import TelegramAdapter
from tabyin.monitor.sources.telethon import account
from tabyin.monitor.sources.web import article

SAMPLES = Path(sources.__file__).parent
TELEGRAM = (SAMPLES / "telegram/samples/akhbarefori.html").read_bytes()
TELEGRAM_OLDER = (SAMPLES / "telegram/samples/akhbarefori-before-48210.html").read_bytes()
ZWNJ = "\u200c"


def test_telegram_preview_page_is_read_exactly() -> None:
    page = preview.parse_page(TELEGRAM, kind="telegram", channel="akhbarefori")
    assert page.title == "خبر فوری"
    got = [(i.post_id, i.views, i.published_at, i.edited, i.forwarded_from) for i in page.items]
    assert got == [
        ("48210", 1200, datetime(2024, 5, 1, 8, 1, 40, tzinfo=UTC), False, ""),
        ("48211", 15300, datetime(2024, 5, 1, 8, 20, 5, tzinfo=UTC), False, "telegram:farsna/345678"),
        ("48212", 987, datetime(2024, 5, 1, 8, 45, tzinfo=UTC), True, ""),
        # Forwarded from a hidden account: no post to point at.
        ("48213", 1100000, datetime(2024, 5, 1, 9, 2, 30, tzinfo=UTC), False, ""),
        ("48214", 2400, datetime(2024, 5, 1, 9, 10, tzinfo=UTC), False, ""),
        ("48215", 312, datetime(2024, 5, 1, 9, 15, 59, tzinfo=UTC), False, ""),
    ]
    first = page.items[0]
    assert first.text == (
        f"🔴 فوری\n\nسازمان تأمین اجتماعی: مستمری اردیبهشت بازنشستگان از فردا واریز "
        f"می{ZWNJ}شود.\n\n@akhbarefori"
    )
    assert page.items[1].text == (
        f"آیا درست است که دفترچه{ZWNJ}های بیمه از ماه آینده باطل می{ZWNJ}شود؟\n"
        "معاون درمان: این خبر صحت ندارد."
    )
    assert page.items[4].text == ""  # a photo without caption
    assert (first.source, first.url, first.source_name) == (
        "telegram:akhbarefori",
        "https://t.me/akhbarefori/48210",
        "خبر فوری",
    )


@pytest.mark.parametrize(
    ("shown", "views"),
    [
        ("1.2K", 1200),
        ("15.3K", 15300),
        ("987", 987),
        ("1.1M", 1100000),
        ("2K", 2000),
        ("۱۲۴۰", 1240),
        ("", None),
    ],
)
def test_view_counts_as_shown_become_numbers(shown: str, views: int | None) -> None:
    assert preview.parse_views(shown) == views


def _serve_channel(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/s/akhbarefori", query_string="").respond_with_data(
        TELEGRAM, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/s/akhbarefori", query_string="before=48210").respond_with_data(
        TELEGRAM_OLDER, content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/s/akhbarefori")


def test_backfill_follows_older_pages_down_to_the_cursor(httpserver: HTTPServer) -> None:
    url = _serve_channel(httpserver)
    result = TelegramAdapter().fetch(
        SourceState(kind="telegram", handle="akhbarefori", url=url, cursor="48207")
    )
    # 48208..48215 are newer than the cursor; 48214 has no text but moves the cursor.
    assert [i.post_id for i in result.items] == [
        "48208",
        "48209",
        "48210",
        "48211",
        "48212",
        "48213",
        "48215",
    ]
    assert (result.cursor, result.requests, result.source_name) == ("48215", 2, "خبر فوری")


def test_first_poll_reads_one_page_and_a_known_cursor_reads_nothing_old(httpserver: HTTPServer) -> None:
    url = _serve_channel(httpserver)
    first = TelegramAdapter().fetch(SourceState(kind="telegram", handle="akhbarefori", url=url))
    assert ([i.post_id for i in first.items], first.cursor, first.requests) == (
        ["48210", "48211", "48212", "48213", "48215"],
        "48215",
        1,
    )
    again = TelegramAdapter().fetch(
        SourceState(kind="telegram", handle="akhbarefori", url=url, cursor="48215")
    )
    assert (again.items, again.cursor, again.requests) == ([], "48215", 1)


def test_backfill_stops_at_the_page_limit(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _serve_channel(httpserver)
    monkeypatch.setattr(preview, "BACKFILL_PAGES", 1)
    result = TelegramAdapter().fetch(
        SourceState(kind="telegram", handle="akhbarefori", url=url, cursor="48100")
    )
    assert (result.items[0].post_id, result.requests) == ("48210", 1)


def test_eitaa_adapter_reads_its_page(httpserver: HTTPServer) -> None:
    html = (SAMPLES / "eitaa/samples/tamin_news.html").read_bytes()
    httpserver.expect_request("/tamin_news").respond_with_data(html, content_type="text/html")
    result = EitaaAdapter().fetch(
        SourceState(kind="eitaa", handle="tamin_news", url=httpserver.url_for("/tamin_news"))
    )
    # 9118 (a photo) and 9122 (a document) have no caption: read for the cursor, not stored.
    assert ([i.post_id for i in result.items], result.cursor) == (["9119", "9120", "9121"], "9122")


def test_a_page_without_posts_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/s/nochannel").respond_with_data("<html><body>Telegram</body></html>")
    with pytest.raises(FetchError) as caught:
        TelegramAdapter().fetch(
            SourceState(kind="telegram", handle="nochannel", url=httpserver.url_for("/s/nochannel"))
        )
    assert (
        str(caught.value)
        == "No channel posts were found on the page: the channel may not exist or be private."
    )
    assert caught.value.raw == b"<html><body>Telegram</body></html>"


def test_rss_feed_items_are_exact() -> None:
    items, title = feed.parse((SAMPLES / "rss/samples/isna.xml").read_bytes(), source="rss:isna")
    assert title == "ایسنا - خبرگزاری دانشجویان ایران"
    assert [(i.post_id, i.published_at, i.url) for i in items] == [
        ("1403021107531", datetime(2024, 5, 1, 8, 15, tzinfo=UTC), "https://www.isna.ir/news/1403021107531/"),
        (
            "1403021106980",
            datetime(2024, 5, 1, 7, 40, 12, tzinfo=UTC),
            "https://www.isna.ir/news/1403021106980/",
        ),
        (
            "1403021105112",
            datetime(2024, 4, 30, 21, 5, tzinfo=UTC),
            "https://www.isna.ir/news/1403021105112/",
        ),
    ]
    assert items[1].text == (
        f"صف نوبت{ZWNJ}دهی درمانگاه{ZWNJ}های تأمین اجتماعی در تهران کوتاه{ZWNJ}تر شد\n"
        f"به گفته مدیر درمان استان تهران، نوبت{ZWNJ}دهی اینترنتی\n"
        f"از این هفته برای همه درمانگاه{ZWNJ}ها فعال است."
    )
    assert items[2].text == "جزئیات بیمه بیکاری کارگران فصلی اعلام شد"


def test_atom_feed_items_are_exact() -> None:
    items, title = feed.parse((SAMPLES / "rss/samples/atom.xml").read_bytes(), source="rss:independent")
    assert title == "ایندیپندنت فارسی"
    assert [(i.post_id, i.published_at) for i in items] == [
        ("https://www.independentpersian.com/node/401234", datetime(2024, 5, 1, 6, 50, tzinfo=UTC))
    ]
    assert items[0].text == (
        f"گزارش: تأخیر در پرداخت مطالبات داروخانه{ZWNJ}ها\n"
        f"داروخانه{ZWNJ}داران می{ZWNJ}گویند مطالبات چند ماه گذشته هنوز پرداخت نشده است."
    )


def test_article_text_keeps_the_zwnj_that_trafilatura_alone_drops() -> None:
    import trafilatura

    html = (SAMPLES / "web/samples/hamshahri-article.html").read_text()
    assert f"می{ZWNJ}شود" not in (trafilatura.extract(html) or "")  # the reason for the placeholder
    title, text, published = article.extract(html)
    assert title == "جزئیات افزایش مستمری بازنشستگان تأمین اجتماعی"
    assert published == "2024-05-01T11:45:00+03:30"  # as the page writes it: pipeline.dates reads it
    assert f"مستمری{ZWNJ}بگیران" in text
    # Written as &zwnj; in the page: kept as well.
    assert (
        f"پرداخت می{ZWNJ}شود و بازنشستگان برای دریافت آن نیازی به مراجعه حضوری به شعبه{ZWNJ}ها ندارند."
        in text
    )
    assert "\ufffc" not in text
    assert "اخبار مرتبط" not in text and "کلیه حقوق" not in text


def test_article_post_from_a_link(httpserver: HTTPServer) -> None:
    html = (SAMPLES / "web/samples/hamshahri-article.html").read_bytes()
    httpserver.expect_request("/news/845512/").respond_with_data(
        html, content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/news/845512/")
    item = article.article_post(url, source="paste:staff")
    assert (item.source, item.post_id, item.url) == ("paste:staff", article.post_id_for(url), url)
    assert item.text.startswith("جزئیات افزایش مستمری بازنشستگان تأمین اجتماعی\nمدیرعامل سازمان")
    assert article.post_id_for(url + "#comments") == item.post_id


def _message(**fields: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "id": 48300,
        "message": "خبر تازه درباره مستمری",
        "date": datetime(2024, 5, 2, 6, 0, tzinfo=UTC),
        "views": 5400,
        "edit_date": None,
        "fwd_from": None,
    }
    return SimpleNamespace(**{**base, **fields})


def test_telethon_messages_map_to_items() -> None:
    forwarded = _message(
        id=48301,
        edit_date=datetime(2024, 5, 2, 6, 5, tzinfo=UTC),
        fwd_from=SimpleNamespace(
            from_id=SimpleNamespace(channel_id=1006939659), channel_post=345678, from_name=None
        ),
    )
    item = account.to_raw_post(forwarded, channel="akhbarefori", usernames={1006939659: "farsna"})
    assert item is not None
    assert (item.source, item.post_id, item.views, item.edited, item.forwarded_from, item.url) == (
        "telegram:akhbarefori",
        "48301",
        5400,
        True,
        "telegram:farsna/345678",
        "https://t.me/akhbarefori/48301",
    )
    plain = account.to_raw_post(_message(), channel="akhbarefori")
    assert plain is not None and (plain.edited, plain.forwarded_from, plain.text) == (
        False,
        "",
        "خبر تازه درباره مستمری",
    )
    # Forward from a channel whose username is unknown: no key to guess.
    unknown = account.to_raw_post(forwarded, channel="akhbarefori")
    assert unknown is not None and unknown.forwarded_from == ""
    assert account.to_raw_post(_message(message=None), channel="akhbarefori") is None


def test_telethon_adapter_says_what_is_missing() -> None:
    with pytest.raises(FetchError) as caught:
        account.TelethonAdapter().fetch(SourceState(kind="telegram", handle="akhbarefori"))
    assert "TABYIN_TELETHON_API_ID" in str(caught.value)
    assert isinstance(sources.adapter_for("telegram", via_account=True), account.TelethonAdapter)
    with (
        translation.override("en"),
        override_settings(TABYIN_TELETHON_API_ID=123, TABYIN_TELETHON_API_HASH="abc"),
        pytest.raises(FetchError) as caught,
    ):
        account.load_telethon()
    with translation.override("en"):
        message = str(caught.value)
    assert message == (
        "The Telegram account adapter needs the telegram-account extra: "
        "pip install 'tabyin[telegram-account]'."
    )
    assert isinstance(sources.adapter_for("telegram"), TelegramAdapter)
