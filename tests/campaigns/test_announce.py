"""Another app's draft through ``registry.publish_draft``: one message in the standing
announcements campaign, a draft another senior manager approves and the outbox releases."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from tabyin.campaigns.outbox import services
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.models import User
from tabyin.core.registry import registry
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_a_published_draft_waits_for_another_senior_manager(hq_analyst: User, manager: User) -> None:
    with translation.override("fa"):
        first = registry.publish_draft(hq_analyst, "برگزیدگان", "متن اول", "https://example.test/r/")
        second = registry.publish_draft(hq_analyst, "برگزیدگان", "متن دوم", "")
    messages = list(Message.objects.order_by("pk"))
    assert [first, second] == [f"/staff/campaigns/messages/{m.pk}/" for m in messages]
    assert [(m.body, m.state) for m in messages] == [
        ("متن اول\n\nhttps://example.test/r/", "draft"),
        ("متن دوم", "draft"),
    ]
    standing = Campaign.objects.get()
    assert (standing.title, standing.standing, standing.provinces.count()) == ("اطلاعیه‌ها", True, 0)
    assert {m.campaign_id for m in messages} == {standing.pk}
    with pytest.raises(PermissionDenied):
        services.message_approve(actor=hq_analyst, message=messages[0])
    approved = services.message_approve(actor=manager, message=messages[0])
    assert approved.state == "released"
    client = verified_client(manager)
    assert client.get(f"/staff/campaigns/{standing.pk}/").status_code == 200
    assert client.get(first or "").status_code == 200
