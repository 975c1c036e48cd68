"""The web server of `tabyin serve` and `tabyin demo`: granian's WSGI interface (ADR 0019).

granian's Rust/tokio layer reads each request whole (a slow phone, or a client that sends its
headers a byte a second, costs an idle socket, not a thread) and hands only complete requests to
the Python threads that run Django. gunicorn's `gthread` read a request in a thread once its first
byte had come, so six trickling clients stalled a 2 × 4-thread site (ADR 0016).

Its loggers (``_granian`` for the server, ``granian.access`` never enabled: request lines carry
addresses) write through the client-address filter of ``tabyin.core.web.logscrub``, in the main
process and in every worker (granian configures logging in each from the dictionary below).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

TARGET: Final = "tabyin.config.wsgi:application"
# Whole request head (request line and headers) a client may send, as a proxy would allow
# (nginx: 4 × 8 KB); larger is answered 431 by the server before Python sees it.
MAX_HEAD_BYTES: Final = 16 * 1024
# A client has this long to send its request head, whatever its speed (gunicorn had no limit
# once the first byte had come).
HEAD_TIMEOUT_MS: Final = 20_000
# Graceful stop: requests in flight get this long after SIGTERM before a worker is killed.
GRACEFUL_SECONDS: Final = 20


def logging_config(level: str) -> dict[str, Any]:
    """granian's logging: to standard error, through the client-address filter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"scrub": {"()": "tabyin.core.web.logscrub.ScrubClientAddresses"}},
        "formatters": {
            "generic": {
                "()": "logging.Formatter",
                "fmt": "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s",
            }
        },
        "handlers": {
            "server": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "generic",
                "filters": ["scrub"],
            },
        },
        "loggers": {
            "_granian": {"handlers": ["server"], "level": level, "propagate": False},
            # No access log, ever: its lines name the client (ADR 0009).
            "granian.access": {"handlers": ["server"], "level": logging.CRITICAL + 1, "propagate": False},
        },
    }


def load_application(target: str) -> Callable[..., Any]:
    """Run in each worker after granian set up its logging: Django's application, then the filter
    on every handler that exists by now (Django's, any library's)."""
    from tabyin.config.wsgi import application
    from tabyin.core.web import logscrub

    logscrub.install()
    return application


def run(*, host: str, port: int, workers: int, threads: int, log_level: str) -> None:
    """Serve until SIGTERM or SIGINT, then let requests in flight finish (``GRACEFUL_SECONDS``)."""
    from django.db import connections
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    # The workers are forked from this process: they must not share its database connections
    # (the start-up checks opened them).
    connections.close_all()
    server = Server(
        TARGET,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        # granian's default backpressure (the backlog, 1024, per worker) counts *connections*:
        # bounded by the threads, slow clients would fill it (tests/core/test_serve.py).
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=HEAD_TIMEOUT_MS, max_buffer_size=MAX_HEAD_BYTES),
        log_level=LogLevels(log_level.lower()),
        log_dictconfig=logging_config(log_level.upper()),
        log_access=False,
        workers_kill_timeout=GRACEFUL_SECONDS,
        respawn_failed_workers=True,
    )
    from tabyin.core.web import logscrub

    logscrub.install()
    server.serve(target_loader=load_application)
