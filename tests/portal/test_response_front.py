"""The WSGI layer in front of Django (core.response_front): repeated anonymous reads of cached public
responses answered from a per-process copy, with Django's own headers, a fresh nonce and CSRF
token, and never once a release has changed the token.

The requests go through the real WSGI stack (``Front(WSGIHandler())``), as under granian; whether
Django ran is counted at the handler, never guessed from timing.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from tabyin.core.caching.front import Front
from tabyin.portal.cache_scope import forget
from tabyin.portal.enums import FigureStatus, ReleaseState
from tabyin.portal.models import Dataset
from tabyin.portal.release.services import release_publish, release_upload
from tests.portal.test_response_cache import A_ADDRESSES, B_ADDRESSES, NEW_FIGURE, figures, publisher

__all__ = ["figures", "publisher"]  # fixtures shared with test_response_cache

type Answer = tuple[str, list[tuple[str, str]], bytes]


class Counting:
    """Django's WSGI handler, counting the requests it answered."""

    def __init__(self) -> None:
        self.django, self.calls = WSGIHandler(), 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture(autouse=True)
def _inside_the_test_transaction(db: None) -> Iterator[None]:
    # As Django's test client does: the request signals must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    caches["shared"].clear()
    caches["default"].clear()
    caches["responses"].clear()
    forget()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    caches["shared"].clear()


@pytest.fixture
def app() -> tuple[Front, Counting]:
    inner = Counting()
    return Front(inner), inner


def get(app: Front, url: str, **extra: str) -> Answer:
    path, _, query = url.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    sent: list[Any] = []
    result = app(environ, lambda status, headers, exc_info=None: sent.extend([status, list(headers)]))
    body = b"".join(result)
    close = getattr(result, "close", None)
    if close is not None:
        close()
    return sent[0], sent[1], body


def header(answer: Answer, name: str) -> list[str]:
    return [v for k, v in answer[1] if k.lower() == name.lower()]


def _nonce(answer: Answer) -> str | None:
    found = re.search(r"'nonce-([^']+)'", header(answer, "Content-Security-Policy")[0])
    return found.group(1) if found else None


