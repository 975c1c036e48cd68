"""The one way adapters talk HTTP: a bounded, conditional GET with errors a person understands.

* The whole response must arrive within ``TABYIN_MONITOR_FETCH_TIMEOUT_SECONDS``: each network wait
  is bounded by it and the body is read against one deadline, so a server that never answers, or
  drips a byte at a time, fails the poll instead of holding a worker (a last wait that started just
  before the deadline may overrun it by at most one timeout).
* The body is streamed and abandoned past ``TABYIN_MONITOR_MAX_RESPONSE_BYTES`` (a 50 MB "feed").
* At most ``MAX_REDIRECTS`` redirects; a loop ends there.
* ``If-None-Match``/``If-Modified-Since`` are sent when the source gave validators; 304 is a result.
* One client per process, shared by its threads: a new client loads the system's CA certificates
  (~45 ms of CPU, more than the rest of a poll), and a kept-alive connection spares the host a
  handshake a poll.
* Any failure is a ``FetchError`` carrying a code, the HTTP status, ``Retry-After`` and the first
  bytes of what the server sent, which the poller keeps for diagnosis.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "Tabyin-monitor/1 (+https://github.com/tabyin; public-interest media monitoring)"

# One readable sentence per failure; %(...)s are filled from the error's details.
MESSAGES: dict[str, Any] = {
    "timeout": _("The source did not answer completely within %(seconds)s seconds."),
    "connect": _("Could not connect to %(host)s: %(detail)s"),
    "too_large": _("The response is larger than %(limit)s MB; reading stopped."),
    "redirects": _("Too many redirects (more than %(limit)s): the address redirects in a loop."),
    "rate_limited": _("The server asks us to slow down (HTTP 429); next try after %(seconds)s seconds."),
    "http": _("The server answered with HTTP %(status)s."),
    "bad_url": _("The address %(url)s is not a web address Tabyin can read."),
    "not_a_feed": _("The address returned a web page, not an RSS or Atom feed."),
    "invalid_feed": _("The feed cannot be read: %(detail)s"),
    "encoding": _("The text is not in the encoding it declares (%(encoding)s)."),
    "no_posts": _("No channel posts were found on the page: the channel may not exist or be private."),
    "no_text": _("No article text was found on the page."),
    "config": _("%(detail)s"),
}


class FetchError(Exception):
    """A poll that failed. ``str(error)`` is English (logs); ``message()`` follows the active
    language (the health page, ``Source.last_error``)."""

    def __init__(
        self,
        code: str,
        *,
        status: int | None = None,
        raw: bytes = b"",
        content_type: str = "",
        retry_after: float | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.status = status
        self.raw = raw
        self.content_type = content_type
        self.retry_after = retry_after
        self.params = {"status": status, **params}
        super().__init__(self.english())

    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params

    def english(self) -> str:
        with override("en"):
            return self.message()


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    url: str
    content: bytes
    content_type: str
    encoding: str | None
    etag: str
    last_modified: str

    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` is either seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Shared:
    client: httpx.Client | None = None
    pid = 0
    lock = threading.Lock()


def _client() -> httpx.Client:
    """The process's client; a forked worker (Celery prefork) makes its own, never its parent's."""
    with _Shared.lock:
        if _Shared.client is None or _Shared.pid != os.getpid():
            _Shared.client = httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30),
            )
            _Shared.pid = os.getpid()
        return _Shared.client


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Response:
    """GET ``url`` within the limits above; raise ``FetchError`` for anything but 2xx or 304."""
    parts = httpx.URL(url) if url.startswith(("http://", "https://")) else None
    if parts is None or not parts.host:
        raise FetchError("bad_url", url=url)
    seconds = float(timeout if timeout is not None else settings.TABYIN_MONITOR_FETCH_TIMEOUT_SECONDS)
    limit = int(max_bytes if max_bytes is not None else settings.TABYIN_MONITOR_MAX_RESPONSE_BYTES)
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + seconds
    try:
        with _client().stream("GET", url, headers=headers, timeout=httpx.Timeout(seconds)) as response:
            return _read(response, deadline=deadline, seconds=seconds, limit=limit)
    except httpx.TimeoutException as error:
        raise FetchError("timeout", seconds=_number(seconds)) from error
    except httpx.TooManyRedirects as error:
        raise FetchError("redirects", limit=MAX_REDIRECTS) from error
    except httpx.HTTPError as error:
        raise FetchError("connect", host=parts.host, detail=type(error).__name__) from error


def _read(response: httpx.Response, *, deadline: float, seconds: float, limit: int) -> Response:
    content_type = response.headers.get("content-type", "")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            "too_large", status=response.status_code, content_type=content_type, limit=limit // 2**20
        )
    body = bytearray()
    for chunk in response.iter_bytes(CHUNK):
        body += chunk
        if len(body) > limit:
            raise FetchError(
                "too_large",
                status=response.status_code,
                raw=bytes(body[: settings.TABYIN_MONITOR_RAW_KEEP_BYTES]),
                content_type=content_type,
                limit=limit // 2**20,
            )
        if time.monotonic() > deadline:
            raise FetchError("timeout", raw=bytes(body), content_type=content_type, seconds=_number(seconds))
    status = response.status_code
    if status == 429:
        wait = retry_after_seconds(response.headers.get("retry-after"))
        raise FetchError(
            "rate_limited",
            status=status,
            raw=bytes(body),
            content_type=content_type,
            retry_after=wait,
            seconds=_number(wait or 0),
        )
    if status != 304 and not 200 <= status < 300:
        wait = retry_after_seconds(response.headers.get("retry-after")) if status >= 500 else None
        raise FetchError("http", status=status, raw=bytes(body), content_type=content_type, retry_after=wait)
    return Response(
        status=status,
        url=str(response.url),
        content=bytes(body),
        content_type=content_type,
        encoding=response.charset_encoding,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
