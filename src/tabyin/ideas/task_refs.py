"""The ideas app's background tasks that services enqueue (see ``core.background``)."""

from __future__ import annotations

from tabyin.core.background import task_ref


@task_ref("ideas.send_notices", module="tabyin.ideas.tasks")
def send_notices(*, notice_ids: list[int]) -> None:
    """Send the authors' notices not sent yet among these rows (each at most once)."""
