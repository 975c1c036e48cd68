"""Background jobs of published answers: sending to the owned channels, telling tipline senders."""

from __future__ import annotations

from tabyin.core.background import task
from tabyin.monitor import task_refs
from tabyin.monitor.models import Response
from tabyin.monitor.responses import services_publish, services_tips


@task(task_refs.publish_to_channels)
def publish_to_channels(*, response_id: int) -> int:
    return services_publish.publications_send(response_id=response_id)


@task(task_refs.notify_tipsters)
def notify_tipsters(*, response_id: int) -> int:
    response = Response.objects.filter(pk=response_id).first()
    return services_tips.tips_notify(response=response) if response is not None else 0
