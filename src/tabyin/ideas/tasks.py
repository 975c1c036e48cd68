"""Background tasks of the ideas app (names are fixed: see ``core.background``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tabyin.core.background import periodic, task
from tabyin.ideas import task_refs
from tabyin.ideas.entries import notices


@task(task_refs.send_notices)
def send_notices(*, notice_ids: list[int]) -> None:
    notices.send(notice_ids)


@periodic("ideas.notices_sweep", every=timedelta(minutes=5))
def notices_sweep() -> None:
    # A notice whose task was never queued (the broker was down at commit) is sent here.
    notices.sweep(now=timezone.now())
