"""Local servers that speak the messenger APIs, for the demo and the tests (nothing leaves the
machine). One server answers all three shapes:

- ``POST /bot<token>/sendMessage`` with a JSON body (Telegram, Bale), and
- ``POST /<token>/sendMessage`` with a form body (Eitaayar),

with ``{"ok": true, "result": {"message_id": n, …}}``; a token named in ``refuse`` gets HTTP 401
``{"ok": false, "error_code": 401, "description": "Unauthorized"}`` as the real APIs answer, and
``fail_next`` answers that many requests with HTTP 502 (a flaky gateway) before taking any.
It listens on 127.0.0.1 on a port the system chooses.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Received:
    path: str
    token: str
    body: dict[str, Any]


@dataclass
class SinkState:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the token is part of the path."""

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path.strip("/").split("/")
        if len(parts) < 2 or parts[-1] != "sendMessage":
            self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token = parts[-2].removeprefix("bot")
        if "json" in (self.headers.get("Content-Type") or ""):
            body = json.loads(raw or b"{}")
        else:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        state = self.server.state
        with state.lock:
            if state.fail_next > 0:
                state.fail_next -= 1
                self._answer(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
                return
            if token in state.refuse:
                self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            state.received.append(Received(path=self.path, token=token, body=body))
            number = len(state.received)
        self._answer(
            200,
            {
                "ok": True,
                "result": {
                    "message_id": number,
                    "chat": {"id": body.get("chat_id")},
                    "text": body.get("text"),
                },
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: SinkState


class BotSink:
    """``with BotSink() as sink:`` … ``sink.url``, ``sink.state.received``."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = SinkState()
        self.state = self._server.state
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> BotSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
