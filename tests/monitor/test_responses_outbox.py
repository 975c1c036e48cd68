"""With a campaigns app installed, a published answer goes out through the campaigns outbox: once
per answer, with the monitor's approval carried over, its deliveries in the outbox's ledger, a
failure retried with backoff and reported, and the state shown on the monitor's response page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tabyin.campaigns.enums import DeliveryState, MessageState
from tabyin.campaigns.outbox import services as outbox
from tabyin.campaigns.outbox import services_delivery
from tabyin.campaigns.outbox.channels.sinks import BotSink
from tabyin.campaigns.outbox.models import Delivery, Message, ShortLink
from tabyin.core.models import AuditEntry, User
from tabyin.monitor.models import Publication, Source, Story
from tabyin.monitor.responses import services as services_responses
from tabyin.monitor.responses import services_publish
from tests.conftest import verified_client
from tests.monitor.answering import ANSWER_BODY, ANSWER_TITLE, PUBLISHED, BotApi, approved, publish

pytestmark = pytest.mark.usefixtures("answering")


@pytest.fixture
def outbox_sink(settings: Any) -> Iterator[BotSink]:
    """The outbox's owned channels: Telegram and Eitaa configured, Bale not."""
    with BotSink() as server:
        for name in ("TELEGRAM", "EITAA"):
            setattr(settings, f"TABYIN_CAMPAIGNS_{name}_API_BASE", server.url)
            setattr(settings, f"TABYIN_CAMPAIGNS_{name}_TOKEN", f"tok-{name.lower()}")
            setattr(settings, f"TABYIN_CAMPAIGNS_{name}_CHAT", f"@tamin_{name.lower()}")
        settings.TABYIN_CAMPAIGNS_BALE_CHAT = ""
        yield server


def test_an_approved_answer_goes_out_through_the_outbox_once(
    *,
    rumor: Story,
    hq_analyst: User,
    manager: User,
    channels: list[Source],
    bot_api: BotApi,
    outbox_sink: BotSink,
    django_capture_on_commit_callbacks: Any,
) -> None:
    answer = approved(rumor, hq_analyst, manager)
    done = publish(answer, manager, django_capture_on_commit_callbacks)
    done.refresh_from_db()

    # The monitor sent nothing by itself and kept no publication rows.
    assert bot_api.sent == []
    assert Publication.objects.count() == 0
    message = Message.objects.get()
    assert (message.origin_key, message.state, message.title, message.body) == (
        f"monitor-response-{done.pk}",
        MessageState.RELEASED,
        ANSWER_TITLE,
        ANSWER_BODY,
    )
    assert (message.author, message.approved_by, message.approved_at) == (None, manager, done.approved_at)
    assert message.channels == ["telegram", "eitaa"]
    assert message.campaign.standing is True
    rows = Delivery.objects.order_by("channel")
    assert [(d.channel, d.target, d.key, d.state, d.external_id) for d in rows] == [
        ("eitaa", "@tamin_eitaa", f"campaign-{message.pk}-eitaa-@tamin_eitaa", DeliveryState.SENT, "2"),
        (
            "telegram",
            "@tamin_telegram",
            f"campaign-{message.pk}-telegram-@tamin_telegram",
            DeliveryState.SENT,
            "1",
        ),
    ]
    assert [r.token for r in outbox_sink.state.received] == ["tok-telegram", "tok-eitaa"]
    # Each channel's short link leads to the monitor's public clarification page.
    links = dict(ShortLink.objects.values_list("channel", "target"))
    assert links == {
        "telegram": f"https://tamin.example/clarifications/{done.pk}/?ref=telegram",
        "eitaa": f"https://tamin.example/clarifications/{done.pk}/?ref=eitaa",
    }
    # The approval was carried over, and the audit says where it was given.
    entry = AuditEntry.objects.get(object_type="campaigns.message")
    assert (entry.actor_username, entry.after["origin"], entry.after["state"]) == (
        "hq.manager",
        f"monitor-response-{done.pk}",
        "approved",
    )
    assert entry.after["approval"] == f"تأییدشده به دست {manager} در پایش: بازبینی پاسخ به شایعه"
    staff = verified_client(manager).get(f"/staff/campaigns/messages/{message.pk}/").content.decode()
    # The origin is said in words; its key is data, never shown (the Persian-reader crawl).
    assert 'data-testid="origin"' in staff and f"monitor-response-{done.pk}" not in staff

    # Publishing again is refused by the monitor; handing it again, or approving it in the
    # outbox, sends nothing more.
    with pytest.raises(ValidationError):
        services_responses.response_publish(actor=manager, response=done)
    with django_capture_on_commit_callbacks(execute=True):
        assert services_publish.hand_to_outbox(response=done) == (f"/staff/campaigns/messages/{message.pk}/")
    with pytest.raises(ValidationError):
        outbox.message_approve(actor=manager, message=message)
    assert (Message.objects.count(), Delivery.objects.count(), len(outbox_sink.state.received)) == (1, 2, 2)


def test_a_failure_is_retried_by_the_outbox_and_the_page_shows_it(
    *,
    rumor: Story,
    hq_analyst: User,
    manager: User,
    bot_api: BotApi,
    outbox_sink: BotSink,
    django_capture_on_commit_callbacks: Any,
) -> None:
    outbox_sink.state.refuse.add("tok-eitaa")
    done = publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)
    message = Message.objects.get()
    eitaa = message.deliveries.get(channel="eitaa")
    assert (eitaa.state, eitaa.attempts, eitaa.last_error) == (
        DeliveryState.PENDING,
        1,
        "refused (HTTP 401): Unauthorized",
    )
    assert eitaa.next_attempt_at == PUBLISHED + timedelta(minutes=1)

    client = verified_client(manager)
    page = client.get(f"/en/staff/monitor/responses/{rumor.pk}/").content.decode()
    assert f'href="/en/staff/campaigns/messages/{message.pk}/" data-testid="outbox-link"' in page
    assert "refused (HTTP 401): Unauthorized" in page
    assert 'data-testid="publications"' not in page
    fa = client.get(f"/staff/monitor/responses/{rumor.pk}/").content.decode()
    link = f'<a href="/staff/campaigns/messages/{message.pk}/" data-testid="outbox-link">'
    assert f"{link}این پیام در صندوق ارسال</a>" in fa
    assert '<td>کانال تلگرام</td><td class="status-ok">فرستاده‌شده' in fa

    # The outbox's sweep retries it; once the channel takes it, it is sent.
    outbox_sink.state.refuse.clear()
    with (
        time_machine.travel(PUBLISHED + timedelta(seconds=61), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert outbox.outbox_sweep(now=timezone.now()) == {"released": 0, "queued": 1}
    eitaa.refresh_from_db()
    assert (eitaa.state, eitaa.attempts, eitaa.last_error) == (DeliveryState.SENT, 2, "")

    # A channel that keeps failing is reported failed, on the outbox's page and the monitor's.
    outbox_sink.state.refuse.add("tok-telegram")
    Delivery.objects.filter(channel="telegram").update(state=DeliveryState.PENDING, attempts=0)
    now = timezone.now()
    for _ in range(services_delivery.MAX_ATTEMPTS):
        services_delivery.deliver(message_id=message.pk, channel="telegram", now=now)
        now = message.deliveries.get(channel="telegram").next_attempt_at or now
    state = services_publish.outbox_state(done)
    assert state is not None
    assert [(c.channel, c.sent, c.pending, c.failed, c.last_error) for c in state.channels] == [
        ("telegram", 0, 0, 1, "refused (HTTP 401): Unauthorized"),
        ("eitaa", 1, 0, 0, ""),
    ]
