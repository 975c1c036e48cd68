"""The `tabyin` command: demo, serve, worker, beat, check, manage, ingest, stories, classify, backup, restore.

Errors a person can fix (a bad setting, a database or Redis that does not answer, a port in
use, a data directory that cannot be written) end in one plain line and exit code 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tabyin.core.errors import OperatorError as Fatal

EXIT_USAGE = 2


def _fail(message: str) -> NoReturn:
    print(f"tabyin: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def _setup(data_dir: str | None) -> None:
    if data_dir:
        os.environ["TABYIN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tabyin.config.settings")
    import django

    django.setup()


def _call(command: str, *args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(command, *args, **options)


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise Fatal(
                    f"port {port} on {host} is already in use (is another Tabyin running?). "
                    f"Stop it or choose another port with --port."
                ) from None
            if error.errno == errno.EACCES:
                raise Fatal(f"no permission to listen on port {port}; use a port above 1024.") from None
            raise Fatal(f"cannot listen on {host}:{port}: {error.strerror}.") from None


def _serve(host: str, port: int, workers: int, threads: int) -> None:
    from tabyin.config import server
    from tabyin.config.env import load

    server.run(host=host, port=port, workers=workers, threads=threads, log_level=load().log_level)


def default_workers() -> int:
    """Embedded: one process per core (the GIL makes threads alone leave cores idle; the shared
    cache and the scheduler's file lock keep several processes consistent). Scaled: 2 × cores + 1."""
    from tabyin.config.env import load

    env = load()
    cores = os.cpu_count() or 1
    return env.web_workers or (min(cores, 4) if not env.scaled else 2 * cores + 1)


def default_threads() -> int:
    """Embedded: 2 threads a process. Django's work there is CPU (SQLite answers in microseconds,
    granian's Rust layer reads and writes the sockets), and more threads only contend for the GIL:
    poll answers over HTTP went from 957–993/s with 4 threads to 1,068–1,145/s with 2 (issue 17,
    docs/modules/reception.md). Scaled: 4, as PostgreSQL and Redis are reached over the network."""
    from tabyin.config.env import load

    env = load()
    return env.web_threads or (4 if env.scaled else 2)


def cmd_demo(args: argparse.Namespace) -> None:
    from tabyin.core.demo import credentials_path
    from tabyin.core.registry import registry
    from tabyin.core.system import preflight

    if not args.no_serve:
        # Only a server needs the port: `demo --no-serve` (the tests' data load) must run beside a
        # demo already serving on it.
        _check_port(args.host, args.port)
    preflight.database()
    _call("migrate", interactive=False, verbosity=0)
    # Loading runs a hundred-odd background tasks whose "finished" lines would bury the summary,
    # and sends the sample campaign's SMS to the console backend and its bot messages to local
    # sinks (httpx logs each request); a failure still logs (at ERROR).
    # Once serving, the console SMS lines are back: a person trying the demo reads codes there.
    quiet = [logging.getLogger(name) for name in ("tabyin.core.background", "tabyin.sms", "httpx")]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.WARNING)
    try:
        for step in registry.demo:
            print(f"demo data [{step.app}]: {step.load()}")
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
    _call("collectstatic", interactive=False, verbosity=0)
    path = credentials_path()
    print("\nDemo staff accounts (each asks you to enrol an authenticator app at first log-in):")
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            username, _, role, unit = line.split("\t")
            print(f"  {username:<18} {role:<20} {unit}")
    print(f"Their generated passwords are in {path} (readable by you only).")
    if args.no_serve:
        return
    print(f"\nTabyin demo (sample data) on http://{args.host}:{args.port}/  — staff: /staff/")
    _serve(args.host, args.port, workers=default_workers(), threads=default_threads())


def cmd_serve(args: argparse.Namespace) -> None:
    from tabyin.config.env import load
    from tabyin.core.system import preflight

    env = load()
    _check_port(args.host, args.port)
    preflight.database()
    if env.scaled:
        preflight.redis()
    if args.migrate:
        _call("migrate", interactive=False, verbosity=1)
    preflight.migrations_applied()
    _call("collectstatic", interactive=False, verbosity=0)
    workers = args.workers or default_workers()
    print(f"Tabyin on http://{args.host}:{args.port}/ ({'scaled' if env.scaled else 'embedded'} mode)")
    _serve(args.host, args.port, workers=workers, threads=default_threads())


