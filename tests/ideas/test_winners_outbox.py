"""Confirmed winners go to the campaigns outbox as one draft awaiting a senior manager's approval
(through ``registry.publish_draft``); with no app to send them they stay queued."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tabyin.campaigns.outbox import services, services_delivery
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.core.registry import registry
from tabyin.ideas.results.models import Announcement
from tests import factories
from tests.conftest import verified_client
from tests.ideas.test_organizer_results import _judged

pytestmark = pytest.mark.django_db
TEXT = "برگزیدگان چالش اعلام شدند."
Capture = Callable[..., AbstractContextManager[Any]]
# 15 Azar 1405, 13:30 in Tehran.
SENT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def test_confirming_winners_writes_one_outbox_draft(
    org: None, hq_analyst: User, django_capture_on_commit_callbacks: Capture
) -> None:
    challenge, ranked = _judged(hq_analyst)
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/winners/"
    with translation.override("fa"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"winners": [ranked[0]], "message": TEXT})
    assert response.status_code == 302
    message = Message.objects.get()
    link = f"{settings.TABYIN_SITE_URL}/ideas/c/{challenge.slug}/results/"
    assert (message.title, message.body, message.state) == (
        f"برگزیدگان «{challenge.title}»",
        f"{TEXT}\n\n{link}",
        "draft",
    )
    assert (message.author_id, message.approved_by_id) == (hq_analyst.pk, None)
    assert message.channels == ["website", "telegram", "bale", "eitaa", "newsletter", "sms"]
    campaign = Campaign.objects.get()
    assert (campaign.standing, message.campaign_id) == (True, campaign.pk)
    row = Announcement.objects.get(challenge=challenge)
    assert (row.channel_state, row.draft_url) == ("approval", f"/staff/campaigns/messages/{message.pk}/")
    audited = AuditEntry.objects.filter(object_type="ideas.announcement", object_id=str(row.pk))
    assert [e.after.get("channel_state") for e in audited.order_by("pk")] == [None, "approval"]
    assert AuditEntry.objects.filter(object_type="campaigns.message", object_id=str(message.pk)).count() == 1
    with translation.override("fa"):
        page = client.get(url).content.decode()
    assert "فرستاده شده برای تأیید مدیر ارشد در پیام‌های کارزار" in page
    assert f'href="/staff/campaigns/messages/{message.pk}/"' in page


def test_without_a_publisher_the_announcement_stays_queued(
    org: None,
    hq_analyst: User,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "publisher", None)
    challenge, ranked = _judged(hq_analyst)
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/winners/"
    with translation.override("fa"), django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"winners": [ranked[0]], "message": TEXT})
    row = Announcement.objects.get(challenge=challenge)
    assert (row.channel_state, row.draft_url) == ("queued", "")
    assert Message.objects.count() == 0
    assert 'data-testid="draft-link"' not in client.get(url).content.decode()


def test_the_announcement_learns_when_the_outbox_sent_it(
    org: None, hq_analyst: User, django_capture_on_commit_callbacks: Capture
) -> None:
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    challenge, ranked = _judged(hq_analyst)
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/winners/"
    with translation.override("fa"), django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"winners": [ranked[0]], "message": TEXT})
    message = Message.objects.get()
    # Approved and released; nothing has gone out yet, so nothing is announced.
    services.message_approve(actor=manager, message=message)
    row = Announcement.objects.get(challenge=challenge)
    assert (row.channel_state, row.sent_at) == ("approval", None)
    public = f"/ideas/c/{challenge.slug}/results/"
    assert 'data-testid="announced-on"' not in Client().get(public).content.decode()
    # Another app's draft going out changes nothing here.
    registry.draft_published("/staff/campaigns/messages/999999/", SENT)
    # The website delivery publishes the news page: the announcement records when.
    assert services_delivery.deliver(message_id=message.pk, channel="website", now=SENT) == {
        "sent": 1,
        "failed": 0,
    }
    row.refresh_from_db()
    assert (row.channel_state, row.sent_at) == ("sent", SENT)
    audited = AuditEntry.objects.filter(object_type="ideas.announcement", object_id=str(row.pk)).order_by(
        "pk"
    )
    assert audited.last().after == {"channel_state": "sent", "sent_at": SENT.isoformat()}  # type: ignore[union-attr]
    # A later channel's delivery (or a second batch) keeps the first time.
    registry.draft_published(row.draft_url, SENT + timedelta(hours=2))
    row.refresh_from_db()
    assert row.sent_at == SENT and audited.count() == 3
    with translation.override("fa"):
        page = Client().get(public).content.decode()
        staff = client.get(url).content.decode()
    announced = "از راه کانال‌های سازمان در ۱۵ آذر ۱۴۰۵، ۱۳:۳۰ اعلام شد."
    assert announced in page and 'data-testid="announced-on"' in page
    assert announced in staff and "در کانال‌های سازمان فرستاده شد" in staff
    assert "مدیر ارشد پیش‌نویس را تأیید می‌کند" not in staff


def test_a_failing_listener_does_not_stop_the_outbox(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def broken(address: str, when: datetime) -> None:
        raise RuntimeError(address)

    monkeypatch.setattr(registry, "published", [broken, lambda address, when: seen.append(address)])
    registry.draft_published("/staff/campaigns/messages/1/", SENT)
    assert seen == ["/staff/campaigns/messages/1/"]
