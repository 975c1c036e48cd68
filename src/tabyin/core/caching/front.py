"""Answer repeated anonymous reads of cached public responses before Django's middleware chain.

``core.response_cache`` saves the render; what a hit still cost under load was the rest of the
request through Django: building the request, fourteen middleware (session, CSRF, locale, auth,
OTP, messages, axes…), the URL resolver, the scope's counter reads and the rebuilt response, about
a millisecond of CPU a request, which at 50 concurrent clients on 2 cores is the whole p95 budget.

This WSGI layer keeps, per process, a copy of the *final* responses Django sent for such reads,
headers as the middleware left them, and answers the same request again from that copy while its
version token is still current (``Stamp.current``: the publish counters, from the process's memo
while it is younger than ``TABYIN_CACHE_VERSION_TTL_MS``, see ``portal.versions``). What it
keeps and when:

- Only responses that ``core.response_cache`` stamped: a cached public read (hit or miss there),
  status 200, setting no cookie, or only the CSRF cookie to a visitor who sent no cookie at all.
  Django decided everything about them once; what depends on the visitor is the CSP nonce and,
  on a page with a form, the CSRF token.
- The key is what Django's answer depends on: scheme, host, port, script name, path and query, the
  forwarded scheme/host/port headers, and the request headers the response's ``Vary`` names
  (``Cookie``, ``Accept-Language``…), so a visitor whose cookies differ has a key of their own.
  ``Vary: *`` is never kept.
- Never answered here: anything but GET, a conditional request (``If-None-Match``: Django's 304),
  a request with a session or messages cookie (staff, a pending message), a stale token. Those go
  to Django, whose answer refreshes the copy.
- The CSP nonce is fresh for every response: the nonce Django used is a marker in the stored body
  and header, replaced by a new ``secrets.token_urlsafe(16)``, as ``core.response_cache`` does.
  A page with a form (only kept for a visitor without cookies) gets a new CSRF secret, its masked
  token in the form and the ``Set-Cookie`` Django's CSRF middleware writes for a first visit,
  made by Django's own functions. The headers are otherwise byte for byte Django's
  (``X-Tabyin-Cache`` says ``hit``); the server adds ``Date`` as it does for Django's answers
  (tests/portal/test_response_front.py).

gzip (ADR 0041): the copy is the identity one (``compression.Identity``, left on a response
``CompressionMiddleware`` compressed) and ``Accept-Encoding`` is not in the key although ``Vary``
names it; each hit is negotiated here. A copy without per-visitor bytes is answered from a gzip
made once; a page's fixed text is deflated once and stitched around the answer's own nonce and
token (``compression.stitched``). The headers are then those the middleware writes: the new
``Content-Length``, the weak ETag, ``Content-Encoding: gzip`` last.

In trusted-proxy mode a ``X-Forwarded-Proto`` header from anywhere but loopback is dropped here,
before Django's ``SECURE_PROXY_SSL_HEADER`` can believe it (gunicorn's ``forwarded_allow_ips``
did this before).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from tabyin.core.caching.responses import CSRF_INPUT, FRONT_STAMP, HEADER, Current, Stamp
from tabyin.core.web import compression

logger = logging.getLogger(__name__)

# Per process; the largest response (an indicator page) is about 100 KB.
BUDGET_BYTES: Final = 64 * 1024 * 1024
# Addresses whose Vary is remembered (a few hundred bytes each); the oldest are forgotten first.
MAX_ADDRESSES: Final = 20_000
_NONCE_MARK: Final = "\x00tabyin-front-nonce\x00"
_CSRF_MARK: Final = b"\x00tabyin-front-csrf\x00"
_MARKS: Final = re.compile(b"(" + re.escape(_NONCE_MARK.encode()) + b"|" + re.escape(_CSRF_MARK) + b")")
_ADDRESS_KEYS: Final = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)
_LOOPBACK: Final = frozenset({"127.0.0.1", "::1"})

type Environ = dict[str, Any]
type StartResponse = Callable[..., Any]
type WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
type Address = tuple[str, ...]


@dataclass(frozen=True)
class Copy:
    token: str
    current: Current
    status: str
    headers: tuple[tuple[str, str], ...]
    # The body split at its markers: text, marker, text, …; joined once per answer.
    pieces: tuple[bytes, ...]
    size: int
    nonce: bool
    csrf: bool
    # The identity bytes and headers are kept; ``compressible``: a client that accepts gzip gets
    # them compressed: ``gzipped`` (made once) when there are no per-visitor bytes to write, else
    # the fixed pieces ``deflated`` once, stitched around the answer's own nonce and token.
    compressible: bool
    gzipped: bytes | None
    deflated: tuple[bytes, ...]


class Front:
    def __init__(self, app: WSGIApp, budget: int = BUDGET_BYTES) -> None:
        self.app, self.budget = app, budget
        self.lock = threading.Lock()
        self.vary: OrderedDict[Address, tuple[str, ...]] = OrderedDict()
        self.copies: OrderedDict[tuple[Address, tuple[str, ...]], Copy] = OrderedDict()
        self.size = 0
        self.personal = (f"{settings.SESSION_COOKIE_NAME}=", "messages=")
        self.trusted_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if self.trusted_proxy and environ.get("REMOTE_ADDR") not in _LOOPBACK:
            environ.pop("HTTP_X_FORWARDED_PROTO", None)
        if not self._eligible(environ):
            return self.app(environ, start_response)
        address = tuple(str(environ.get(k, "")) for k in _ADDRESS_KEYS)
        vary = self.vary.get(address)
        key = (address, tuple(str(environ.get(h, "")) for h in vary)) if vary is not None else None
        copy = self.copies.get(key) if key is not None else None
        if copy is not None and self._still_current(copy):
            return self._answer(copy, environ, start_response)
        sent: list[Any] = []

        def recording(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording)
        if sent and isinstance(result, HttpResponse):
            self._keep(environ, address, result, sent[0], sent[1])
        return result

    def _eligible(self, environ: Environ) -> bool:
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_IF_NONE_MATCH" in environ:
            return False
        if "HTTP_IF_MODIFIED_SINCE" in environ:
            return False
        cookies = str(environ.get("HTTP_COOKIE", ""))
        return not any(name in cookies for name in self.personal)

    @staticmethod
    def _still_current(copy: Copy) -> bool:
        try:
            return copy.current(copy.token)
        except Exception:  # noqa: BLE001 (an unreadable counter: let Django answer, and log it there)
            return False

    def _answer(self, copy: Copy, environ: Environ, start_response: StartResponse) -> list[bytes]:
        headers = list(copy.headers)
        values: dict[bytes, bytes] = {}
        if copy.nonce:
            nonce = secrets.token_urlsafe(16)  # as django.utils.csp.generate_nonce
            values[_NONCE_MARK.encode()] = nonce.encode()
            headers = [(k, v.replace(_NONCE_MARK, nonce)) for k, v in headers]
        csrf_secret = ""
        if copy.csrf:
            csrf_secret, token = _csrf_secret_and_token()
            values[_CSRF_MARK] = token.encode()
        pieces = copy.pieces
        body = b"".join(values[p] if i % 2 else p for i, p in enumerate(pieces)) if values else pieces[0]
        if copy.compressible and compression.accepts_gzip(str(environ.get("HTTP_ACCEPT_ENCODING", ""))):
            gzipped = copy.gzipped
            if len(pieces) > 1:
                parts = (copy.deflated[i // 2] if i % 2 == 0 else compression.deflated(values[p])
                         for i, p in enumerate(pieces))  # fmt: skip
                gzipped = compression.stitched(tuple(parts), body)
            if gzipped is not None and len(gzipped) < len(body):
                body, headers = gzipped, compression.gzip_headers(headers, len(gzipped))
        if copy.csrf:
            headers.append(("Set-Cookie", _csrf_cookie(csrf_secret)))
        start_response(copy.status, headers)
        return [body]

    def _keep(
        self,
        environ: Environ,
        address: Address,
        response: HttpResponse,
        status: str,
        headers: list[tuple[str, str]],
    ) -> None:
        stamp = getattr(response, FRONT_STAMP, None)
        if not isinstance(stamp, Stamp) or response.status_code != 200:
            return
        # A cookie is kept out of the copy only when it is the CSRF cookie of a first visit, which
        # _answer makes anew; any other cookie means a response of the visitor's own.
        first_visit = stamp.csrf and not environ.get("HTTP_COOKIE")
        if set(response.cookies) - ({settings.CSRF_COOKIE_NAME} if first_visit else set()):
            return
        if stamp.csrf and not first_visit:
            return
        headers = [(k, v) for k, v in headers if k.lower() != "set-cookie"]
        vary_names = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        if "*" in vary_names:
            return
        # The encoding is negotiated here, per answer, from the one identity copy.
        vary = tuple(
            sorted(
                "HTTP_" + v.upper().replace("-", "_") for v in vary_names if v.lower() != "accept-encoding"
            )
        )
        body = response.content
        identity = getattr(response, compression.IDENTITY, None)
        if isinstance(identity, compression.Identity):
            body, headers = identity.body, compression.identity_headers(headers, identity)
        if stamp.csrf:
            body, swapped = CSRF_INPUT.subn(rb"\1" + _CSRF_MARK + rb"\2", body)
            if not swapped:
                return
        nonce = bool(stamp.nonce) and str(stamp.nonce)
        if nonce:
            body = body.replace(nonce.encode(), _NONCE_MARK.encode())
            headers = [(k, v.replace(nonce, _NONCE_MARK)) for k, v in headers]
        headers = [(k, "hit" if k == HEADER else v) for k, v in headers]
        pieces = tuple(_MARKS.split(body)) if nonce or stamp.csrf else (body,)
        encoding = next((v for k, v in headers if k.lower() == "content-encoding"), None)
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        compressible = compression.compressible(response.status_code, kind, len(body), encoding is not None)
        # The same bytes for everyone and no secret in them: compressed once, without padding.
        gzipped = compression.gzip(body, pad=False) if compressible and len(pieces) == 1 else None
        deflated = (
            tuple(compression.deflated(p) for p in pieces[::2]) if compressible and len(pieces) > 1 else ()
        )
        copy = Copy(
            stamp.token,
            stamp.current,
            status,
            tuple(headers),
            pieces,
            len(body) + len(gzipped or b"") + sum(map(len, deflated)),
            bool(nonce),
            stamp.csrf,
            compressible,
            gzipped,
            deflated,
        )
        key = (address, tuple(str(environ.get(h, "")) for h in vary))
        with self.lock:
            self.vary[address] = vary
            if len(self.vary) > MAX_ADDRESSES:
                self.vary.popitem(last=False)
            old = self.copies.pop(key, None)
            self.size += copy.size - (old.size if old else 0)
            self.copies[key] = copy
            while self.size > self.budget and self.copies:
                _, dropped = self.copies.popitem(last=False)
                self.size -= dropped.size


def _random_indices(count: int) -> list[int]:
    """``count`` uniform draws from ``range(len(CSRF_ALLOWED_CHARS))`` (62), from ``secrets``:
    bytes ≥ 248 (4 × 62) are dropped so that ``% 62`` has no bias. Django's get_random_string makes
    one SystemRandom call a character, which was most of a front answer's CPU."""
    out: list[int] = []
    while len(out) < count:
        out.extend(b % 62 for b in secrets.token_bytes(count + 16) if b < 248)
    return out[:count]


