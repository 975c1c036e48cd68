"""The campaigns' background tasks that services enqueue (see ``core.background``)."""

from __future__ import annotations

from tabyin.core.background import task_ref


@task_ref("campaigns.deliver", module="tabyin.campaigns.outbox.tasks")
def deliver(*, message_id: int, channel: str) -> None:
    """Try the due deliveries of one message on one channel, in batches."""


@task_ref("campaigns.send_confirmation", module="tabyin.campaigns.outbox.tasks")
def send_confirmation(*, subscriber_id: int) -> None:
    """Send the double opt-in e-mail to a new newsletter subscriber."""


@task_ref("campaigns.estimate_effect", module="tabyin.campaigns.impact.tasks")
def estimate_effect(*, campaign_id: int) -> None:
    """Estimate the campaign's effect on its outcome (seconds of statistics) and keep it."""
