"""Reach collected back honestly: the views of our own posts, read by the monitor's reader of public
preview pages (recorded pages on a local server) through core's registry, kept per delivery and
shown on the campaign page; what nothing measures stays «نامعلوم»."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone
from pytest_httpserver import HTTPServer

from tabyin.campaigns.enums import Channel
from tabyin.campaigns.outbox import selectors, services, services_reach
from tabyin.campaigns.outbox.channels.sinks import BotSink
from tabyin.campaigns.outbox.models import Delivery, ShortLink
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.models import User
from tabyin.monitor.models import Source
from tests.conftest import verified_client

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "tabyin" / "monitor" / "sources"
Capture = Callable[..., Any]


@pytest.fixture
def previews(db: Any, httpserver: HTTPServer) -> HTTPServer:
    """Our Telegram and Eitaa channels' recorded preview pages, where the monitor follows them."""
    caches["shared"].clear()
    for kind, handle, sample in (
        ("telegram", "akhbarefori", "telegram/samples/akhbarefori.html"),
        ("eitaa", "tamin_news", "eitaa/samples/tamin_news.html"),
    ):
        Source.objects.create(kind=kind, handle=handle, url=httpserver.url_for(f"/{handle}"), is_owned=True)
        httpserver.expect_request(f"/{handle}").respond_with_data(
            (SAMPLES / sample).read_bytes(), content_type="text/html"
        )
    return httpserver


