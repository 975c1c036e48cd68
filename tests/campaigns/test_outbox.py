"""One message to every owned channel: approval, the ledger, retries with backoff, idempotency,
against a local server that speaks the messenger APIs, a real SMTP server and the console SMS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from tabyin.campaigns.enums import Channel, DeliveryState, MessageState
from tabyin.campaigns.outbox import (
    selectors,
    services,
    services_delivery,
    services_newsletter,
    services_reach,
)
from tabyin.campaigns.outbox.channels.sinks import BotSink
from tabyin.campaigns.outbox.models import Delivery, Message, ShortLink, Subscriber
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.core.sms import console
from tests.monitor.smtp_server import SMTPServer

BOTS = [Channel.TELEGRAM, Channel.BALE, Channel.EITAA]
Capture = Callable[..., Any]


def _write(campaign: Campaign, author: User, channels: list[str], **extra: Any) -> Message:
    return services.message_create(
        actor=author,
        campaign=campaign,
        title="بیمهٔ اختیاری",
        body="ثبت‌نام برخط است.",
        channels=channels,
        **extra,
    )


def test_the_author_never_approves_and_an_analyst_cannot(
    campaign: Campaign, hq_analyst: User, manager: User
) -> None:
    own = _write(campaign, manager, [Channel.WEBSITE])
    with pytest.raises(PermissionDenied) as refused:
        services.message_approve(actor=manager, message=own)
    assert str(refused.value) == "نویسندهٔ پیام نمی‌تواند آن را تأیید کند؛ مدیر ارشد دیگری باید تأیید کند."
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.message_approve(actor=manager, message=own)
    assert str(refused.value) == "The author of a message cannot approve it; another senior manager must."
    other = _write(campaign, hq_analyst, [Channel.WEBSITE])
    with pytest.raises(PermissionDenied):
        services.message_approve(actor=hq_analyst, message=other)
    assert Delivery.objects.count() == 0
    assert set(Message.objects.values_list("state", flat=True)) == {MessageState.DRAFT}


def test_approval_sends_to_every_bot_and_publishes_the_news_page(
    *,
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    django_capture_on_commit_callbacks: Capture,
    client: Any,
) -> None:
    message = _write(campaign, hq_analyst, [Channel.WEBSITE, *BOTS])
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    message.refresh_from_db()
    assert message.state == MessageState.RELEASED
    rows = {d.channel: d for d in message.deliveries.all()}
    every = [Channel.WEBSITE, *BOTS]
    assert {c: (d.state, d.attempts, d.last_error) for c, d in rows.items()} == dict.fromkeys(
        every, (DeliveryState.SENT, 1, "")
    )
    assert rows[Channel.WEBSITE].external_id == f"https://tamin.example/news/{message.slug}/"
    telegram = next(r for r in sink.state.received if r.token == "tok-telegram")
    code = ShortLink.objects.get(message=message, channel=Channel.TELEGRAM).code
    assert telegram.body == {
        "chat_id": "@tamin_telegram",
        "text": f"<b>بیمهٔ اختیاری</b>\n\nثبت‌نام برخط است.\n\nhttps://tamin.example/l/{code}",
        "parse_mode": "HTML",
    }
    eitaa = next(r for r in sink.state.received if r.token == "tok-eitaa")
    assert eitaa.path == "/tok-eitaa/sendMessage"
    assert eitaa.body["title"] == "بیمهٔ اختیاری"
    page = client.get(f"/news/{message.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta property="og:title" content="بیمهٔ اختیاری · ' in html
    assert '<meta property="og:description" content="ثبت‌نام برخط است.">' in html


def test_a_draft_has_no_public_page(campaign: Campaign, hq_analyst: User, client: Any) -> None:
    message = _write(campaign, hq_analyst, [Channel.WEBSITE])
    assert client.get(f"/news/{message.slug}/").status_code == 404


def test_releasing_twice_sends_nothing_twice(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    message = _write(campaign, hq_analyst, BOTS)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.message_release(message_id=message.pk, now=timezone.now()) is False
        for channel in BOTS:
            services_delivery.deliver(message_id=message.pk, channel=channel)
    assert len(sink.state.received) == 3
    assert Delivery.objects.filter(message=message).count() == 3


def test_a_failure_is_retried_with_backoff_and_then_sent(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    message = _write(campaign, hq_analyst, [Channel.TELEGRAM])
    sink.state.fail_next = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    row = message.deliveries.get()
    assert (row.state, row.attempts, row.last_error) == (
        DeliveryState.PENDING,
        1,
        "refused (HTTP 502): Bad Gateway",
    )
    assert row.next_attempt_at == start + timedelta(minutes=1)
    with (
        time_machine.travel(start + timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.outbox_sweep(now=timezone.now()) == {"released": 0, "queued": 0}
    with (
        time_machine.travel(start + timedelta(seconds=61), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.outbox_sweep(now=timezone.now()) == {"released": 0, "queued": 1}
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error, row.external_id) == (DeliveryState.SENT, 2, "", "1")


def test_a_channel_that_keeps_failing_is_reported_failed_not_dropped(
    campaign: Campaign, hq_analyst: User, manager: User, sink: BotSink
) -> None:
    sink.state.refuse.add("tok-bale")
    message = _write(campaign, hq_analyst, [Channel.BALE])
    services.message_approve(actor=manager, message=message)  # tasks wait for a commit that never comes
    now = timezone.now()
    waits = []
    for _ in range(services_delivery.MAX_ATTEMPTS):
        services_delivery.deliver(message_id=message.pk, channel=Channel.BALE, now=now)
        row = message.deliveries.get()
        waits.append(int((row.next_attempt_at - now).total_seconds()))
        now = row.next_attempt_at
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert (row.state, row.attempts, row.last_error) == (
        DeliveryState.FAILED,
        8,
        "refused (HTTP 401): Unauthorized",
    )
    [ledger] = selectors.ledger(message=message)
    assert (ledger.sent, ledger.pending, ledger.failed) == (0, 0, 1)


def test_a_scheduled_message_waits_for_its_time(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    later = timezone.now() + timedelta(hours=2)
    message = _write(campaign, hq_analyst, [Channel.TELEGRAM], send_at=later)
    services.message_approve(actor=manager, message=message)
    message.refresh_from_db()
    assert (message.state, message.deliveries.count()) == (MessageState.APPROVED, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_sweep(now=later - timedelta(seconds=1))["released"] == 0
        assert services.outbox_sweep(now=later)["released"] == 1
    assert message.deliveries.get().state == DeliveryState.SENT


def test_the_newsletter_over_real_smtp_with_one_click_unsubscribe(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TABYIN_SITE_URL = "https://tamin.example"
    for n, confirmed in ((1, True), (2, True), (3, False)):
        Subscriber.objects.create(
            channel=Channel.NEWSLETTER,
            address=f"r{n}@example.org",
            token=f"tok{n}",
            confirmed_at=timezone.now() if confirmed else None,
        )
    message = _write(campaign, hq_analyst, [Channel.NEWSLETTER])
    with SMTPServer() as smtp:
        settings.MAILERS = smtp.mailers()
        with django_capture_on_commit_callbacks(execute=True):
            services.message_approve(actor=manager, message=message)
    assert sorted(m.recipients[0] for m in smtp.mailbox.messages) == ["r1@example.org", "r2@example.org"]
    first = next(m.message for m in smtp.mailbox.messages if m.recipients == ["r1@example.org"])
    assert first["List-Unsubscribe"] == "<https://tamin.example/newsletter/unsubscribe/tok1/>"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = Delivery.objects.get(message=message, target="r1@example.org")
    assert first["Message-ID"].startswith(f"<campaign-delivery-{row.pk}@")
    assert str(first["Subject"]) == "بیمهٔ اختیاری"
    assert Delivery.objects.filter(message=message, state=DeliveryState.SENT).count() == 2


def test_sms_goes_through_core_with_the_delivery_key(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TABYIN_SITE_URL = "https://tamin.example"
    settings.TABYIN_SMS_BACKEND = "tabyin.core.sms.console.ConsoleBackend"
    console.clear()
    services_newsletter.sms_subscriber_add(number="۰۹۱۲ ۳۴۵ ۶۷۸۹")
    message = _write(campaign, hq_analyst, [Channel.SMS])
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    [sent] = console.OUTBOX
    code = ShortLink.objects.get(message=message, channel=Channel.SMS).code
    assert sent.to == "+989123456789"
    assert sent.text == f"بیمهٔ اختیاری\nثبت‌نام برخط است.\nhttps://tamin.example/l/{code}"
    assert sent.idempotency_key == f"campaign-{message.pk}-sms-+989123456789"
    assert message.deliveries.get().external_id == "console-1"
    console.clear()


def test_short_links_count_clicks_per_channel_and_views_stay_unknown(
    *,
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    sink: BotSink,
    client: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    message = _write(campaign, hq_analyst, [Channel.TELEGRAM, Channel.BALE])
    with django_capture_on_commit_callbacks(execute=True):
        services.message_approve(actor=manager, message=message)
    code = ShortLink.objects.get(message=message, channel=Channel.TELEGRAM).code
    for _ in range(3):
        answer = client.get(f"/l/{code}")
    assert answer.status_code == 302
    assert answer["Location"] == f"https://tamin.example/news/{message.slug}/?ref=telegram"
    assert client.get("/l/nothere").status_code == 404
    reach = {r.channel: (r.delivered, r.clicks, r.views) for r in selectors.reach(campaign=campaign)}
    assert reach == {Channel.TELEGRAM: (1, 3, None), Channel.BALE: (1, 0, None)}
    # A reader of public previews (the monitor's, through the registry) knows Telegram's posts only.
    monkeypatch.setattr(
        registry, "post_views", [lambda url: 950 if url == "https://t.me/tamin_telegram/1" else None]
    )
    assert services_reach.views_read(now=timezone.now()) == {"read": 1, "unknown": 1}
    reach = {r.channel: r.views for r in selectors.reach(campaign=campaign)}
    assert reach == {Channel.TELEGRAM: 950, Channel.BALE: None}


def test_double_opt_in_and_one_click_unsubscribe(
    db: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/newsletter/", {"email": "Reader@Example.org"})
    assert answer.status_code == 200
    subscriber = Subscriber.objects.get(address="reader@example.org")
    assert subscriber.confirmed_at is None
    [mail] = mailoutbox
    assert f"/newsletter/confirm/{subscriber.token}/" in mail.body
    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert client.get(f"/newsletter/confirm/{subscriber.token}/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    assert client.post(f"/newsletter/confirm/{subscriber.token}/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    # A second sign-up of a confirmed address sends nothing and says the same.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/", {"email": "reader@example.org"})
    assert len(mailoutbox) == 1
    # RFC 8058: the mail client's POST carries no cookie and no CSRF token.
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(f"/newsletter/unsubscribe/{subscriber.token}/", {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert strict.post("/newsletter/unsubscribe/wrong/").status_code == 404
