"""The `tabyin` command, run for real in subprocesses."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
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


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One first demo load (about a minute on 2 cores) shared by the tests that need a loaded data
    directory; its directory comes from the environment, not --data-dir."""
    data_dir = tmp_path_factory.mktemp("demo") / "env-dir"
    # Two minutes is not enough when several people share the two cores.
    return data_dir, run("demo", "--no-serve", timeout=600, TABYIN_DATA_DIR=str(data_dir))


@pytest.mark.timeout(900)  # the first test of the module pays for the shared demo load
def test_data_dir_from_environment(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    data_dir, first = demo

    assert first.returncode == 0, first.stderr
    assert (data_dir / "tabyin.sqlite3").exists()


def test_demo_twice_reuses_the_data(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    data_dir, first = demo
    credentials = (data_dir / "demo-credentials.txt").read_text()
    second = run("--data-dir", str(data_dir), "demo", "--no-serve", timeout=600)

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
    assert (data_dir / "demo-credentials.txt").read_text() == credentials
    assert stat.S_IMODE((data_dir / "demo-credentials.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
    assert f"Their generated passwords are in {data_dir / 'demo-credentials.txt'}" in first.stdout
    passwords = [line.split("\t")[1] for line in credentials.splitlines() if not line.startswith("#")]
    assert len(passwords) == 14
    assert len(set(passwords)) == 14
    assert all(len(p) >= 16 for p in passwords)


def test_check_passes_on_a_fresh_demo(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    data_dir, _first = demo

    result = run("check", "--data-dir", str(data_dir))

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == f"mode: embedded; data directory: {data_dir}"
    assert result.stdout.splitlines()[-1] == "all checks passed"


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = run("serve", "--port", str(free_port()), "--data-dir", str(tmp_path))

    assert result.returncode == 2
    assert "migration(s). To fix: run `tabyin manage migrate`" in _one_error_line(result.stderr)


@pytest.mark.timeout(120)
def test_demo_serves_the_site(demo: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    data_dir, _first = demo
    port = free_port()
    server = start("demo", "--port", str(port), "--data-dir", str(data_dir), log=tmp_path / "demo.log")
    try:
        # The demo checks its sample data (kept from the first load) and then serves.
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
