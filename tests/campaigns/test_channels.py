"""How one message reads on each channel, and the senders against a local server that speaks the
Telegram, Bale and Eitaayar APIs (no test reaches the internet)."""

from __future__ import annotations

import pytest

from tabyin.campaigns.outbox.channels import bot, eitaa, formats
from tabyin.campaigns.outbox.channels.base import DeliveryError
from tabyin.campaigns.outbox.channels.sinks import BotSink

LINK = "https://tamin.example/l/Ab3dE5f"


def test_telegram_html_escapes_the_text_and_bolds_the_title() -> None:
    shown = formats.telegram_html(title="بیمه <اختیاری>", body="A & B", link=LINK)
    assert shown.text == f"<b>بیمه &lt;اختیاری&gt;</b>\n\nA &amp; B\n\n{LINK}"
    assert (shown.html, shown.limit, shown.fits) == (True, 4096, True)


def test_bale_and_eitaa_get_plain_text() -> None:
    shown = formats.plain("bale", title="عنوان", body="متن <b>", link=LINK)
    assert shown.text == f"عنوان\n\nمتن <b>\n\n{LINK}"
    assert shown.html is False


def test_a_long_text_is_too_long_for_a_bot() -> None:
    assert formats.telegram_html(title="t", body="x" * 4096, link=LINK).fits is False


def test_sms_parts_count_ucs2() -> None:
    assert [formats.sms_parts("ب" * n) for n in (70, 71, 134, 135)] == [1, 2, 2, 3]


def test_sms_cuts_the_text_at_a_word_and_keeps_the_link() -> None:
    body = " ".join(["کلمه"] * 100)  # 499 characters
    shown = formats.sms(title="عنوان", body=body, link=LINK)
    assert shown.text.startswith("عنوان\nکلمه کلمه")
    assert shown.text.endswith("کلمه…\n" + LINK)
    assert shown.length <= formats.SMS_LIMIT
    assert shown.length == 263  # 6 + 44 words and «…» (225) + 32
    assert shown.parts == 4


def test_a_short_sms_is_one_part() -> None:
    shown = formats.sms(title="بیمه", body="ثبت‌نام برخط", link="https://t.ir/l/a")
    assert shown.text == "بیمه\nثبت‌نام برخط\nhttps://t.ir/l/a"
    assert shown.parts == 1


def test_telegram_send_message_posts_json_with_html_parse_mode() -> None:
    with BotSink() as sink:
        found = bot.send_message(
            base_url=sink.url, token="123:abc", chat_id="@tamin", text="<b>x</b>", html=True
        )
    assert found == "1"
    [received] = sink.state.received
    assert received.path == "/bot123:abc/sendMessage"
    assert received.body == {"chat_id": "@tamin", "text": "<b>x</b>", "parse_mode": "HTML"}


def test_bale_send_message_has_no_parse_mode() -> None:
    with BotSink() as sink:
        bot.send_message(base_url=sink.url, token="t", chat_id="@tamin", text="x", html=False)
    assert sink.state.received[0].body == {"chat_id": "@tamin", "text": "x"}


def test_eitaayar_gets_a_form_with_a_title() -> None:
    with BotSink() as sink:
        found = eitaa.send_message(
            base_url=sink.url, token="eit-1", chat_id="tamin", title="عنوان", text="متن"
        )
    assert found == "1"
    [received] = sink.state.received
    assert received.path == "/eit-1/sendMessage"
    assert received.body == {"chat_id": "tamin", "text": "متن", "title": "عنوان"}


def test_a_refusal_names_the_status_and_never_the_token() -> None:
    with BotSink() as sink:
        sink.state.refuse.add("secret-token")
        with pytest.raises(DeliveryError) as refused:
            bot.send_message(base_url=sink.url, token="secret-token", chat_id="@c", text="x", html=False)
    assert str(refused.value) == "refused (HTTP 401): Unauthorized"


def test_an_unreachable_api_is_a_delivery_error() -> None:
    with BotSink() as sink:
        url = sink.url
    with pytest.raises(DeliveryError) as failed:
        bot.send_message(base_url=url, token="t", chat_id="@c", text="x", html=False)
    assert str(failed.value) == "API not reached: ConnectError"


def test_an_unconfigured_channel_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError) as failed:
        bot.send_message(base_url="http://127.0.0.1:9", token="", chat_id="@c", text="x", html=False)
    assert str(failed.value) == "channel not configured (no token or chat)"
