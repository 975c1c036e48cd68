"""Background jobs of alerting: evaluate after each ingestion batch, deliver, retry and escalate."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic, task
from tabyin.monitor import task_refs
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.alerts import services_delivery


@task(task_refs.evaluate_alerts)
def evaluate_alerts(*, story_ids: list[int]) -> list[int]:
    """Enqueued by ingestion after each batch commits, with the stories the batch touched."""
    return services_alerts.alerts_evaluate(story_ids=[int(i) for i in story_ids])


@task(task_refs.deliver_alert)
def deliver_alert(*, alert_id: int) -> dict[str, int]:
    return services_delivery.alert_deliver(alert_id=int(alert_id))


@periodic("monitor.escalate_alerts", every=timedelta(minutes=1))
def escalate_alerts() -> dict[str, list[int]]:
    """Escalate what nobody acknowledged in time, and retry failed deliveries."""
    now = timezone.now()
    return {
        "escalated": services_alerts.alerts_escalate(now=now),
        "retried": services_delivery.deliveries_retry(now=now),
    }
