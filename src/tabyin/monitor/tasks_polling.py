"""Background jobs of source polling: the 30-second round and one poll of one source."""

from __future__ import annotations

from datetime import timedelta

from tabyin.core.background import periodic, task
from tabyin.monitor import services_polling


@periodic(every=timedelta(seconds=30))
def poll_due() -> list[int]:
    return services_polling.poll_due()


@task
def poll_source(source_id: int) -> str:
    return str(services_polling.poll_source(source_id=source_id).outcome)
