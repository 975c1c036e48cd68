"""The task seam in embedded mode: after commit, in a thread or eagerly, periodic jobs."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction

from tabyin.core import background
from tabyin.core.models import Heartbeat

calls: list[dict[str, object]] = []
done = threading.Event()


@background.task
def remember(**kwargs: object) -> None:
    calls.append(kwargs)
    done.set()


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()
    done.clear()


@pytest.mark.django_db(transaction=True)
def test_enqueue_runs_after_commit_not_before() -> None:
    with transaction.atomic():
        background.enqueue(remember, report_id=7)
        assert calls == []

    assert calls == [{"report_id": 7}]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_work_is_never_sent() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        background.enqueue(remember, report_id=8)
        raise RuntimeError("the request failed")

    assert calls == []


@pytest.mark.django_db(transaction=True)
def test_thread_pool_runs_tasks_off_the_request_thread(settings: object) -> None:
    from django.conf import settings as s

    s.TABYIN_TASKS_EAGER = False
    background.enqueue(remember, report_id=9)

    assert done.wait(10)
    assert calls == [{"report_id": 9}]


def test_unregistered_task_is_refused() -> None:
    def stray() -> None: ...

    with pytest.raises(LookupError, match=r"test_background\.stray is not a registered task"):
        background.enqueue(stray)


def test_arguments_must_be_plain_data() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        background.enqueue(remember, user=object())


def test_core_periodic_jobs_are_registered() -> None:
    schedule = background.schedule()

    assert schedule["tabyin.core.tasks.heartbeat"].every == timedelta(minutes=1)
    assert schedule["tabyin.core.tasks.clear_expired_sessions"].every == timedelta(hours=6)


def test_celery_beat_schedule_is_built_from_the_same_registry() -> None:
    from tabyin.config.celery import app

    assert app.conf.beat_schedule["tabyin.core.tasks.heartbeat"] == {
        "task": "tabyin.core.tasks.heartbeat",
        "schedule": 60.0,
    }
    assert "tabyin.core.tasks.heartbeat" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_embedded_scheduler_runs_due_jobs_and_only_one_holds_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        background,
        "_periodic",
        {
            "tabyin.core.tasks.heartbeat": background.Periodic(
                "tabyin.core.tasks.heartbeat", timedelta(seconds=1)
            )
        },
    )
    monkeypatch.setattr(background, "FIRST_RUN_DELAY", 0.0)
    lock = str(tmp_path / "scheduler.lock")
    first = background.EmbeddedScheduler(lock)
    second = background.EmbeddedScheduler(lock)
    first.start()
    time.sleep(0.2)
    second.start()
    second.join(5)  # the second one finds the lock taken and returns at once

    deadline = time.monotonic() + 10
    while not Heartbeat.objects.filter(key="tasks").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    first.stopped.set()
    first.join(5)

    assert not second.is_alive()
    assert Heartbeat.objects.filter(key="tasks").count() == 1
