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


def test_demo_no_serve_checks_no_port(tmp_path: Path) -> None:
    """`make test` beside `make demo`: loading data must not care who listens on the port."""
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        result = run(
            "demo",
            "--no-serve",
            "--port",
            str(busy),
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/tabyin",
            TABYIN_DATA_DIR=str(tmp_path),
        )

    assert result.returncode == 2
    # It went past the port to the database, the first thing --no-serve needs.
    assert _one_error_line(result.stderr).startswith("tabyin: error: cannot reach the database ")


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
        "demo data [core]: organization: 128 units created, 0 kept; staff: 15 accounts created, 0 kept"
        in first.stdout
    )
    assert (
        "demo data [core]: organization: 0 units created, 128 kept; staff: 0 accounts created, 15 kept"
        in second.stdout
    )
    assert (data_dir / "demo-credentials.txt").read_text() == credentials
    assert stat.S_IMODE((data_dir / "demo-credentials.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
    assert f"Their generated passwords are in {data_dir / 'demo-credentials.txt'}" in first.stdout
    passwords = [line.split("\t")[1] for line in credentials.splitlines() if not line.startswith("#")]
    assert len(passwords) == 15
    assert len(set(passwords)) == 15
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


# A client address that appears nowhere else: the server listens on 127.0.0.1, the client comes
# from 127.0.0.2 (all of 127/8 is loopback), and the forwarded headers name documentation ranges.
CLIENT = "127.0.0.2"
FORWARDED = ("203.0.113.77", "198.51.100.5", "2001:db8::77")


def _raw(port: int, payload: bytes, *, read: bool = True) -> bytes:
    """Send ``payload`` from CLIENT and read until the server closes (or 5 s of silence). The write
    side stays open: granian, like most servers, drops a request whose client half-closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(CLIENT, 0)) as conn:
        conn.sendall(payload)
        if not read:
            return b""
        chunks = []
        try:
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


@pytest.mark.timeout(180)
def test_no_client_address_in_any_log(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    log = tmp_path / "serve.log"
    server = start(
        "serve",
        "--migrate",
        "--port",
        str(port),
        "--workers",
        "1",
        "--data-dir",
        str(data_dir),
        log=log,
        TABYIN_LOG_LEVEL="DEBUG",
    )
    forwarded = (
        f"X-Forwarded-For: {FORWARDED[0]}\r\nForwarded: for={FORWARDED[1]}\r\n"
        f"X-Real-IP: {FORWARDED[2]}\r\nX-Client-IP: {FORWARDED[0]}\r\n"
    ).encode()
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120)
        answers = {
            # A request head over 16 KB: granian answers 431 before Python sees it.
            "long line": _raw(
                port, b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n" + forwarded + b"\r\n"
            ),
            "big header": _raw(
                port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20_000 + b"\r\n" + forwarded + b"\r\n"
            ),
            "many headers": _raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-N: 1\r\n" * 150 + b"\r\n"),
            "garbage": _raw(port, b"\x16\x03\x01\x02\x00 not http at all\r\n\r\n"),
            "bad version": _raw(port, b"GET / HTTP/9.9\r\nHost: x\r\n" + forwarded + b"\r\n"),
            "bad method": _raw(port, b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n"),
            "partial": _raw(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 203.0", read=False),
            # Through to Django: a host it refuses (logged by django.security) and a missing page.
            "bad host": _raw(
                port,
                f"GET / HTTP/1.1\r\nHost: {FORWARDED[0]}\r\nConnection: close\r\n".encode()
                + forwarded
                + b"\r\n",
            ),
            "not found": _raw(
                port,
                b"GET /no-such-page/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + forwarded
                + b"\r\n",
            ),
        }
        wait_http(f"http://127.0.0.1:{port}/healthz")
    finally:
        stop(server)

    assert answers["long line"].startswith(b"HTTP/1.1 431"), answers["long line"][:80]
    assert answers["big header"].startswith(b"HTTP/1.1 431"), answers["big header"][:80]
    assert answers["garbage"].startswith(b"HTTP/1.1 400"), answers["garbage"][:80]
    assert answers["bad method"].startswith(b"HTTP/1.1 400"), answers["bad method"][:80]
    assert answers["bad host"].startswith(b"HTTP/1.1 400"), answers["bad host"][:80]
    assert answers["not found"].startswith(b"HTTP/1.1 404"), answers["not found"][:80]
    text = log.read_text(errors="replace")
    # The server did log these requests (so the search below is not vacuous), without the address.
    # The server's own lines and Django's refusal of the host (which named an address) are there.
    assert f"Listening at: http://127.0.0.1:{port}" in text, text[-3000:]
    assert "Invalid HTTP_HOST header: '[address]'" in text, text[-3000:]
    for address in (CLIENT, *FORWARDED, "203.0"):
        assert address not in text, address
    # Nor anywhere in the data directory (database, mail, run files).
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert CLIENT.encode() not in path.read_bytes(), path


@pytest.mark.timeout(600)
def test_load_benchmark_runs_a_few_seconds_without_errors(
    demo: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    """benchmarks/load_public_and_report.py on a copy of the demo: every request answered as
    expected and every report it sent stored. Its timings are printed, never asserted."""
    import shutil
    import sys

    from tests.cli_helpers import clean_env

    data_dir, _ = demo
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    root = Path(__file__).resolve().parents[2]
    script = root / "benchmarks" / "load_public_and_report.py"
    # Two reporters and two reports: both start at once, so exactly two arrive however slow the machine.
    args = ["--seconds", "4", "--readers", "2", "--reporters", "2", "--reports", "2", "--pow-bits", "8"]
    done = subprocess.run(
        [sys.executable, str(script), *args, "--data-dir", str(copy), "--json"],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["errors"] == 0, figures["error_samples"]
    assert (figures["reports_confirmed"], figures["reports_in_database"]) == (2, 2)
    assert sorted(figures["endpoints"]) == [
        "API read",
        "home page",
        "indicator page",
        "receipt page",
        "report POST",
        "report form GET",
        "search",
    ]
    flow = ("report form GET", "report POST", "receipt page")
    assert [figures["endpoints"][name]["requests"] for name in flow] == [2, 2, 2]