def _celery(argv: list[str]) -> None:
    from tabyin.config.env import load
    from tabyin.core.system import preflight

    if not load().scaled:
        raise Fatal(
            "workers run only in scaled mode: set REDIS_URL (e.g. redis://127.0.0.1:6379/0). "
            "In embedded mode the web process runs background tasks itself."
        )
    preflight.database()
    preflight.redis()
    from tabyin.config.celery import app

    app.start(argv)


def cmd_worker(args: argparse.Namespace) -> None:
    _celery(["worker", "--loglevel", "INFO", "--concurrency", str(args.concurrency), "--without-mingle"])


def cmd_beat(args: argparse.Namespace) -> None:
    _celery(["beat", "--loglevel", "INFO"])


def cmd_check(args: argparse.Namespace) -> None:
    from tabyin.core.system import preflight

    problems = preflight.report(deploy=args.deploy)
    raise SystemExit(1 if problems else 0)


def cmd_manage(args: argparse.Namespace) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tabyin manage", *args.rest])


def _ready_database() -> None:
    from tabyin.core.system import preflight

    preflight.database()
    preflight.migrations_applied()


def cmd_ingest(args: argparse.Namespace) -> None:
    from django.core.management.base import CommandError

    _ready_database()
    if args.file != "-" and not Path(args.file).is_file():
        raise Fatal(f"{args.file}: no such file.")
    try:
        _call("monitor_ingest", args.file, batch_size=args.batch_size)
    except CommandError as error:
        raise Fatal(str(error)) from None


def cmd_stories(args: argparse.Namespace) -> None:
    _ready_database()
    _call("monitor_stories", format=args.format)


def _sentiment_predict() -> Callable[[Sequence[tuple[str, ...]]], list[tuple[str, float]]]:
    """The sentiment model the site uses now; the shipped default on a database not migrated yet
    (a fresh data directory: the site, once migrated, would use that same default)."""
    from django.db import connection

    from tabyin.core.system import preflight

    preflight.database()
    from tabyin.monitor.models import ClassifierModel

    if ClassifierModel._meta.db_table in connection.introspection.table_names():
        from tabyin.monitor.ingest.selectors import classifier_current

        model = classifier_current()
    else:
        from tabyin.monitor.pipeline.classify import Classifier

        model = Classifier.default()
    return lambda items: model.predict_many([text for (text,) in items])


def _stance_predict(items: Sequence[tuple[str, ...]]) -> list[tuple[str, float]]:
    from tabyin.monitor.pipeline.stance import classify

    return [(result.label.value, result.score) for result in (classify(c, t) for c, t in items)]


def cmd_classify(args: argparse.Namespace) -> None:
    from tabyin.monitor.pipeline.classify_lines import FIELDS, run

    if args.file != "-" and not Path(args.file).is_file():
        raise Fatal(f"{args.file}: no such file.")
    predict = _sentiment_predict() if args.model == "sentiment" else _stance_predict
    if args.file == "-":
        run(sys.stdin.buffer, FIELDS[args.model], predict, sys.stdout, sys.stderr)
        return
    with Path(args.file).open("rb") as lines:
        run(lines, FIELDS[args.model], predict, sys.stdout, sys.stderr)


def cmd_backup(args: argparse.Namespace) -> None:
    # Imported on use (as every command's code): the others do not pay for it at start-up.
    from tabyin.cli_backup import cmd_backup

    cmd_backup(args)


def cmd_restore(args: argparse.Namespace) -> None:
    from tabyin.cli_backup import cmd_restore

    cmd_restore(args)


def _needs_django(args: argparse.Namespace) -> bool:
    # Stance is pure rules: no settings, apps or database to load before the first line. Backup and
    # restore read the environment only (see _site).
    if args.command in SECRET_COMMANDS:
        return False
    return not (args.command == "classify" and args.model == "stance")


# Commands that run at most a task or two by name: they skip importing every app's task modules at
# start-up (see tabyin.core.background.defer_discovery).
LEAN_COMMANDS = frozenset({"ingest", "stories", "classify"})
SECRET_COMMANDS = frozenset({"backup", "restore"})

COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], None], str]] = {
    "demo": (cmd_demo, "create the demo organization and serve it (embedded mode)"),
    "serve": (cmd_serve, "run the production web server (settings from the environment)"),
    "worker": (cmd_worker, "run a Celery worker (scaled mode, needs REDIS_URL)"),
    "beat": (cmd_beat, "run the Celery scheduler for periodic jobs (scaled mode)"),
    "check": (cmd_check, "check the configuration and the services it names"),
    "manage": (cmd_manage, "run a Django management command, e.g. `tabyin manage migrate`"),
    "ingest": (cmd_ingest, "ingest monitored posts from a JSON Lines file and print a summary"),
    "stories": (cmd_stories, "write every monitored story with its posts (JSON Lines)"),
    "classify": (cmd_classify, "label JSON Lines with the sentiment or stance model the site uses"),
    "backup": (
        cmd_backup,
        "write the database and the data directory to one encrypted archive",
    ),
    "restore": (
        cmd_restore,
        "bring an archive of `tabyin backup` back into an empty site",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="data directory (default: $TABYIN_DATA_DIR, else ./var)",
    )
    parser = argparse.ArgumentParser(prog="tabyin", parents=[common], description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = {
        # No abbreviations for backup and restore: "--passphrase SECRET" must be refused, not taken
        # as --passphrase-file (and the secret printed back in the error).
        name: sub.add_parser(
            name,
            parents=[common],
            help=help_text,
            description=help_text,
            allow_abbrev=name not in SECRET_COMMANDS,
        )
        for name, (_, help_text) in COMMANDS.items()
    }
    for name in ("demo", "serve"):
        parsers[name].add_argument("--host", default="127.0.0.1", help="address to listen on")
        parsers[name].add_argument("--port", type=int, default=8000, help="port to listen on")
    parsers["demo"].add_argument("--no-serve", action="store_true", help="load the data and stop")
    parsers["serve"].add_argument("--workers", type=int, default=0, help="override TABYIN_WEB_WORKERS")
    parsers["serve"].add_argument("--migrate", action="store_true", help="apply migrations first")
    parsers["worker"].add_argument("--concurrency", type=int, default=2, help="worker processes")
    parsers["check"].add_argument("--deploy", action="store_true", help="also production checks")
    parsers["ingest"].add_argument("file", help="one JSON post a line ('-' for standard input)")
    parsers["ingest"].add_argument("--batch-size", type=int, default=1000, help="posts per transaction")
    parsers["stories"].add_argument("--format", choices=["jsonl"], default="jsonl", help="output format")
    parsers["classify"].add_argument("model", choices=["sentiment", "stance"], help="which model")
    parsers["classify"].add_argument(
        "file", help="one JSON object a line: id, text (and claim for stance); '-' for standard input"
    )
    for name in ("backup", "restore"):
        parsers[name].add_argument("file", help="the archive")
        parsers[name].add_argument(
            "--passphrase-file",
            help="read the passphrase from this file (else $TABYIN_BACKUP_PASSPHRASE, else ask)",
        )
    parsers["backup"].add_argument(
        "--include-receipt-secret",
        action="store_true",
        help="also archive the receipt secret (by default it is left out: keep it apart)",
    )
    parsers["restore"].add_argument("--force", action="store_true", help="replace a non-empty target")
    parsers["manage"].add_argument("rest", nargs=argparse.REMAINDER, help="the Django command")
    return parser


def _pop_data_dir(args: argparse.Namespace, rest: list[str]) -> list[str]:
    """`tabyin manage CMD --data-dir D` must work like every other command."""
    for i, arg in enumerate(rest):
        if arg == "--data-dir" and i + 1 < len(rest):
            args.data_dir = rest[i + 1]
            return rest[:i] + rest[i + 2 :]
        if arg.startswith("--data-dir="):
            args.data_dir = arg.split("=", 1)[1]
            return rest[:i] + rest[i + 1 :]
    return rest


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.command == "manage":
        args.rest = _pop_data_dir(args, list(args.rest))
    from tabyin.config.env import ConfigError

    if args.command in LEAN_COMMANDS:
        from tabyin.core import background

        background.defer_discovery()
    try:
        if _needs_django(args):
            _setup(getattr(args, "data_dir", None))
        elif getattr(args, "data_dir", None):
            os.environ["TABYIN_DATA_DIR"] = args.data_dir
        COMMANDS[args.command][0](args)
    except (ConfigError, Fatal) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
