"""The campaigns' tasks, found here by core's task discovery."""

from tabyin.campaigns.outbox import tasks as outbox_tasks

__all__ = ["outbox_tasks"]