def _normal(answer: Answer) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and body with the per-response values (nonce, CSRF secret and token) blanked."""
    _status, headers, body = answer
    nonce = _nonce(answer)
    if nonce:
        body = body.replace(nonce.encode(), b"NONCE")
        headers = [(k, v.replace(nonce, "NONCE")) for k, v in headers]
    headers = [(k, re.sub(r"^csrftoken=[a-zA-Z0-9]{32};", "csrftoken=SECRET;", v)) for k, v in headers]
    # The cookie's expiry is the answer's second: two answers may straddle a second (it flaked).
    headers = [(k, re.sub(r"expires=[^;]+;", "expires=WHEN;", v)) for k, v in headers]
    body = re.sub(rb'(name="csrfmiddlewaretoken" value=")[a-zA-Z0-9]{64}"', rb'\1TOKEN"', body)
    return [(k, "-" if k == "X-Tabyin-Cache" else v) for k, v in headers], body


@pytest.mark.parametrize("url", [*A_ADDRESSES, "/"])
def test_the_second_read_is_answered_before_django_with_djangos_headers(
    figures: None, app: tuple[Front, Counting], url: str
) -> None:
    front, django = app
    first = get(front, url)
    second = get(front, url)
    third = get(front, url)

    assert django.calls == 1
    assert first[0] == second[0] == "200 OK"
    assert header(first, "X-Tabyin-Cache") == ["miss"]
    assert header(second, "X-Tabyin-Cache") == header(third, "X-Tabyin-Cache") == ["hit"]
    # The same headers, in the same order, with the same values but for the per-response ones.
    assert _normal(second) == _normal(first) == _normal(third)
    assert [k for k, _ in second[1]] == [k for k, _ in first[1]]
    nonces = {_nonce(first), _nonce(second), _nonce(third)}
    assert len(nonces) == 3 or nonces == {None}


def test_a_page_with_a_form_gets_its_own_working_csrf_secret_and_token(
    figures: None, app: tuple[Front, Counting]
) -> None:
    front, django = app
    url = "/indicators/outpatient-services-per-day/"
    first, second = get(front, url), get(front, url)
    assert django.calls == 1
    cookies = [header(a, "Set-Cookie")[0] for a in (first, second)]
    assert all(
        c.startswith("csrftoken=") and "; HttpOnly; Max-Age=31449600; Path=/; SameSite=Lax" in c
        for c in cookies
    )
    secret = cookies[1].split(";")[0].removeprefix("csrftoken=")
    assert secret != cookies[0].split(";")[0].removeprefix("csrftoken=")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([a-zA-Z0-9]{64})"', second[2])
    assert token is not None and b"tabyin-front" not in second[2]
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = secret
    target = re.search(rb'name="target_id" value="(\d+)"', second[2])
    assert target is not None
    posted = visitor.post(
        "/feedback/",
        {"target": "indicator", "target_id": target.group(1).decode(), "clear": "yes",
         "csrfmiddlewaretoken": token.group(1).decode()},
    )  # fmt: skip
    assert posted.status_code == 302  # the token and the cookie the front made are accepted


def test_a_release_of_one_dataset_sends_its_addresses_back_to_django_and_not_the_others(
    figures: None,
    publisher: Any,
    app: tuple[Front, Counting],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    front, django = app
    for url in A_ADDRESSES + B_ADDRESSES:
        get(front, url)
    assert django.calls == len(A_ADDRESSES + B_ADDRESSES)
    csv = f"indicator,area,period,value\noutpatient-services-per-day,IR,1404-04,{NEW_FIGURE}\n"
    release = release_upload(
        actor=publisher,
        dataset=Dataset.objects.get(slug="services"),
        file_name="figures.csv",
        content=csv.encode(),
        status=FigureStatus.FINAL,
    )
    assert release.state == ReleaseState.VALIDATED, release.report
    with django_capture_on_commit_callbacks(execute=True):
        release_publish(actor=publisher, release=release)

    before = django.calls
    for url in B_ADDRESSES:
        assert header(get(front, url), "X-Tabyin-Cache") == ["hit"]
    assert django.calls == before  # B: still the front copies
    answers = {url: get(front, url) for url in A_ADDRESSES}
    assert django.calls == before + len(A_ADDRESSES)  # A: every one back through Django
    assert {header(a, "X-Tabyin-Cache")[0] for a in answers.values()} == {"miss"}
    rows = answers["/api/v1/datasets/services/rows?area=IR&_size=10"][2]
    assert f'"value": {NEW_FIGURE}'.encode() in rows or f'"value":{NEW_FIGURE}'.encode() in rows
    assert "۹۸۷٬۶۵۴٬۳۲۱".encode() in answers["/indicators/outpatient-services-per-day/"][2]
    for url in A_ADDRESSES:  # and the new versions are the front's copies from now on
        get(front, url)
    assert django.calls == before + len(A_ADDRESSES)


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=anything"},
        {"HTTP_COOKIE": "messages=anything"},
        {"REQUEST_METHOD": "HEAD"},
    ],
)
def test_staff_messages_and_other_methods_always_go_to_django(
    figures: None, app: tuple[Front, Counting], extra: dict[str, str]
) -> None:
    front, django = app
    get(front, "/")
    get(front, "/", **extra)
    get(front, "/", **extra)
    assert django.calls == 3


def test_a_conditional_read_gets_djangos_304(figures: None, app: tuple[Front, Counting]) -> None:
    front, django = app
    url = "/api/v1/datasets/services/rows?_size=5"
    etag = header(get(front, url), "ETag")[0]
    answer = get(front, url, HTTP_IF_NONE_MATCH=etag)
    assert answer[0].startswith("304")
    assert django.calls == 2


def test_a_visitor_with_other_cookies_has_a_copy_of_their_own(
    figures: None, app: tuple[Front, Counting]
) -> None:
    front, django = app
    get(front, "/")
    get(front, "/", HTTP_COOKIE="django_language=en")
    assert django.calls == 2  # Vary: Cookie puts the cookie in the key
    get(front, "/", HTTP_COOKIE="django_language=en")
    assert django.calls == 2


def test_a_forwarded_scheme_from_a_stranger_is_dropped_when_a_proxy_is_trusted(
    settings: Any, figures: None
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen: list[str | None] = []

    def inner(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append(environ.get("HTTP_X_FORWARDED_PROTO"))
        start_response("204 No Content", [])
        return []

    front = Front(inner)
    get(front, "/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.1")
    get(front, "/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")
    assert seen == [None, "https"]


def test_the_fronts_csrf_secret_and_token_are_djangos_kind() -> None:
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token  # type: ignore[attr-defined]

    from tabyin.core.caching.front import _csrf_secret_and_token

    drawn = [_csrf_secret_and_token() for _ in range(200)]
    for secret, token in drawn:
        assert (len(secret), len(token)) == (32, 64)
        assert set(secret + token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    assert len({secret for secret, _ in drawn}) == 200
    # Every one of the 62 characters turns up: the draw is not confined to part of the alphabet.
    assert set("".join(secret for secret, _ in drawn)) == set(CSRF_ALLOWED_CHARS)


# --- gzip (ADR 0041): one identity copy per address, compressed on the way out -------------------

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
API = "/api/v1/datasets/services"
PAGE = "/indicators/outpatient-services-per-day/"


def _decoded(answer: Answer) -> Answer:
    """The answer as an identity client sees it: body unzipped, the encoding's headers undone."""
    status, headers, body = answer
    assert header(answer, "Content-Encoding") == ["gzip"]
    assert header(answer, "Content-Length") == [str(len(body))]
    plain = gzip.decompress(body)
    undone = [
        (k, str(len(plain)) if k == "Content-Length" else v.removeprefix("W/") if k == "ETag" else v)
        for k, v in headers
        if k != "Content-Encoding"
    ]
    return status, undone, plain


