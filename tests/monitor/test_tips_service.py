"""The public tipline: validation, the hourly limit per session, joining the copied story, and the one
e-mail each sender gets when the answer is published (after which their address is gone)."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from tabyin.core.models import User
from tabyin.core.models_public import PublicNotice
from tabyin.monitor.enums import TipStatus
from tabyin.monitor.models import Response, Story, Tip
from tabyin.monitor.responses import services_tips
from tests.monitor.answering import (
    PUBLISHED,
    RUMOR,
    T0,
    BotApi,
    approved,
    publish,
)

pytestmark = pytest.mark.usefixtures("answering")


@pytest.fixture(autouse=True)
def empty_counters(db: Any) -> None:
    caches["shared"].clear()


def submit(text: str = RUMOR, *, link: str = "", contact: str = "", session: str = "s1") -> Tip:
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        return services_tips.tip_submit(text=text, link=link, contact=contact, session_key=session)


def test_a_tip_that_copies_a_rumor_joins_its_story(rumor: Story) -> None:
    tip = submit(link="https://t.me/hostile_news/101", contact="reader@example.com")

    tip.refresh_from_db()
    assert (tip.status, tip.contact, tip.link, tip.text) == (
        TipStatus.LINKED,
        "reader@example.com",
        "https://t.me/hostile_news/101",
        RUMOR,
    )
    assert tip.post is not None
    assert (tip.post.source.key, tip.post.post_id, tip.post.story_id) == (
        "tipline:public",
        f"tip-{tip.pk}",
        rumor.pk,
    )
    # The tip arrived hours after the rumor; when its copy was published is unknown.
    origin = Story.objects.get(pk=rumor.pk).origin_post_id
    assert (tip.post.date_unknown, origin) == (True, rumor.origin_post_id)


def test_a_new_item_starts_its_own_story(db: Any) -> None:
    tip = submit("شنیده‌ام شعبهٔ مرکزی تبریز از فردا تعطیل است؛ درست است؟")
    assert tip.post is not None
    assert tip.post.story.post_count == 1
    assert tip.status == TipStatus.LINKED


@pytest.mark.parametrize(
    ("text", "link", "contact", "errors"),
    [
        ("   ", "", "", {"text": ["Write or paste the item you want to ask about."]}),
        ("ا" * 4001, "", "", {"text": ["Please keep this under 4000 characters."]}),
        (
            "متن",
            "ftp://example.com/x",
            "",
            {"link": ["Enter a web address that starts with http:// or https://."]},
        ),
        (
            "متن",
            "javascript:alert(1)",
            "",
            {"link": ["Enter a web address that starts with http:// or https://."]},
        ),
        (
            "متن",
            "",
            "09121234567",
            {"contact": ["Enter an e-mail address such as name@example.com, or leave it empty."]},
        ),
    ],
)
def test_validation(db: Any, text: str, link: str, contact: str, errors: dict[str, list[str]]) -> None:
    with pytest.raises(ValidationError) as raised:
        submit(text, link=link, contact=contact)
    assert raised.value.message_dict == errors
    assert Tip.objects.count() == 0


def test_exactly_4000_characters_are_accepted(db: Any) -> None:
    assert len(submit("ا" * 4000).text) == 4000


@override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=2)
def test_the_hourly_limit_is_per_session(db: Any) -> None:
    submit("یک", session="a")
    submit("دو", session="a")
    with pytest.raises(services_tips.TooManyTipsError):
        submit("سه", session="a")
    submit("سه", session="b")
    with time_machine.travel(T0 + timedelta(hours=3, minutes=30), tick=False):
        assert (services_tips.tips_left("a"), services_tips.tips_left("b")) == (0, 1)
    with time_machine.travel(T0 + timedelta(hours=4, minutes=1), tick=False):  # an hour later: counted afresh
        assert services_tips.tips_left("a") == 2
    assert sorted(Tip.objects.values_list("text", flat=True)) == sorted(["یک", "دو", "سه"])


@override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=2, TABYIN_MONITOR_TIPS_SITE_PER_HOUR=3)
def test_the_site_wide_limit_counts_every_session_together(db: Any) -> None:
    for n, session in enumerate(["a", "b", "c"]):
        submit(f"خبر {n}", session=session)
    with pytest.raises(services_tips.TooManyTipsError) as refused:
        submit("خبر ۴", session="d")
    assert refused.value.site_wide is True
    with pytest.raises(services_tips.TooManyTipsError) as own:
        submit("خبر ۵", session="a")  # only its second this hour: the site-wide limit refuses it
    assert own.value.site_wide is True
    assert Tip.objects.count() == 3


def test_invalid_tips_do_not_use_up_the_limit(db: Any) -> None:
    with override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=1), pytest.raises(ValidationError):
        submit("")
    with override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=1):
        assert submit("یک").pk


def test_senders_are_told_once_and_their_address_is_erased(
    rumor: Story,
    hq_analyst: User,
    manager: User,
    bot_api: BotApi,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = submit(contact="first@example.com", session="a")
    second = submit(RUMOR + " !!", contact="second@example.com", session="b")
    silent = submit(session="c")
    other = submit(
        "خبر دیگری دربارهٔ تعطیلی شعبه‌های استان فارس در روز جمعه", contact="other@example.com", session="d"
    )

    done = publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.com", "second@example.com"]
    message = mail.outbox[0]
    with translation.override("fa"):  # senders are written to in Persian, whatever the request's language
        assert message.subject == gettext("Your question has been answered")
    assert f"https://tamin.example/clarifications/{done.pk}/" in message.body
    assert "مستمری بازنشستگان متوقف نمی‌شود" in message.body
    got = {t.pk: t for t in Tip.objects.all()}
    assert [
        (got[t.pk].status, got[t.pk].contact, got[t.pk].notified_at) for t in (first, second, silent, other)
    ] == [
        (TipStatus.ANSWERED, "", PUBLISHED),
        (TipStatus.ANSWERED, "", PUBLISHED),
        (TipStatus.ANSWERED, "", None),
        (TipStatus.LINKED, "other@example.com", None),
    ]
    # Running again (a retried task) sends nothing more.
    assert services_tips.tips_notify(response=Response.objects.get(pk=done.pk)) == 0
    assert len(mail.outbox) == 2


def test_a_failed_e_mail_keeps_the_address_for_the_next_try(
    rumor: Story, hq_analyst: User, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    tip = submit(contact="reader@example.com")
    response = approved(rumor, hq_analyst, manager)

    def down(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(services_tips, "send_mail", down)
    assert services_tips.tips_notify(response=response) == 0
    tip.refresh_from_db()
    assert (tip.contact, tip.notified_at, tip.status) == ("reader@example.com", None, TipStatus.LINKED)
    monkeypatch.undo()
    assert services_tips.tips_notify(response=response) == 1
    tip.refresh_from_db()
    assert (tip.contact, tip.status) == ("", TipStatus.ANSWERED)
    # Both tries are in core's ledger: one notice in the tip's inbox, its e-mail tried twice.
    notice = PublicNotice.objects.get(mailbox__app="monitor", mailbox__ref=f"tip-{tip.pk}")
    assert (notice.key, notice.title, notice.body) == (
        f"answered-{response.pk}",
        "به پرسش شما پاسخ داده شد",
        response.title,
    )
    assert [(d.channel, d.state, d.attempts) for d in notice.deliveries.order_by("id")] == [
        ("inbox", "sent", 1),
        ("email", "sent", 2),
    ]
