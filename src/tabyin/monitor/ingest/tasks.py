"""Background ingestion: scaled mode runs the pipeline on Celery workers, a batch per task."""

from __future__ import annotations

from typing import Any

from tabyin.core.background import task
from tabyin.monitor import task_refs
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.pipeline.items import parse_item


@task(task_refs.ingest_batch)
def ingest_batch(*, items: list[dict[str, Any]]) -> dict[str, int]:
    """Ingest items given as plain dicts (RawPost fields, ISO 8601 dates); invalid ones are counted
    as errors (their position in ``items``) and skipped."""
    raws = []
    errors = []
    for position, obj in enumerate(items, start=1):
        try:
            raws.append(parse_item(obj))
        except ValueError as error:
            errors.append(services_ingest.IngestError(position, str(error)))
    summary = services_ingest.ingest(raws, batch_size=max(len(raws), 1))
    summary.read += len(errors)
    summary.errors.extend(errors)
    return summary.as_dict()
