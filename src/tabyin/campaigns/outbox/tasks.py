"""Background tasks of the outbox (names are fixed: see ``core.background``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.campaigns import task_refs
from tabyin.campaigns.outbox import services, services_delivery, services_newsletter, services_reach
from tabyin.core.background import periodic, task


@task(task_refs.deliver)
def deliver(*, message_id: int, channel: str) -> None:
    services_delivery.deliver(message_id=message_id, channel=channel)


@task(task_refs.send_confirmation)
def send_confirmation(*, subscriber_id: int) -> None:
    services_newsletter.send_confirmation(subscriber_id=subscriber_id)


@periodic("campaigns.sweep", every=timedelta(seconds=60))
def sweep() -> None:
    services.outbox_sweep(now=timezone.now())


@periodic("campaigns.read_views", every=timedelta(minutes=15))
def read_views() -> None:
    """Each post is read at most hourly (``services_reach.EVERY``); a quarter-hour round picks up
    a new post soon after it was sent."""
    services_reach.views_read(now=timezone.now())
