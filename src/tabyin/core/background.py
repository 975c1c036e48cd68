"""The task seam: the one way any app runs work in the background.

- ``@task`` registers a function under a stable name; it takes only JSON-able keyword arguments
  (ids, not objects) and calls services.
- ``enqueue(fn, **kwargs)`` sends it after the current transaction commits, so a worker never
  sees a row that was rolled back or not yet written.
- Embedded mode (no ``REDIS_URL``): a small thread pool inside the web process runs it, and one
  scheduler thread (one per data directory, held by a file lock) runs periodic jobs.
- Scaled mode: Celery with Redis runs it; ``tabyin beat`` runs the same periodic schedule.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from importlib import import_module, util
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskDef:
    name: str
    func: Callable[..., Any]


@dataclass(frozen=True)
class Periodic:
    task_name: str
    every: timedelta


_tasks: dict[str, TaskDef] = {}
_periodic: dict[str, Periodic] = {}


class _State:
    """Process-wide singletons, created lazily (after a fork, in the process that uses them)."""

    executor: ThreadPoolExecutor | None = None
    scheduler: EmbeddedScheduler | None = None
    lock = threading.Lock()
    discovered = False
    deferred = False


def task_name(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__name__}"


def task[F: Callable[..., Any]](func: F) -> F:
    """Register ``func`` as a background task under its dotted name."""
    name = task_name(func)
    _tasks[name] = TaskDef(name=name, func=func)
    return func


def periodic(every: timedelta) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a task and run it every ``every`` (Celery beat scaled, a thread embedded)."""

    def wrap[F: Callable[..., Any]](func: F) -> F:
        task(func)
        _periodic[task_name(func)] = Periodic(task_name=task_name(func), every=every)
        return func

    return wrap


def registered() -> dict[str, TaskDef]:
    discover()
    return dict(_tasks)


def schedule() -> dict[str, Periodic]:
    discover()
    return dict(_periodic)


def defer_discovery() -> None:
    """Called before ``django.setup()`` by a command that runs a task or two by name (``tabyin
    ingest``): the task modules import every sub-domain's services, half its start-up. Tasks are
    then found on first need (:func:`is_registered`, or :func:`discover` for a listing)."""
    _State.deferred = True


def discover_at_startup() -> None:
    if not _State.deferred:
        discover()


def discover() -> None:
    """Import ``<app>.tasks`` for every installed Tabyin app so all tasks are registered."""
    if _State.discovered:
        return
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("tabyin."):
            module = f"{config.name}.tasks"
            if util.find_spec(module) is not None:
                import_module(module)
    _State.discovered = True


def is_registered(name: str) -> bool:
    """Whether ``name`` is a task, importing only the module its dotted name names."""
    if name not in _tasks and name.startswith("tabyin."):
        try:
            import_module(name.rpartition(".")[0])
        except ImportError:
            return False
    return name in _tasks


def enqueue(func: Callable[..., Any] | str, **kwargs: Any) -> None:
    """Run a registered task in the background once the current transaction commits."""
    name = func if isinstance(func, str) else task_name(func)
    if not is_registered(name):
        raise LookupError(f"{name} is not a registered task (decorate it with @task)")
    json.dumps(kwargs)  # fail here, in the caller, rather than later in a worker
    transaction.on_commit(partial(_dispatch, name, kwargs), robust=False)


def _dispatch(name: str, kwargs: dict[str, Any]) -> None:
    if settings.SCALED:
        _celery_app().send_task(name, kwargs=kwargs)
    elif settings.TABYIN_TASKS_EAGER:
        run(name, kwargs)
    else:
        _pool().submit(_run_in_thread, name, kwargs)


def _celery_app() -> Any:
    """The Celery app, named by a dotted path in settings: config imports this module (it
    registers the tasks with Celery), so importing config back from here would be a cycle."""
    return import_string(settings.TABYIN_CELERY_APP)


def run(name: str, kwargs: dict[str, Any]) -> Any:
    """Execute a task now, in this thread. Workers and the embedded pool both come here."""
    started = time.monotonic()
    is_registered(name)
    try:
        return _tasks[name].func(**kwargs)
    finally:
        log.info("task %s finished in %.3f s", name, time.monotonic() - started)


def _run_in_thread(name: str, kwargs: dict[str, Any]) -> None:
    close_old_connections()
    try:
        run(name, kwargs)
    except Exception:
        log.exception("task %s failed", name)
    finally:
        # Pool threads live as long as the process; a connection left open here would be held
        # idle for good (and blocks dropping a test database).
        connections.close_all()


def _pool() -> ThreadPoolExecutor:
    with _State.lock:
        if _State.executor is None:
            _State.executor = ThreadPoolExecutor(
                max_workers=settings.TABYIN_TASK_THREADS, thread_name_prefix="tabyin-task"
            )
        return _State.executor


def backend_state() -> dict[str, Any]:
    """For /healthz: which engine runs tasks and whether it is reachable."""
    if not settings.SCALED:
        return {"ok": True, "engine": "in-process", "threads": settings.TABYIN_TASK_THREADS}
    app = _celery_app()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # any broker failure is reported, not raised
        return {"ok": False, "engine": "celery", "error": type(error).__name__}
    return {"ok": True, "engine": "celery"}


# Let the web server finish starting before the first round of periodic jobs.
FIRST_RUN_DELAY = 5.0


class EmbeddedScheduler(threading.Thread):
    """Runs periodic tasks in embedded mode. Only the process holding the lock file schedules,
    so several web processes on one data directory do not run each job several times."""

    def __init__(self, lock_path: str) -> None:
        super().__init__(name="tabyin-scheduler", daemon=True)
        self.lock_path = lock_path
        self.stopped = threading.Event()

    def run(self) -> None:
        with Path(self.lock_path).open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                log.info("another process runs the periodic jobs for this data directory")
                return
            due = {name: time.monotonic() + FIRST_RUN_DELAY for name in _periodic}
            while not self.stopped.wait(1.0):
                now = time.monotonic()
                for name, job in _periodic.items():
                    if now >= due[name]:
                        due[name] = now + job.every.total_seconds()
                        _pool().submit(_run_in_thread, name, {})


def start_embedded_scheduler() -> None:
    discover()
    with _State.lock:
        if settings.SCALED or _State.scheduler is not None:
            return
        _State.scheduler = EmbeddedScheduler(str(settings.DATA_DIR / "run" / "scheduler.lock"))
    _State.scheduler.start()
