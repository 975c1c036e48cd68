"""Whole-response cache for public, anonymous reads, keyed on a data version the app supplies.

Rendering is where a public page's time goes (the indicator page's template loops over ~1,500
figures; the API serialises through pydantic), not the database. A view wrapped here is rendered
once per *version token* and language and address, then served from the ``responses`` cache.

The app gives a ``scope(request, kwargs)`` that returns the version token of what the address
shows (for example the catalogue version and one dataset's version) or ``None`` (do not cache).
A publication that bumps one dataset's version changes only the tokens of that dataset's
addresses: everything else keeps being served from the cache.

Per-visitor parts are never cached. The decorator wraps the view, inside the middleware chain, so
the headers the middleware adds (Content-Security-Policy, Vary on language, cookies, security
headers) are computed afresh for every response. The two per-visitor values a page body can hold
are swapped for markers before storing and for fresh values on every hit:

- the CSP nonce (``request._csp_nonce``): each response gets its own, and the header the CSP
  middleware writes names that one, so no visitor ever sees another's nonce;
- the masked CSRF token of a form (``csrfmiddlewaretoken``): each hit calls ``get_token``, so the
  CSRF middleware sets or refreshes the visitor's own cookie as for an uncached page.

Requests that carry a session or a messages cookie (signed-in staff, a "thank you" after a form)
bypass the cache: their pages differ. ``X-Tabyin-Cache: hit|miss|bypass`` says what happened.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from hashlib import sha256
from typing import Final

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from tabyin.core.caching.conditional import etag_for, matches, not_modified, public_headers

CACHE_ALIAS: Final = "responses"
HEADER: Final = "X-Tabyin-Cache"
NONCE_MARK: Final = b"\x00tabyin-csp-nonce\x00"
CSRF_MARK: Final = b"\x00tabyin-csrf-token\x00"
# Django's masked token: 64 characters of [a-zA-Z0-9] (django.middleware.csrf.CSRF_TOKEN_LENGTH).
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[a-zA-Z0-9]{64}(")')
# Headers the middleware chain computes per response: never stored with the body.
_PER_RESPONSE = frozenset({"set-cookie", "vary", "content-length", "etag", HEADER.lower()})

type View = Callable[..., HttpResponseBase]
type Scope = Callable[[HttpRequest, dict[str, object]], str | None]
# Whether a token is still the current one, read afresh (``core.response_front`` asks it before
# answering from its copy, without the URL resolver or the view's scope).
type Current = Callable[[str], bool]
# The attribute a shareable response carries for ``core.response_front``.
FRONT_STAMP: Final = "_tabyin_front"


@dataclass(frozen=True)
class Stamp:
    """What ``core.response_front`` needs to answer the same address again without Django."""

    token: str
    current: Current
    nonce: object  # the request's lazy CSP nonce: its value, if it was used, is in the body and header
    csrf: bool  # the body holds a masked CSRF token (``CSRF_INPUT``)


@dataclass(frozen=True)
class Entry:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    nonce: bool
    csrf: bool


def enabled() -> bool:
    return bool(getattr(settings, "TABYIN_RESPONSE_CACHE", True))


def _personal(request: HttpRequest) -> bool:
    """A signed-in visitor or one with a pending message sees a page of their own."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _key(prefix: str, token: str, request: HttpRequest) -> str:
    # The absolute address: API bodies hold absolute links, so the host and scheme matter.
    address = sha256(request.build_absolute_uri().encode()).hexdigest()[:40]
    return f"resp:{prefix}:{token}:{get_language() or '-'}:{address}"


def _store(request: HttpRequest, response: HttpResponse) -> Entry:
    body = response.content
    nonce_value = getattr(request, "_csp_nonce", None)
    nonce = bool(nonce_value) and str(nonce_value).encode() in body
    if nonce:
        body = body.replace(str(nonce_value).encode(), NONCE_MARK)
    body, swapped = CSRF_INPUT.subn(rb"\1" + CSRF_MARK + rb"\2", body)
    headers = tuple((k, v) for k, v in response.items() if k.lower() not in _PER_RESPONSE)
    return Entry(response.status_code, body, headers, nonce, swapped > 0)


def _rebuild(request: HttpRequest, entry: Entry) -> HttpResponse:
    body = entry.body
    if entry.nonce:
        body = body.replace(NONCE_MARK, str(getattr(request, "_csp_nonce", "")).encode())
    if entry.csrf:
        body = body.replace(CSRF_MARK, get_token(request).encode())
    response = HttpResponse(body, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response


def _cacheable(response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cached_response(
    scope: Scope, *, prefix: str, timeout: int, etag: bool = False, current: Current | None = None
) -> Callable[[View], View]:
    """Serve ``view`` from the response cache under ``scope``'s version token.

    ``etag``: for cookie-free data interfaces, an ETag on the token and the address, a 304 on a
    matching ``If-None-Match`` before anything is read, and ``Cache-Control: public``
    (``core.conditional``). HTML pages carry a CSRF token and ``Vary: Cookie`` instead.

    ``current``: tells whether a token is still current; given, every stored or served response is
    stamped for ``core.response_front``, which decides what it may keep."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            on = enabled()
            token = scope(request, kwargs) if on or etag else None
            tag = etag_for(f"{prefix}:{token}", request) if etag and token is not None else None
            if tag is not None:
                header = request.headers.get("If-None-Match")
                if header and matches(header, tag):
                    return not_modified(tag)
            if token is None or not on or _personal(request):
                response, state = view(request, *args, **kwargs), "bypass"
            else:
                store = caches[CACHE_ALIAS]
                key = _key(prefix, token, request)
                entry: Entry | None = store.get(key)
                if entry is not None:
                    response, state = _rebuild(request, entry), "hit"
                else:
                    response, state = view(request, *args, **kwargs), "miss"
                    if request.method == "GET" and _cacheable(response):
                        assert isinstance(response, HttpResponse)
                        entry = _store(request, response)
                        store.set(key, entry, timeout)
                if current is not None and entry is not None:
                    nonce = getattr(request, "_csp_nonce", None)
                    setattr(response, FRONT_STAMP, Stamp(token, current, nonce, entry.csrf))
            response[HEADER] = state
            if tag is not None and response.status_code == 200:
                public_headers(response, tag)
            elif not etag:
                patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorate
