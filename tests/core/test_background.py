"""The task seam in embedded mode: after commit, in a thread or eagerly, periodic jobs."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from tabyin.core import background
from tabyin.core.models import Heartbeat

calls: list[dict[str, object]] = []
done = threading.Event()


@background.task_ref("tests.remember", module=__name__)
def remember_ref(*, report_id: int = 0, user: object = None) -> None:
    """The stub services would import."""


@background.task(remember_ref)
def remember(*, report_id: int = 0, user: object = None) -> None:
    calls.append({"report_id": report_id})
    done.set()


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()
    done.clear()


@pytest.mark.django_db(transaction=True)
def test_enqueue_runs_after_commit_not_before() -> None:
    with transaction.atomic():
        remember_ref.enqueue(report_id=7)
        assert calls == []

    assert calls == [{"report_id": 7}]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_work_is_never_sent() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        remember_ref.enqueue(report_id=8)
        raise RuntimeError("the request failed")

    assert calls == []


@pytest.mark.django_db(transaction=True)
def test_thread_pool_runs_tasks_off_the_request_thread(settings: Any) -> None:
    # Through pytest-django's fixture, which restores it: set on django.conf.settings directly, it
    # stayed off for every later test, whose tasks then ran in pool threads beside them (a purge
    # met "database table is locked" from a notice task still running).
    settings.TABYIN_TASKS_EAGER = False
    remember_ref.enqueue(report_id=9)

    assert done.wait(10)
    assert calls == [{"report_id": 9}]


def test_a_ref_whose_module_registers_no_such_task_is_refused() -> None:
    @background.task_ref("tests.stray", module=__name__)
    def stray() -> None: ...

    with pytest.raises(LookupError, match=r"^tests\.core\.test_background registers no task tests\.stray "):
        stray.enqueue()


def test_a_task_is_never_enqueued_by_a_string_or_a_function() -> None:
    with pytest.raises(
        TypeError, match=r"^enqueue takes a TaskRef, not str: a task is never named by a string$"
    ):
        background.enqueue("tests.remember")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^enqueue takes a TaskRef, not function"):
        background.enqueue(remember)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^task tests\.remember takes keyword arguments only$"):
        remember_ref.enqueue(7)  # type: ignore[call-arg]


def test_a_task_must_have_its_refs_parameters_and_module() -> None:
    with pytest.raises(TypeError, match=r"^the parameters of .*other differ from TaskRef\('tests\.remember'"):

        @background.task(remember_ref)
        def other(*, report_id: str = "") -> None: ...

    with pytest.raises(ValueError, match=r"^two tasks are named tests\.remember: remember, .*elsewhere$"):

        @background.task("tests.remember")
        def elsewhere() -> None: ...


def test_every_ref_of_every_app_names_a_registered_task() -> None:
    from tabyin.core import task_refs as core_refs
    from tabyin.monitor import task_refs as monitor_refs
    from tabyin.reports import task_refs as reports_refs

    refs = [
        value
        for module in (core_refs, monitor_refs, reports_refs)
        for value in vars(module).values()
        if isinstance(value, background.TaskRef)
    ]
    assert len(refs) == 10  # core.public_deliver (ADR 0040) is the tenth
    assert all(background.is_registered(ref) for ref in refs)
    assert {ref.name.partition(".")[0] for ref in refs} == {"core", "monitor", "reports"}


def test_arguments_must_be_plain_data() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        remember_ref.enqueue(user=object())


def test_core_periodic_jobs_are_registered() -> None:
    schedule = background.schedule()

    assert schedule["core.heartbeat"].every == timedelta(minutes=1)
    assert schedule["core.clear_expired_sessions"].every == timedelta(hours=6)


def test_celery_beat_schedule_is_built_from_the_same_registry() -> None:
    from tabyin.config.celery import app

    assert app.conf.beat_schedule["core.heartbeat"] == {"task": "core.heartbeat", "schedule": 60.0}
    assert "core.heartbeat" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_embedded_scheduler_runs_due_jobs_and_only_one_holds_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        background,
        "_periodic",
        {"core.heartbeat": background.Periodic("core.heartbeat", timedelta(seconds=1))},
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
