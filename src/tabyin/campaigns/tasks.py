"""The campaigns' tasks, found here by core's task discovery."""

from tabyin.campaigns.impact import tasks as impact_tasks
from tabyin.campaigns.outbox import tasks as outbox_tasks

__all__ = ["impact_tasks", "outbox_tasks"]
