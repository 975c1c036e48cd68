"""Background jobs of the reports app, registered by importing each feature's tasks module."""

from tabyin.reports.notices import tasks as tasks_notices
from tabyin.reports.retention import tasks as tasks_retention

__all__ = ["tasks_notices", "tasks_retention"]
