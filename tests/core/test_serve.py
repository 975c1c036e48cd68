"""`tabyin serve` on granian, run for real: slow clients do not hold the site, a response answered
before Django (core.response_front) carries Django's headers, and SIGTERM stops it cleanly."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import free_port, start, stop, wait_http

pytestmark = pytest.mark.cli

THREADS = 2
SLOW_CLIENTS = 8  # four times the threads of the one worker


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, subprocess.Popen[bytes]]]:
    work = tmp_path_factory.mktemp("serve")
    port = free_port()
    log = work / "serve.log"
    server = start(
        "serve",
        "--migrate",
        "--port",
        str(port),
        "--workers",
        "1",
        "--data-dir",
        str(work / "data"),
        log=log,
        TABYIN_WEB_THREADS=str(THREADS),
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=180)
        yield port, log, server
    finally:
        stop(server)


def _head_and_body(port: int, path: str) -> tuple[list[bytes], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head.split(b"\r\n"), body


def _without_date(lines: list[bytes]) -> list[bytes]:
    return [line for line in lines if not line.lower().startswith(b"date:")]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("path", ["/", "/api/v1/datasets"])
def test_an_answer_from_the_front_copy_has_djangos_headers(
    site: tuple[int, Path, subprocess.Popen[bytes]], path: str
) -> None:
    port, _log, _server = site
    first_head, first_body = _head_and_body(port, path)  # Django renders it (or its cache answers)
    second_head, second_body = _head_and_body(port, path)  # the front copy answers
    third_head, third_body = _head_and_body(port, path)

    assert first_head[0] == b"HTTP/1.1 200 OK"
    assert any(line.lower().startswith(b"date: ") for line in second_head)
    state = [line for line in first_head if line.lower().startswith(b"x-tabyin-cache:")]
    assert state in ([b"x-tabyin-cache: miss"], [b"x-tabyin-cache: hit"])
    # Byte for byte the same, in the same order, but for Date and the cache's own report.
    first = [b"x-tabyin-cache: hit" if line in state else line for line in _without_date(first_head)]
    assert _without_date(second_head) == first
    assert _without_date(third_head) == first
    assert second_body == first_body == third_body


@pytest.mark.timeout(240)
def test_clients_that_send_their_headers_a_byte_a_second_do_not_stop_a_normal_request(
    site: tuple[int, Path, subprocess.Popen[bytes]],
) -> None:
    port, _log, _server = site
    stop_sending = threading.Event()
    still_connected: list[bool] = []

    def trickle() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            try:
                for byte in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200:
                    if stop_sending.is_set():
                        break
                    sock.send(bytes([byte]))
                    time.sleep(1)
                still_connected.append(True)
            except OSError:
                still_connected.append(False)

    slow = [threading.Thread(target=trickle, daemon=True) for _ in range(SLOW_CLIENTS)]
    for thread in slow:
        thread.start()
    time.sleep(3)  # every slow client is connected and part-way through its request line
    try:
        answers = []
        for _ in range(5):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=10) as response:
                answers.append((response.status, response.headers["Content-Type"]))
    finally:
        stop_sending.set()
        for thread in slow:
            thread.join(timeout=10)

    assert answers == [(200, "application/json; charset=utf-8")] * 5
    # The slow clients were still there, sending, while the normal requests were answered.
    assert still_connected == [True] * SLOW_CLIENTS


@pytest.mark.timeout(240)
def test_sigterm_stops_the_server_and_its_workers(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    server = start("serve", "--migrate", "--port", str(port), "--data-dir", str(tmp_path / "data"), log=log)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=180)
    finally:
        stop(server)

    assert server.returncode == 0, log.read_text()[-2000:]
    text = log.read_text()
    assert "Granian shutdown completed" in text
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
