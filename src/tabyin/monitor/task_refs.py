"""The monitor's background tasks that services enqueue: fixed names, defining modules, parameters.

Each stub's parameters must equal its task's (``core.background`` checks when the tasks module is
imported); services call ``REF.enqueue(...)``, type-checked against the stub.
"""

from __future__ import annotations

from typing import Any

from tabyin.core.background import task_ref

ALERTS = "tabyin.monitor.alerts.tasks"


@task_ref("monitor.evaluate_alerts", module=ALERTS)
def evaluate_alerts(*, story_ids: list[int]) -> None:
    """After each ingestion batch commits: alert rules over the stories the batch touched."""


@task_ref("monitor.deliver_alert", module=ALERTS)
def deliver_alert(*, alert_id: int) -> None:
    """Send one alert through its rule's channels."""


@task_ref("monitor.poll_source", module="tabyin.monitor.sources.tasks")
def poll_source(*, source_id: int) -> None:
    """Fetch one source that fell due."""


@task_ref("monitor.publish_to_channels", module="tabyin.monitor.responses.tasks")
def publish_to_channels(*, response_id: int) -> None:
    """Post a published answer to the organization's own channels."""


@task_ref("monitor.notify_tipsters", module="tabyin.monitor.responses.tasks")
def notify_tipsters(*, response_id: int) -> None:
    """Tell the tipline senders of a rumor that its answer is out."""


@task_ref("monitor.ingest_batch", module="tabyin.monitor.ingest.tasks")
def ingest_batch(*, items: list[dict[str, Any]]) -> None:
    """Scaled mode: one batch of posts (RawPost fields as plain dicts) through the pipeline."""


@task_ref("monitor.build_brief", module="tabyin.monitor.briefs.tasks")
def build_brief(*, day: str) -> None:
    """(Re)build the daily brief of ``day`` (YYYY-MM-DD) without sending it."""