def _csrf_secret_and_token() -> tuple[str, str]:
    """A new CSRF secret and its masked token, as ``django.middleware.csrf._get_new_csrf_string``
    and ``_mask_cipher_secret`` make them (mask, then (secret + mask) mod 62 per character)."""
    drawn = _random_indices(2 * CSRF_SECRET_LENGTH)
    secret, mask = drawn[:CSRF_SECRET_LENGTH], drawn[CSRF_SECRET_LENGTH:]
    chars = CSRF_ALLOWED_CHARS
    cipher = "".join(chars[(s + m) % 62] for s, m in zip(secret, mask, strict=True))
    return "".join(chars[s] for s in secret), "".join(chars[m] for m in mask) + cipher


_PLACEHOLDER: Final = "P" * CSRF_SECRET_LENGTH
_cookie_of_the_second: list[tuple[int, str]] = [(-1, "")]


def _csrf_cookie(secret: str) -> str:
    """The header CsrfViewMiddleware._set_csrf_cookie writes for a new secret, made the same way,
    once a second (its ``expires`` changes by the second) with a placeholder for the secret."""
    now = int(time.time())
    second, text = _cookie_of_the_second[0]
    if second != now:
        response = HttpResponse()
        response.set_cookie(
            settings.CSRF_COOKIE_NAME,
            _PLACEHOLDER,
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        text = str(response.cookies[settings.CSRF_COOKIE_NAME].OutputString())
        _cookie_of_the_second[0] = (now, text)
    return text.replace(f"={_PLACEHOLDER}", f"={secret}", 1)


def front(app: WSGIApp) -> Front:
    return Front(app)
