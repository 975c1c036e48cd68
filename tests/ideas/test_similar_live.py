"""Similar ideas while typing: a JSON answer for the submit page's script, the same search as the
step before sending, for a verified author only, throttled."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import selectors, views
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tests.ideas.helpers import make_challenge, verify

pytestmark = pytest.mark.django_db
URL = "/ideas/c/queues/send/similar/"
MINUTE = datetime(2026, 12, 7, 21, 30, 5, tzinfo=UTC)
ASKED = "نوبت دهي پيامكي براي بيمه شدگان"  # Arabic yeh/kaf, spaces for ZWNJ


def _earlier(title: str, status: str, n: int) -> Entry:
    now = timezone.now()
    return Entry.objects.create(
        challenge=Challenge.objects.get(),
        title=title,
        body="",
        author_hash=f"x{n}",
        contact_kind="phone",
        contact="+989120000009",
        follow_hash=f"s{n}",
        fingerprint=f"s{n}",
        status=status,
        created_at=now,
        updated_at=now,
    )


def _author() -> Client:
    client = Client()
    verify(client, "author", "09123456789", "+989123456789")
    return client


def test_the_same_search_as_the_step_answers_while_typing(org: None) -> None:
    make_challenge()
    shown = _earlier("نوبت‌دهی پیامکی برای بیمه‌شدگان", EntryStatus.ACCEPTED, 1)
    _earlier("نوبت‌دهی پیامکی برای بیمه‌شدگان شعبه", EntryStatus.SUBMITTED, 2)
    _earlier("نوبت‌دهی پیامکی برای بیمه‌شدگان", EntryStatus.REJECTED, 3)
    _earlier("باجهٔ ویژهٔ کارهای پنج‌دقیقه‌ای", EntryStatus.ACCEPTED, 4)
    client = _author()
    response = client.get(URL, {"q": ASKED})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content) == {
        "similar": [
            {"title": "نوبت‌دهی پیامکی برای بیمه‌شدگان", "url": f"/ideas/c/queues/entries/{shown.pk}/"},
            {"title": "نوبت‌دهی پیامکی برای بیمه‌شدگان شعبه", "url": None},
        ]
    }
    # The step before sending finds the same entries, in the same order.
    step = selectors.similar_entries(shown.challenge, ASKED)
    assert [e.title for e, _s in step] == [
        "نوبت‌دهی پیامکی برای بیمه‌شدگان",
        "نوبت‌دهی پیامکی برای بیمه‌شدگان شعبه",
    ]
    assert json.loads(client.get(URL, {"q": "نوبت"}).content) == {"similar": []}  # too short


def test_only_a_verified_author_may_ask_and_not_too_often(org: None, monkeypatch: pytest.MonkeyPatch) -> None:
    make_challenge()
    caches["default"].clear()
    # One fixed minute, so the count cannot roll over half-way through the test.
    monkeypatch.setattr(views, "timezone", SimpleNamespace(now=lambda: MINUTE))
    refused = Client().get(URL, {"q": ASKED})
    assert refused.status_code == 403
    assert json.loads(refused.content) == {"error": "نخست راه تماس خود را تأیید کنید."}
    client = _author()
    codes = [client.get(URL, {"q": ASKED}).status_code for _ in range(selectors.LIVE_PER_MINUTE + 1)]
    assert codes == [200] * selectors.LIVE_PER_MINUTE + [429]
    over = client.get(URL, {"q": ASKED})
    assert json.loads(over.content) == {"error": "پرسش‌ها بیش از اندازه است؛ یک دقیقه صبر کنید."}
    assert client.post(URL, {"q": ASKED}).status_code == 405


def test_no_answer_outside_the_submission_phase(org: None) -> None:
    make_challenge(phase="jury")
    client = Client()
    assert client.get(URL, {"q": ASKED}).status_code == 403


def test_the_form_page_loads_the_script_and_has_the_live_region(org: None) -> None:
    make_challenge()
    page = _author().get("/ideas/c/queues/send/").content.decode()
    assert '<script src="/static/tabyin/js/ideas-similar.js" defer></script>' in page
    assert f'id="similar-live" aria-live="polite" data-testid="similar-live" data-url="{URL}"' in page
    assert 'data-heading="ورودی‌های همانندی که پیش‌تر فرستاده شده"' in page


def test_the_throttle_counts_per_author_and_minute() -> None:
    caches["default"].clear()
    allowed = [selectors.live_allowed("a", MINUTE) for _ in range(selectors.LIVE_PER_MINUTE + 2)]
    assert allowed.count(True) == selectors.LIVE_PER_MINUTE and allowed[-2:] == [False, False]
    assert selectors.live_allowed("b", MINUTE) is True  # another author
    assert selectors.live_allowed("a", MINUTE + timedelta(minutes=1)) is True  # the next minute
