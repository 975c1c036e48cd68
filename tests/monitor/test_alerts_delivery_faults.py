"""Alert delivery when a worker dies mid-send: its claim holds off others until the lease ends,
then the retry sweep hands the delivery on; every attempt carries the same idempotency key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tabyin.monitor.alerts import services_delivery
from tabyin.monitor.enums import DeliveryStatus
from tabyin.monitor.models import Delivery
from tests.monitor.test_alerts_channels import Receiver, _alert

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def hook() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def test_a_delivery_claimed_by_a_worker_that_died_is_sent_again_after_the_lease_with_its_key(
    org: None, hook: Receiver
) -> None:
    alert = _alert(
        channels=["webhook", "email"], webhook_url=hook.url, webhook_secret="k", emails="duty@x.org"
    )
    webhook = Delivery.objects.get(alert=alert, channel="webhook")
    # A worker claimed the webhook, then died before recording anything.
    died_at = timezone.now()
    Delivery.objects.filter(pk=webhook.pk).update(attempts=1, claimed_at=died_at)

    # Its task given back at once to another worker: the e-mail goes, the claimed webhook waits.
    assert services_delivery.alert_deliver(alert_id=alert.pk) == {"sent": 1, "failed": 1}
    assert hook.requests == []
    assert services_delivery.deliveries_retry(now=died_at + timedelta(seconds=60)) == []
    # After the lease (TABYIN_TASK_LOST_AFTER_SECONDS, 120 s) the sweep queues it again.
    assert services_delivery.deliveries_retry(now=died_at + timedelta(seconds=121)) == [alert.pk]
    Delivery.objects.filter(pk=webhook.pk).update(claimed_at=died_at - timedelta(seconds=121))
    assert services_delivery.alert_deliver(alert_id=alert.pk) == {"sent": 1, "failed": 0}

    [(headers, _body)] = hook.requests
    assert headers["X-Tabyin-Delivery"] == f"tabyin-delivery-{webhook.pk}"
    done = Delivery.objects.get(pk=webhook.pk)
    assert (done.status, done.attempts) == (DeliveryStatus.SENT, 2)
    [email] = mail.outbox
    email_delivery = Delivery.objects.get(alert=alert, channel="email")
    assert email.extra_headers["Message-ID"].startswith(f"<tabyin-delivery-{email_delivery.pk}@")
