"""The task seam: the one way any app runs work in the background.

- A task has a fixed name, given where it is declared, never derived from where its code lives:
  moving a module must not rename a task (queued messages and the beat schedule use the name).
  It takes only JSON-able keyword arguments (ids, not objects) and calls services.
- Services cannot import the tasks modules (those sit above them), so a task that services
  enqueue is declared twice, checked against each other: a :class:`TaskRef` in the app's
  ``task_refs`` module (low in the layers: its name, the module that defines it, its keyword
  parameters for the type checker) and ``@task(ref)`` on the function. ``REF.enqueue(**kwargs)``
  is type-checked; a ref whose module defines no such task is an error at the first enqueue, and
  a function whose parameters differ from its ref's is an error when its module is imported.
- Enqueueing sends the task after the current transaction commits, so a worker never sees a row
  that was rolled back or not yet written.
- Embedded mode (no ``REDIS_URL``): a small thread pool inside the web process runs it, and one
  scheduler thread (one per data directory, held by a file lock) runs periodic jobs.
- Scaled mode: Celery with Redis runs it; ``tabyin beat`` runs the same periodic schedule. A task
  may run more than once (a worker killed mid-task, a retry after a database restart): tasks are
  written to be idempotent, and work that must not be lost is kept as rows a sweep re-queues.
"""

from __future__ import annotations

import fcntl
import inspect
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, partial
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


@cache
def transient_errors() -> tuple[type[BaseException], ...]:
    """What a restarting PostgreSQL or Redis raises in a task: scaled mode sends the task again
    with back-off (``config.celery``) instead of dropping it; about ten minutes of outage in all.
    Asked for, not computed at import: importing redis is ~0.14 s of CPU, and a command that sends
    no task through Redis (``tabyin ingest``) must not pay it."""
    from django.db import InterfaceError, OperationalError

    found: list[type[BaseException]] = [OperationalError, InterfaceError, ConnectionError]
    if util.find_spec("redis") is not None:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        found += [RedisConnectionError, RedisTimeoutError]
    return tuple(found)


TRANSIENT_RETRIES = 25

_tasks: dict[str, TaskDef] = {}
_periodic: dict[str, Periodic] = {}


class _State:
    """Process-wide singletons, created lazily (after a fork, in the process that uses them)."""

    executor: ThreadPoolExecutor | None = None
    scheduler: EmbeddedScheduler | None = None
    lock = threading.Lock()
    discovered = False
    deferred = False


class TaskRef[**P]:
    """A task's fixed name, the module that registers it, and its keyword parameters (from the stub
    :func:`task_ref` decorates), for the services that enqueue it."""

    __slots__ = ("module", "name", "stub")

    def __init__(self, name: str, module: str, stub: Callable[P, object]) -> None:
        self.name, self.module, self.stub = name, module, stub

    def __repr__(self) -> str:
        return f"TaskRef({self.name!r}, module={self.module!r})"

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Run the task in the background once the current transaction commits."""
        if args:
            raise TypeError(f"task {self.name} takes keyword arguments only")
        enqueue(self, **kwargs)


def task_ref[**P](name: str, *, module: str) -> Callable[[Callable[P, object]], TaskRef[P]]:
    """Declare a task that services enqueue: decorate a stub with the task's keyword parameters."""

    def wrap(stub: Callable[P, object]) -> TaskRef[P]:
        return TaskRef(name, module, stub)

    return wrap


def _parameters(func: Callable[..., Any]) -> list[tuple[str, Any, Any, str]]:
    def text(annotation: Any) -> str:
        return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)

    return [
        (p.name, p.kind, p.default, text(p.annotation)) for p in inspect.signature(func).parameters.values()
    ]


def task[F: Callable[..., Any]](declared: TaskRef[Any] | str) -> Callable[[F], F]:
    """Register a function as the background task ``declared`` (its ref, or a fixed name for a task
    nothing enqueues by reference: periodic jobs, tests)."""

    def wrap(func: F) -> F:
        if isinstance(declared, TaskRef):
            if func.__module__ != declared.module:
                raise TypeError(f"{declared!r} is defined in {func.__module__}")
            if _parameters(func) != _parameters(declared.stub):
                raise TypeError(f"the parameters of {func.__qualname__} differ from {declared!r}'s")
            name = declared.name
        else:
            name = declared
        known = _tasks.get(name)
        if known is not None and known.func.__qualname__ != func.__qualname__:
            raise ValueError(f"two tasks are named {name}: {known.func.__qualname__}, {func.__qualname__}")
        _tasks[name] = TaskDef(name=name, func=func)
        return func

    return wrap


def periodic(
    declared: TaskRef[Any] | str, *, every: timedelta
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a task (as :func:`task` does) and run it every ``every`` (Celery beat scaled, a
    thread embedded)."""

    def wrap[F: Callable[..., Any]](func: F) -> F:
        task(declared)(func)
        name = declared.name if isinstance(declared, TaskRef) else declared
        _periodic[name] = Periodic(task_name=name, every=every)
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


def is_registered(task: TaskRef[Any] | str) -> bool:
    """Whether a task is registered: a ref's own module is imported first (``tabyin ingest``
    imports one tasks module, not every app's); a name alone needs every app's tasks."""
    if isinstance(task, TaskRef):
        if task.name not in _tasks:
            import_module(task.module)
        return task.name in _tasks
    if task not in _tasks:
        discover()
    return task in _tasks


def enqueue(task: TaskRef[Any], **kwargs: Any) -> None:
    """Run a registered task in the background once the current transaction commits (services
    call ``REF.enqueue(...)``, which comes here)."""
    if not isinstance(task, TaskRef):  # untyped callers
        kind = type(task).__name__  # type: ignore[unreachable]
        raise TypeError(f"enqueue takes a TaskRef, not {kind}: a task is never named by a string")
    if not is_registered(task):
        raise LookupError(f"{task.module} registers no task {task.name} (decorate it with @task(ref))")
    json.dumps(kwargs)  # fail here, in the caller, rather than later in a worker
    transaction.on_commit(partial(_dispatch, task.name, kwargs), robust=False)


def _dispatch(name: str, kwargs: dict[str, Any]) -> None:
    if settings.SCALED:
        try:
            _celery_app().send_task(name, kwargs=kwargs)
        except Exception:
            # Raising here would turn a saved report into an error page and invite a second
            # submission. Work that must not be lost keeps its own row (an unsent delivery or
            # notice) that the periodic sweep queues again once Redis answers (ADR 0017).
            log.exception("task %s not queued: the broker did not answer", name)
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
    if not is_registered(name):
        raise LookupError(f"no task is named {name}")
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
