"""Background jobs of the reception app (found by ``core.background.discover``)."""

from tabyin.reception.meetings import tasks as meetings_tasks

__all__ = ["meetings_tasks"]
