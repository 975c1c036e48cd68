"""/api/v1/news/'s reads come from the response cache (``outbox.api_cache``): a second read is the
stored copy; a page published through the website delivery (a conditional UPDATE, no signal), an
edit and a deletion show at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from tabyin.campaigns.enums import Channel
from tabyin.campaigns.outbox import api_cache, services, services_delivery
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.models import User

pytestmark = pytest.mark.django_db
LIST = "/api/v1/news/"


def _published(
    campaign: Campaign, author: User, manager: User, title: str, capture: Callable[..., Any]
) -> Message:
    message = services.message_create(
        actor=author, campaign=campaign, title=title, body="ثبت‌نام برخط است.", channels=[Channel.WEBSITE]
    )
    with capture(execute=True):
        services.message_approve(actor=manager, message=message)
    message.refresh_from_db()
    assert message.published_at is not None
    return message


def _titles(response: Any) -> list[str]:
    return [r["title"] for r in json.loads(response.content)["results"]]


@override_settings(TABYIN_SITE_URL="https://tamin.example")
def test_a_second_read_is_the_cached_copy_and_a_publication_shows_at_once(
    campaign: Campaign,
    hq_analyst: User,
    manager: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    older = _published(campaign, hq_analyst, manager, "بیمهٔ اختیاری", django_capture_on_commit_callbacks)
    for path in (LIST, f"{LIST}{older.slug}"):
        first, again = Client().get(path), Client().get(path)
        assert (first.status_code, first["X-Tabyin-Cache"], again["X-Tabyin-Cache"]) == (200, "miss", "hit")
        assert (again.content, again["ETag"]) == (first.content, first["ETag"])
        assert first["Cache-Control"] == "public, max-age=300"
        assert Client().get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    newer = _published(campaign, hq_analyst, manager, "بیمهٔ زنان خانه‌دار", django_capture_on_commit_callbacks)
    listed = Client().get(LIST)
    assert listed["X-Tabyin-Cache"] == "miss"
    assert sorted(_titles(listed)) == ["بیمهٔ اختیاری", "بیمهٔ زنان خانه‌دار"]

    newer.title = "بیمهٔ زنان خانه‌دار (ویرایش)"
    newer.save(update_fields=["title"])
    assert Client().get(f"{LIST}{newer.slug}").json()["title"] == "بیمهٔ زنان خانه‌دار (ویرایش)"
    newer.delete()
    assert _titles(Client().get(LIST)) == ["بیمهٔ اختیاری"]


@override_settings(TABYIN_SITE_URL="https://tamin.example")
def test_the_website_delivery_update_bumps_the_counter(campaign: Campaign, hq_analyst: User) -> None:
    message = services.message_create(
        actor=hq_analyst, campaign=campaign, title="خبر تازه", body="متن.", channels=[Channel.WEBSITE]
    )
    assert (Client().get(LIST).json()["count"], Client().get(LIST)["X-Tabyin-Cache"]) == (0, "hit")
    before = api_cache.version()

    services_delivery._send_website(message, [])

    assert api_cache.version() != before
    after = Client().get(LIST)
    assert (after["X-Tabyin-Cache"], _titles(after)) == ("miss", ["خبر تازه"])
    # Sent again (a retried delivery): already published, nothing changes, the copy stays.
    services_delivery._send_website(message, [])
    assert Client().get(LIST)["X-Tabyin-Cache"] == "hit"


def test_only_the_two_reads_are_wrapped() -> None:
    view = object()
    assert api_cache.api_view("news-list", view) is not view  # type: ignore[arg-type]
    assert api_cache.api_view("anything-else", view) is view  # type: ignore[arg-type]
