"""The Celery application for scaled mode (`tabyin worker`, `tabyin beat`).

Tasks are not declared with Celery decorators: apps register plain functions with
``tabyin.core.background``, and this module hands each one to Celery under the same name.
"""

from __future__ import annotations

import os
from typing import Any

import django
from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tabyin.config.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after setup, on purpose)

from tabyin.core import background  # noqa: E402


@signals.setup_logging.connect
def _keep_django_logging(**_: Any) -> None:
    """Celery configures no logging of its own (a receiver here tells it so): Django's LOGGING,
    whose handlers carry the client-address filter, stays in force for the worker and beat."""
    from tabyin.core.web import logscrub

    logscrub.install()


app = Celery("tabyin")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _bind(name: str) -> None:
    def run(**kwargs: Any) -> Any:
        return background.run(name, kwargs)

    run.__name__ = name.rsplit(".", 1)[-1]
    # A database or Redis that is restarting fails the task with one of these: it is sent again
    # after 1, 2, 4 … 30 s (Celery's Django fix-up closes the broken connection in between) rather
    # than acknowledged as failed and lost. Every task is idempotent, so a retry never doubles.
    app.task(
        name=name,
        acks_late=True,
        autoretry_for=background.transient_errors(),
        retry_backoff=1,
        retry_backoff_max=30,
        retry_jitter=False,
        max_retries=background.TRANSIENT_RETRIES,
    )(run)


for _name in background.registered():
    _bind(_name)

app.conf.beat_schedule = {
    name: {"task": job.task_name, "schedule": job.every.total_seconds()}
    for name, job in background.schedule().items()
}
app.conf.beat_schedule_filename = str(settings.DATA_DIR / "run" / "celerybeat-schedule")
