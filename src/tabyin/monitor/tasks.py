"""Background jobs of the monitor app, registered by importing each sub-domain's module."""

from tabyin.monitor.alerts import tasks as tasks_alerts
from tabyin.monitor.briefs import tasks as tasks_brief
from tabyin.monitor.ingest import tasks as tasks_ingest
from tabyin.monitor.responses import tasks as tasks_responses
from tabyin.monitor.sources import tasks as tasks_polling

__all__ = ["tasks_alerts", "tasks_brief", "tasks_ingest", "tasks_polling", "tasks_responses"]
