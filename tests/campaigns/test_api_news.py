"""/api/v1/news/: the campaigns' published news pages, listed newest first and read one by one
without a key; a draft is nowhere; problems for unknown and malformed addresses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client, override_settings

from tabyin.campaigns.enums import Channel
from tabyin.campaigns.outbox import services
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.models import User

pytestmark = pytest.mark.django_db
FIRST = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _published(
    campaign: Campaign, author: User, manager: User, title: str, capture: Callable[..., Any]
) -> Message:
    message = services.message_create(
        actor=author,
        campaign=campaign,
        title=title,
        body="ثبت‌نام برخط است.\nبیشتر بخوانید.",
        channels=[Channel.WEBSITE],
    )
    with capture(execute=True):
        services.message_approve(actor=manager, message=message)
    message.refresh_from_db()
    assert message.published_at is not None
    return message


@override_settings(TABYIN_SITE_URL="https://tamin.example")
def test_published_news_are_listed_and_read_without_a_key(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    older = _published(campaign, hq_analyst, manager, "بیمهٔ اختیاری", django_capture_on_commit_callbacks)
    newer = _published(campaign, hq_analyst, manager, "بیمهٔ زنان خانه‌دار", django_capture_on_commit_callbacks)
    Message.objects.filter(pk=older.pk).update(published_at=FIRST)
    Message.objects.filter(pk=newer.pk).update(published_at=SECOND)
    services.message_create(
        actor=hq_analyst, campaign=campaign, title="پیش‌نویس", body="هنوز نه.", channels=[Channel.WEBSITE]
    )

    def shown(message: Message, title: str, at: datetime) -> dict[str, Any]:
        return {
            "slug": message.slug,
            "title": title,
            "body": "ثبت‌نام برخط است.\nبیشتر بخوانید.",
            "image_url": "",
            "published_at": at.isoformat(),
            "url": f"https://tamin.example/news/{message.slug}/",
        }

    listed = Client().get("/api/v1/news/")
    assert json.loads(listed.content) == {
        "count": 2,
        "page": 1,
        "pages": 1,
        "results": [shown(newer, "بیمهٔ زنان خانه‌دار", SECOND), shown(older, "بیمهٔ اختیاری", FIRST)],
    }
    one = Client().get(f"/api/v1/news/{older.slug}")
    assert (one.status_code, json.loads(one.content)) == (200, shown(older, "بیمهٔ اختیاری", FIRST))


def test_a_draft_or_unknown_page_is_a_problem(campaign: Campaign, hq_analyst: User) -> None:
    draft = services.message_create(
        actor=hq_analyst, campaign=campaign, title="پیش‌نویس", body="هنوز نه.", channels=[Channel.WEBSITE]
    )
    missing = Client().get(f"/api/v1/news/{draft.slug}", HTTP_ACCEPT_LANGUAGE="fa")
    body = json.loads(missing.content)
    assert (missing.status_code, body["type"], body["title"], body["detail"]) == (
        404,
        "/api/v1/docs#problem-not-found",
        "چیزی در این نشانی پیدا نشد",
        "خبر منتشرشده‌ای در این نشانی نیست.",
    )
    malformed = Client().get("/api/v1/news/?page=0", HTTP_ACCEPT_LANGUAGE="fa")
    assert (malformed.status_code, json.loads(malformed.content)["title"]) == (
        422,
        "برخی از بخش‌های درخواست درست نیست",
    )