def test_views_of_our_posts_are_read_from_their_public_pages_and_shown_per_post(
    *,
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    settings: Any,
    previews: HTTPServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TABYIN_CAMPAIGNS_TELEGRAM_CHAT = "@akhbarefori"
    settings.TABYIN_CAMPAIGNS_EITAA_CHAT = "@tamin_news"
    settings.TABYIN_CAMPAIGNS_BALE_CHAT = "@tamin_bale"
    message = services.message_create(
        actor=hq_analyst,
        campaign=campaign,
        title="بیمهٔ اختیاری",
        body="ثبت‌نام برخط است.",
        channels=[Channel.TELEGRAM, Channel.BALE, Channel.EITAA, Channel.SMS],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    # The recorded pages hold posts 48212 (Telegram) and 9120 (Eitaa): the Bot APIs answered those ids.
    Delivery.objects.filter(channel=Channel.TELEGRAM).update(external_id="48212")
    Delivery.objects.filter(channel=Channel.EITAA).update(external_id="9120")
    before = {p.channel: (p.address, p.views) for p in selectors.posts(campaign=campaign)}
    assert before == {
        Channel.TELEGRAM: ("https://t.me/akhbarefori/48212", None),
        Channel.BALE: ("https://ble.ir/tamin_bale/2", None),
        Channel.EITAA: ("https://eitaa.com/tamin_news/9120", None),
    }
    now = timezone.now()
    assert services_reach.views_read(now=now) == {"read": 2, "unknown": 1}
    asked = sorted((r.path, r.query_string.decode()) for r, _ in previews.log)
    assert asked == [("/akhbarefori", "before=48213"), ("/tamin_news", "before=9121")]
    posts = {p.channel: (p.views, p.read_at) for p in selectors.posts(campaign=campaign)}
    assert posts == {
        Channel.TELEGRAM: (987, now),
        Channel.BALE: (None, None),
        Channel.EITAA: (2_104_000, now),
    }
    reach = {r.channel: (r.delivered, r.views) for r in selectors.reach(campaign=campaign)}
    assert reach == {
        Channel.TELEGRAM: (1, 987),
        Channel.BALE: (1, None),
        Channel.EITAA: (1, 2_104_000),
        Channel.SMS: (0, None),  # no SMS subscriber: nothing delivered, its link counted
    }

    # Within the hour nothing is asked again; an hour later each post is read once more.
    assert services_reach.views_read(now=now + timedelta(minutes=59)) == {"read": 0, "unknown": 1}
    assert len(previews.log) == 2
    assert services_reach.views_read(now=now + timedelta(hours=1)) == {"read": 2, "unknown": 1}
    # A page that cannot be read keeps the last count and its time; a month on, nothing is read.
    previews.clear()
    previews.expect_request("/akhbarefori").respond_with_data("down", status=502)
    later = now + timedelta(hours=2)
    assert services_reach.views_read(now=later) == {"read": 0, "unknown": 3}
    kept = Delivery.objects.get(channel=Channel.TELEGRAM)
    assert (kept.views, kept.views_read_at) == (987, now + timedelta(hours=1))
    assert services_reach.views_read(now=now + timedelta(days=31)) == {"read": 0, "unknown": 0}

    html = verified_client(manager).get(f"/staff/campaigns/{campaign.pk}/").content.decode()
    table = html[html.index('data-testid="posts"') :]
    assert '<tr data-channel="telegram">' in table
    assert "<td>۹۸۷</td>" in table
    assert "<td>۲٬۱۰۴٬۰۰۰</td>" in table
    assert table.count('<span class="unknown">نامعلوم</span>') == 1  # Bale's post
    assert 'href="https://t.me/akhbarefori/48212"' in table


def test_a_channel_named_by_number_has_no_public_post_and_asks_nothing(
    *,
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    settings: Any,
    previews: HTTPServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TABYIN_CAMPAIGNS_TELEGRAM_CHAT = "-1001234567890"
    message = services.message_create(
        actor=hq_analyst, campaign=campaign, title="عنوان", body="متن", channels=[Channel.TELEGRAM]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    assert services_reach.views_read(now=timezone.now()) == {"read": 0, "unknown": 1}
    assert previews.log == []
    assert [(p.address, p.views) for p in selectors.posts(campaign=campaign)] == [(None, None)]


def test_each_channel_carries_its_own_code_and_its_clicks_are_counted_without_who(
    *,
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    client: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    message = services.message_create(
        actor=hq_analyst,
        campaign=campaign,
        title="بیمهٔ اختیاری",
        body="ثبت‌نام برخط است.",
        channels=[Channel.TELEGRAM, Channel.EITAA],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    codes = dict(ShortLink.objects.filter(message=message).values_list("channel", "code"))
    assert sorted(codes) == [Channel.EITAA, Channel.TELEGRAM]
    assert codes[Channel.TELEGRAM] != codes[Channel.EITAA]
    sent = {r.token: r.body["text"] for r in sink.state.received}
    assert sent["tok-telegram"].endswith(f"https://tamin.example/l/{codes[Channel.TELEGRAM]}")
    assert sent["tok-eitaa"].endswith(f"https://tamin.example/l/{codes[Channel.EITAA]}")

    # Core's middleware forgets every request's user agent and address: a click is a count only.
    for _ in range(2):
        answer = client.get(f"/l/{codes[Channel.TELEGRAM]}", headers={"User-Agent": "TelegramBot"})
        assert answer.status_code == 302
        assert answer["Location"] == f"https://tamin.example/news/{message.slug}/?ref=telegram"
    assert client.head(f"/l/{codes[Channel.EITAA]}").status_code == 302  # a link checker: not counted
    client.get(f"/l/{codes[Channel.EITAA]}")
    assert dict(ShortLink.objects.values_list("channel", "clicks")) == {
        Channel.TELEGRAM: 2,
        Channel.EITAA: 1,
    }
    # The count is all that is kept: the link's row has no field for an address, agent or time.
    assert {f.name for f in ShortLink._meta.get_fields()} == {
        "id",
        "code",
        "message",
        "channel",
        "target",
        "clicks",
    }
    reach = {r.channel: r.clicks for r in selectors.reach(campaign=campaign)}
    assert reach == {Channel.TELEGRAM: 2, Channel.EITAA: 1}


def test_the_views_are_read_by_a_periodic_task() -> None:
    from tabyin.core import background

    assert background.schedule()["campaigns.read_views"].every == timedelta(minutes=15)
