"""The `tabyin` command, run for real in subprocesses."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest

from tests.cli_helpers import free_port, run, start, stop, wait_http

pytestmark = pytest.mark.cli


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_malformed_database_url_names_the_variable(tmp_path: Path) -> None:
    result = run("check", DATABASE_URL="mysql://root@localhost/x", TABYIN_DATA_DIR=str(tmp_path))

    assert result.returncode == 2
    assert _one_error_line(result.stderr) == (
        "tabyin: error: DATABASE_URL='mysql://root@localhost/x': must start with postgres://, "
        "postgresql:// or sqlite:///, e.g. postgres://tabyin@127.0.0.1:5432/tabyin"
    )


def test_bad_boolean_names_the_variable(tmp_path: Path) -> None:
    result = run("check", TABYIN_DEBUG="maybe", TABYIN_DATA_DIR=str(tmp_path))

    assert result.returncode == 2
    assert _one_error_line(result.stderr).startswith(
        "tabyin: error: TABYIN_DEBUG='maybe': Input should be a valid boolean"
    )


def test_unreachable_database_is_one_plain_line(tmp_path: Path) -> None:
    port = free_port()
    result = run(
        "demo",
        "--no-serve",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/tabyin",
        TABYIN_DATA_DIR=str(tmp_path),
    )

    assert result.returncode == 2
    line = _one_error_line(result.stderr)
    assert line.startswith(
        f"tabyin: error: cannot reach the database (PostgreSQL at 127.0.0.1:{port}, database 'tabyin'): "
    )
    assert line.endswith("To fix: start the database server or fix DATABASE_URL.")


def test_unreachable_redis_is_one_plain_line(tmp_path: Path) -> None:
    port = free_port()
    result = run("worker", REDIS_URL=f"redis://127.0.0.1:{port}/0", TABYIN_DATA_DIR=str(tmp_path))

    assert result.returncode == 2
    line = _one_error_line(result.stderr)
    assert line.startswith(f"tabyin: error: cannot reach Redis at 127.0.0.1:{port} (REDIS_URL): ")
    assert line.endswith("To fix: start Redis, fix REDIS_URL, or unset it to run in embedded mode.")


def test_worker_without_redis_explains_embedded_mode(tmp_path: Path) -> None:
    result = run("worker", "--data-dir", str(tmp_path))

    assert result.returncode == 2
    assert _one_error_line(result.stderr).startswith(
        "tabyin: error: workers run only in scaled mode: set REDIS_URL"
    )


def test_port_in_use_is_one_plain_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("demo", "--port", str(port), "--data-dir", str(tmp_path))

    assert result.returncode == 2
    assert _one_error_line(result.stderr) == (
        f"tabyin: error: port {port} on 127.0.0.1 is already in use (is another Tabyin running?). "
        "Stop it or choose another port with --port."
    )


def test_unwritable_data_dir_is_one_plain_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")

    result = run("check", "--data-dir", str(blocker / "data"))

    assert result.returncode == 2
    assert _one_error_line(result.stderr) == (
        f"tabyin: error: TABYIN_DATA_DIR='{blocker / 'data'}': the data directory is not writable "
        "(Not a directory). Choose another with --data-dir or TABYIN_DATA_DIR."
    )


def test_demo_twice_reuses_the_data(tmp_path: Path) -> None:
    first = run("demo", "--no-serve", "--data-dir", str(tmp_path))
    credentials = (tmp_path / "demo-credentials.txt").read_text()
    second = run("--data-dir", str(tmp_path), "demo", "--no-serve")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert (
        "demo data [core]: organization: 128 units created, 0 kept; staff: 14 accounts created, 0 kept"
        in first.stdout
    )
    assert (
        "demo data [core]: organization: 0 units created, 128 kept; staff: 0 accounts created, 14 kept"
        in second.stdout
    )
    assert (tmp_path / "demo-credentials.txt").read_text() == credentials
    assert stat.S_IMODE((tmp_path / "demo-credentials.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert f"Their generated passwords are in {tmp_path / 'demo-credentials.txt'}" in first.stdout
    passwords = [line.split("\t")[1] for line in credentials.splitlines() if not line.startswith("#")]
    assert len(passwords) == 14
    assert len(set(passwords)) == 14
    assert all(len(p) >= 16 for p in passwords)


def test_data_dir_from_environment(tmp_path: Path) -> None:
    result = run("demo", "--no-serve", TABYIN_DATA_DIR=str(tmp_path / "env-dir"))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env-dir" / "tabyin.sqlite3").exists()


def test_check_passes_on_a_fresh_demo(tmp_path: Path) -> None:
    run("demo", "--no-serve", "--data-dir", str(tmp_path))

    result = run("check", "--data-dir", str(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == f"mode: embedded; data directory: {tmp_path}"
    assert result.stdout.splitlines()[-1] == "all checks passed"


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = run("serve", "--port", str(free_port()), "--data-dir", str(tmp_path))

    assert result.returncode == 2
    assert "migration(s). To fix: run `tabyin manage migrate`" in _one_error_line(result.stderr)


@pytest.mark.timeout(120)
def test_demo_serves_the_site(tmp_path: Path) -> None:
    port = free_port()
    server = start("demo", "--port", str(port), "--data-dir", str(tmp_path), log=tmp_path / "demo.log")
    try:
        # A first demo loads every app's sample data (about a minute on 2 cores) before it serves.
        health = json.loads(wait_http(f"http://127.0.0.1:{port}/healthz", timeout=240))
        home = wait_http(f"http://127.0.0.1:{port}/").decode()
        css = wait_http(f"http://127.0.0.1:{port}/static/tabyin/css/shell.css")
    finally:
        stop(server)

    assert health["ok"] is True
    assert health["database"]["engine"] == "sqlite"
    assert health["tasks"]["engine"] == "in-process"
    assert '<html lang="fa" dir="rtl">' in home
    assert '<p class="demo-banner" role="note">' in home  # sample data is labelled as such
    assert b"Vazirmatn" in css
    log = (tmp_path / "demo.log").read_text()
    assert f"on http://127.0.0.1:{port}/" in log


def test_manage_runs_django_commands(tmp_path: Path) -> None:
    result = run("manage", "showmigrations", "core", "--data-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "[ ] 0001_initial" in result.stdout
