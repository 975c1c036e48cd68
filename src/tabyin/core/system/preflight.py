"""Start-up and `tabyin check` probes that turn failures into one line a person can act on."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

from tabyin.core.errors import OperatorError as Fatal


def _where() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite at {db['NAME']}"
    return (
        f"PostgreSQL at {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}, database {db.get('NAME')!r}"
    )


def database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except OperationalError as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        hint = "start the database server or fix DATABASE_URL"
        if "does not exist" in text:
            hint = "create it (e.g. `createdb NAME`) or fix DATABASE_URL"
        elif "password" in text or "authentication" in text:
            hint = "fix the user name or password in DATABASE_URL"
        elif "unable to open" in text:
            hint = "check that TABYIN_DATA_DIR is writable"
        raise Fatal(f"cannot reach the database ({_where()}): {text}. To fix: {hint}.") from None
    finally:
        connection.close()


def redis() -> None:
    import redis as redis_lib

    url = settings.ENV.redis_url
    parts = urlsplit(url)
    try:
        redis_lib.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis_lib.RedisError as error:
        raise Fatal(
            f"cannot reach Redis at {parts.hostname}:{parts.port or 6379} (REDIS_URL): {error}. "
            "To fix: start Redis, fix REDIS_URL, or unset it to run in embedded mode."
        ) from None


def migrations_applied() -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise Fatal(
            f"the database needs {len(pending)} migration(s). "
            "To fix: run `tabyin manage migrate` (or `tabyin serve --migrate`)."
        )


def otp_key_opens_devices() -> None:
    """A restored database with another authenticator key would refuse every staff member's code:
    say so before anyone tries. One stored device is enough to tell."""
    from django.db import DatabaseError

    from tabyin.core import otp_sealing
    from tabyin.core.models import SealedTotpDevice

    try:
        device = SealedTotpDevice.objects.order_by("pk").first()
    except DatabaseError:
        return  # not migrated yet: the migrations probe says so
    if device is None:
        return
    try:
        device.bin_key  # noqa: B018 (opening it is the check)
    except otp_sealing.OtpKeyError:
        raise Fatal(
            "the authenticator key (TABYIN_OTP_KEY, else DATA_DIR/otp_key) does not open the stored "
            "authenticators. To fix: put back the key these were sealed with (it is in the backup "
            "of the data directory), or reset every staff member's second factor."
        ) from None


def _django_checks(deploy: bool) -> list[str]:
    from django.core import checks

    messages = checks.run_checks(include_deployment_checks=deploy)
    return [f"{m.id}: {m.msg}" for m in messages if m.level >= checks.WARNING and not m.is_silenced()]


def report(*, deploy: bool) -> list[str]:
    """Print one line per check; return the problems found."""
    env = settings.ENV
    problems: list[str] = []

    def probe(label: str, run: Callable[[], None]) -> None:
        try:
            run()
        except Fatal as error:
            problems.append(str(error))
            print(f"✗ {label}: {error}")
        else:
            print(f"✓ {label}")

    print(f"mode: {'scaled' if env.scaled else 'embedded'}; data directory: {env.data_dir}")
    probe("data directory is writable", lambda: None)  # settings import already proved it
    probe(f"database ({_where()})", database)
    probe("migrations applied", migrations_applied)
    probe("authenticator key", otp_key_opens_devices)
    if env.scaled:
        probe("Redis", redis)
        if not env.secret_key:
            problems.append("TABYIN_SECRET_KEY is empty in scaled mode")
            print("✗ TABYIN_SECRET_KEY: set the same key on every web process in scaled mode")
        if not env.otp_key:
            problems.append("TABYIN_OTP_KEY is empty in scaled mode")
            print("✗ TABYIN_OTP_KEY: set the same key on every web and worker process in scaled mode")
    for line in _django_checks(deploy):
        problems.append(line)
        print(f"✗ {line}")
    print("all checks passed" if not problems else f"{len(problems)} problem(s) found")
    return problems
