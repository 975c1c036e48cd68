"""A tiny real SMTP server for tests (no aiosmtpd: the standard library's sockets and a thread).

It speaks just enough of RFC 5321 for Django's SMTP backend: greeting, EHLO/HELO, MAIL, RCPT,
DATA (dot-unstuffing), RSET, NOOP, QUIT. Each message is kept as ``(sender, recipients, bytes)``.
It listens on a free port of 127.0.0.1 chosen by the system.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self._say("220 tabyin-test ESMTP")
        sender, recipients = "", []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self._say("250-tabyin-test")
                self._say("250-8BITMIME")
                self._say("250 SMTPUTF8")
            elif verb == "HELO":
                self._say("250 tabyin-test")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                self._say("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].split()[0].strip("<>"))
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.mailbox.messages.append(Received(sender, recipients, b"".join(lines)))
                self.server.mailbox.arrived.set()
                self._say("250 OK queued")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            elif verb in ("RSET", "NOOP"):
                self._say("250 OK")
            else:
                self._say("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


class SMTPServer:
    """``with SMTPServer() as smtp:`` … ``smtp.port``, ``smtp.mailbox.messages``."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.mailbox = Mailbox()
        self.port = int(self._server.server_address[1])
        self.mailbox = self._server.mailbox
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SMTPServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mailers(self) -> dict[str, object]:
        """The ``MAILERS`` setting that sends through this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "use_tls": False, "timeout": 5},
            }
        }
