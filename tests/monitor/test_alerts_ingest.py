"""End to end through ``ingest.services.ingest``: the batch that makes a story reach N channels
sends the signed webhook, once; later reposts do not alert again."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tabyin.monitor.ingest.services import ingest
from tabyin.monitor.models import Alert
from tabyin.monitor.pipeline.types import RawPost
from tests.monitor.test_alerts_channels import Receiver
from tests.monitor.test_alerts_helpers import rule, watch

TEXT = "فوری: سازمان تامین اجتماعی پرداخت مستمری بازنشستگان را از ماه آینده قطع می‌کند؛ منابع خبر دادند"
Capture = Callable[..., Any]


def _posts(channels: range, at: datetime) -> list[RawPost]:
    return [RawPost(source=f"telegram:ch{n}", post_id="10", text=TEXT, published_at=at) for n in channels]


@pytest.mark.django_db
def test_ingest_that_reaches_n_channels_sends_the_webhook_once(
    org: None, django_capture_on_commit_callbacks: Capture
) -> None:
    receiver = Receiver()
    try:
        query = watch()
        query.expression = "تامین اجتماعی"
        query.save()
        reach = rule("reach", threshold=3, channels=["webhook"], webhook_url=receiver.url, webhook_secret="k")
        at = timezone.now() - timedelta(minutes=5)

        with django_capture_on_commit_callbacks(execute=True):
            first = ingest(_posts(range(2), at))
        assert Alert.objects.count() == 0
        with django_capture_on_commit_callbacks(execute=True):
            second = ingest(_posts(range(2, 4), at + timedelta(minutes=1)))
        story_id = second.story_ids[("telegram:ch3", "10")]
        assert set(first.story_ids.values()) == {story_id}

        assert receiver.arrived.wait(5)
        [(_headers, body)] = receiver.requests
        assert json.loads(body)["story"]["id"] == story_id
        assert json.loads(body)["figures"] == {"channels": 4, "threshold": 3, "minutes": 5}
        assert list(Alert.objects.values_list("rule_id", "story_id")) == [(reach.pk, story_id)]

        with django_capture_on_commit_callbacks(execute=True):
            ingest(_posts(range(4, 6), at + timedelta(minutes=2)))
        assert Alert.objects.count() == 1
        assert len(receiver.requests) == 1
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