def test_the_api_copy_is_compressed_once_for_every_client_that_asks(
    figures: None, app: tuple[Front, Counting]
) -> None:
    front, django = app
    miss = get(front, API, **GZIP)
    hits = [get(front, API, **GZIP) for _ in range(2)]
    plain = get(front, API)
    assert django.calls == 1  # the identity client shares the copy
    assert [header(a, "X-Tabyin-Cache") for a in (miss, *hits, plain)] == [
        ["miss"],
        ["hit"],
        ["hit"],
        ["hit"],
    ]
    # Django's gzip answer and the front's have the same headers in the same order; the lengths
    # differ by Django's random padding (the front's copy holds no secret and is not padded).
    assert _unsized(hits[0]) == _unsized(miss)
    assert hits[0][2] == hits[1][2]  # made once: no per-visitor bytes, nothing to pad
    assert header(hits[0], "ETag") == ["W/" + header(plain, "ETag")[0]]
    assert header(plain, "Content-Encoding") == []
    assert header(plain, "Content-Length") == [str(len(plain[2]))]
    assert "Accept-Encoding" in header(plain, "Vary")[0] == header(hits[0], "Vary")[0]
    assert _decoded(hits[0]) == plain  # the same bytes and headers once unzipped
    assert _decoded(miss)[2] == plain[2]
    assert len(hits[0][2]) < len(plain[2]) // 3


def _unsized(answer: Answer) -> list[tuple[str, str]]:
    assert header(answer, "Content-Length") == [str(len(answer[2]))]
    return [(k, "-" if k == "Content-Length" else v) for k, v in _normal(answer)[0]]


@pytest.mark.parametrize(("url", "nonce", "form"), [(PAGE, False, True), ("/data/services/", True, False)])
def test_a_page_hit_is_compressed_per_answer_with_its_fresh_nonce_and_csrf_token(
    figures: None, app: tuple[Front, Counting], url: str, nonce: bool, form: bool
) -> None:
    front, django = app
    zipped = [get(front, url, **GZIP) for _ in range(3)]
    plain = get(front, url)
    assert django.calls == 1
    assert [header(a, "X-Tabyin-Cache")[0] for a in (*zipped, plain)] == ["miss", "hit", "hit", "hit"]
    assert header(plain, "Content-Encoding") == []
    # Padded per answer against BREACH, as Django pads its own: the gzip header names a file.
    assert all(a[2][3] & gzip.FNAME for a in zipped)
    miss, *hits = (_decoded(a) for a in zipped)
    assert _normal(hits[0]) == _normal(miss) == _normal(hits[1]) == _normal(plain)
    assert [k for k, _ in hits[0][1]] == [k for k, _ in miss[1]]
    nonces = {_nonce(a) for a in (miss, *hits, plain)}
    assert len(nonces) == 4 if nonce else nonces == {None}
    for answer in hits:
        assert b"tabyin-front" not in answer[2]
        if nonce:
            assert f'nonce="{_nonce(answer)}"'.encode() in answer[2]
    tokens = {re.search(rb'name="csrfmiddlewaretoken" value="([a-zA-Z0-9]{64})"', a[2]) for a in hits}
    assert len({t.group(1) for t in tokens if t}) == (2 if form else 0)


def test_a_conditional_read_with_the_weak_etag_gets_a_304(figures: None, app: tuple[Front, Counting]) -> None:
    front, django = app
    etag = header(get(front, API, **GZIP), "ETag")[0]
    assert etag.startswith('W/"')
    answer = get(front, API, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert answer[0].startswith("304") and answer[2] == b""
    assert header(answer, "ETag") == [etag.removeprefix("W/")]
    assert "Accept-Encoding" in header(answer, "Vary")[0]
    assert django.calls == 2


def test_head_goes_to_django_and_gets_the_gets_headers(figures: None, app: tuple[Front, Counting]) -> None:
    front, django = app
    get(front, API, **GZIP)
    answer = get(front, API, REQUEST_METHOD="HEAD", **GZIP)
    assert django.calls == 2
    assert header(answer, "Content-Encoding") == ["gzip"]
    assert header(answer, "ETag")[0].startswith('W/"')
    assert int(header(answer, "Content-Length")[0]) > 0
