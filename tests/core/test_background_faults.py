"""The task seam's fault settings: Celery retries a task that meets a restarting database or Redis,
gives back a dead worker's task, and a broker that does not answer never fails the request."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import OperationalError, transaction
from django.test import override_settings

from tabyin.core import background

calls: list[int] = []


@background.task_ref("tests.faults.remember", module=__name__)
def remember_ref(*, n: int) -> None:
    """The stub services would import."""


@background.task(remember_ref)
def remember(*, n: int) -> None:
    calls.append(n)


def test_celery_retries_transient_errors_and_requeues_a_dead_workers_task() -> None:
    from tabyin.config.celery import app

    task = app.tasks["monitor.ingest_batch"]
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert OperationalError in task.autoretry_for
    assert task.max_retries == background.TRANSIENT_RETRIES == 25
    assert (task.retry_backoff, task.retry_backoff_max) == (1, 30)
    import redis

    assert redis.exceptions.ConnectionError in background.transient_errors()
    assert app.conf.broker_transport_options == {
        "visibility_timeout": 3600,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }


class _DeadBroker:
    def send_task(self, name: str, kwargs: dict[str, Any]) -> None:
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_does_not_answer_is_logged_not_raised_into_the_request(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(background, "_celery_app", _DeadBroker)
    with (
        override_settings(SCALED=True),
        caplog.at_level(logging.ERROR, logger="tabyin.core.background"),
        transaction.atomic(),
    ):
        remember_ref.enqueue(n=1)
    # The transaction committed and nothing was raised: the request goes on.
    assert calls == []
    assert [r.getMessage() for r in caplog.records] == [
        "task tests.faults.remember not queued: the broker did not answer"
    ]
