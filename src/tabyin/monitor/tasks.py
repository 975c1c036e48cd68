"""Background jobs of the monitor app, registered by importing each sub-domain's module."""

from tabyin.monitor import tasks_alerts, tasks_brief, tasks_polling, tasks_responses
from tabyin.monitor.ingest import tasks as tasks_ingest

__all__ = ["tasks_alerts", "tasks_brief", "tasks_ingest", "tasks_polling", "tasks_responses"]
