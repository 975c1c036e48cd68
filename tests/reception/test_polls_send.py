"""A poll's link sent through the owned channels: written through core's registry as a draft in
the campaigns outbox (a senior manager approves it), only for an open poll, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tabyin.campaigns.outbox.models import Message
from tabyin.core.models import AuditEntry, User
from tabyin.core.registry import registry
from tabyin.reception.polls.enums import PollState
from tests.reception.polls_helpers import make_poll, page_text

pytestmark = pytest.mark.django_db


def test_an_open_poll_is_sent_as_a_draft(hq_analyst: User, staff_client: Any, in_persian: None) -> None:
    poll = make_poll(hq_analyst)
    client = staff_client(hq_analyst)
    page = page_text(client.get(reverse("reception:staff-poll", args=[poll.pk])))
    assert "فرستادن پیوند در کانال‌های سازمان" in page
    sent = client.post(reverse("reception:staff-poll-send", args=[poll.pk]))
    message = Message.objects.get()
    assert (sent.status_code, sent["Location"]) == (302, reverse("campaigns:message", args=[message.pk]))
    link = f"{settings.TABYIN_SITE_URL}/reception/polls/{poll.pk}/"
    assert message.title == poll.title
    assert message.body == f"توضیح ما روشن بود؟ با یک لمس و بی‌نیاز به حساب کاربری پاسخ دهید.\n\n{link}"
    assert message.author == hq_analyst
    entry = AuditEntry.objects.filter(object_type__endswith="poll").order_by("-pk").first()
    assert entry is not None and entry.after == {"sent_as_draft": sent["Location"], "link": link}


def test_a_closed_poll_is_not_sent_and_nobody_sending_is_said(
    hq_analyst: User, tehran_officer: User, staff_client: Any, in_persian: None
) -> None:
    poll = make_poll(hq_analyst, state=PollState.CLOSED)
    client = staff_client(hq_analyst)
    refused = client.post(reverse("reception:staff-poll-send", args=[poll.pk]), follow=True)
    assert "پیش از فرستادن پیوند نظرسنجی، آن را باز کنید." in page_text(refused)
    assert Message.objects.count() == 0
    opened = make_poll(hq_analyst)
    saved = registry.publisher
    registry.publisher = None
    try:
        none = client.post(reverse("reception:staff-poll-send", args=[opened.pk]), follow=True)
    finally:
        registry.publisher = saved
    assert "هیچ بخشی از این سایت به کانال‌های سازمان پیام نمی‌فرستد." in page_text(none)
    # A provincial officer reads results but sends nothing.
    officer = staff_client(tehran_officer)
    assert officer.post(reverse("reception:staff-poll-send", args=[opened.pk])).status_code == 403
    assert Message.objects.count() == 0
