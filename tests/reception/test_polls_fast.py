"""A poll's answers ahead of the full middleware chain (``polls.fast``, ADR 0042): the stored
answer's redirect is Django's, header by header; everything else (a CSRF refusal, a second answer,
bad input, a closed poll, a staff session) is answered by the full stack exactly as before."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import override_settings

from tabyin.core.models import User
from tabyin.reception.polls import fast, views
from tabyin.reception.polls.enums import OPEN_ANSWER_LIMIT, PollState
from tabyin.reception.polls.models import Answer, Poll, Response
from tests.reception.polls_helpers import make_poll, page_text

pytestmark = pytest.mark.django_db
UNKNOWN = "این پاسخ از گزینه‌های این پرسش نیست؛ یکی از گزینه‌ها را برگزینید."
ANSWER = {"q1": "0", "q2": "5", "q3": "روشن بود", "province": "IR-23"}


class Sent:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def content(self) -> bytes:
        return self.body

    @property
    def code(self) -> int:
        return int(self.status.split()[0])

    def cookies(self) -> SimpleCookie:
        jar: SimpleCookie = SimpleCookie()
        for name, value in self.headers:
            if name == "Set-Cookie":
                jar.load(value)
        return jar


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: a request's end must not close the connection that holds the
    test's transaction (PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_app() -> WSGIHandler:
    return WSGIHandler()


@pytest.fixture
def layer(django_app: WSGIHandler) -> fast.PollAnswers:
    return fast.PollAnswers(django_app)


@pytest.fixture
def csrf() -> tuple[str, str]:
    secret = _get_new_csrf_string()
    return secret, _mask_cipher_secret(secret)


def _environ(
    path: str,
    fields: dict[str, str],
    csrf: tuple[str, str],
    *,
    cookies: str = "",
    origin: str = "http://testserver",
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, Any]:
    body = urlencode({"csrfmiddlewaretoken": csrf[1], **fields}).encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": content_type,
        "HTTP_COOKIE": "; ".join(c for c in (f"csrftoken={csrf[0]}", cookies) if c),
        "HTTP_REFERER": f"http://testserver{path}",
        "HTTP_USER_AGENT": "Mozilla/5.0 (test)",
        "REMOTE_ADDR": "203.0.113.9",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if origin:
        environ["HTTP_ORIGIN"] = origin
    return environ


def _call(app: Any, environ: dict[str, Any]) -> Sent:
    seen: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen[:] = [status, headers]

    result = app(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return Sent(seen[0], list(seen[1]), body)


@pytest.fixture
def direct_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The poll ids ``views.answer_directly`` was called for (the short chain reached the page's code)."""
    calls: list[int] = []
    real = views.answer_directly

    def spy(request: Any, poll_id: int, stored: Any = None) -> Any:
        calls.append(poll_id)
        return real(request, poll_id, stored) if stored else real(request, poll_id)

    monkeypatch.setattr(views, "answer_directly", spy)
    return calls


def test_the_redirect_is_djangos_header_by_header(
    hq_analyst: User, layer: fast.PollAnswers, django_app: WSGIHandler, csrf: tuple[str, str]
) -> None:
    poll = make_poll(hq_analyst)
    path = f"/reception/polls/{poll.pk}/"
    quick = _call(layer, _environ(path, ANSWER, csrf))
    full = _call(django_app, _environ(path, ANSWER, csrf))
    assert (quick.status, quick.body) == (full.status, full.body) == ("302 Found", b"")
    # Every header, in Django's order, with Django's value; the cookie differs only by its token
    # (and its expiry, by the second the two answers were sent in).
    assert [h for h in quick.headers if h[0] != "Set-Cookie"] == [
        h for h in full.headers if h[0] != "Set-Cookie"
    ]
    names = [h[0] for h in quick.headers]
    assert names == [
        "Content-Type",
        "Location",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "X-Frame-Options",
        "Content-Length",
        "Vary",
        "Content-Language",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Set-Cookie",
    ]
    assert dict(quick.headers)["Location"] == f"/reception/polls/{poll.pk}/thanks/"
    mine, theirs = quick.cookies()[f"tabyin_poll_{poll.pk}"], full.cookies()[f"tabyin_poll_{poll.pk}"]
    attributes = ("path", "max-age", "httponly", "samesite", "secure", "domain")
    assert (
        [mine[a] for a in attributes]
        == [theirs[a] for a in attributes]
        == ["/", "63072000", True, "Lax", "", ""]
    )
    assert list(quick.cookies()) == list(full.cookies()) == [f"tabyin_poll_{poll.pk}"]
    stored = list(Response.objects.order_by("pk").values_list("token", "province__iso_code"))
    assert [mine.value.split(":")[0], theirs.value.split(":")[0]] == [token for token, _ in stored]
    assert [iso for _, iso in stored] == ["IR-23", "IR-23"]
    assert (
        list(
            Answer.objects.order_by("response_id", "question__order").values_list("choice", "clarity", "text")
        )
        == [
            (0, None, ""),
            (None, 5, ""),
            (None, None, "روشن بود"),
        ]
        * 2
    )


def test_the_english_page_and_the_short_chain_is_used(
    hq_analyst: User,
    layer: fast.PollAnswers,
    django_app: WSGIHandler,
    csrf: tuple[str, str],
    direct_calls: list[int],
) -> None:
    poll = make_poll(hq_analyst)
    path = f"/en/reception/polls/{poll.pk}/"
    quick = _call(layer, _environ(path, ANSWER, csrf))
    full = _call(django_app, _environ(path, ANSWER, csrf))
    assert direct_calls == [poll.pk]  # the full stack's call goes through the page, not the spy
    assert quick.code == full.code == 302
    assert [h for h in quick.headers if h[0] != "Set-Cookie"] == [
        h for h in full.headers if h[0] != "Set-Cookie"
    ]
    assert dict(quick.headers)["Location"] == f"/en/reception/polls/{poll.pk}/thanks/"
    assert dict(quick.headers)["Content-Language"] == "en"


@pytest.mark.parametrize(
    "case",
    [
        ({"token": "A" * 64}, "CSRF token from POST incorrect."),
        ({"token": "bad"}, "CSRF token from POST has incorrect length."),
        ({"token": ""}, "CSRF token missing."),
        ({"no_cookie": True}, "CSRF cookie not set."),
        (
            {"origin": "http://evil.example"},
            "Origin checking failed - http://evil.example does not match any trusted origins.",
        ),
    ],
)
def test_csrf_failures_are_refused_by_django(
    hq_analyst: User,
    layer: fast.PollAnswers,
    direct_calls: list[int],
    caplog: pytest.LogCaptureFixture,
    case: tuple[dict[str, Any], str],
) -> None:
    change, reason = case
    poll = make_poll(hq_analyst)
    secret = _get_new_csrf_string()
    token = change.get("token", _mask_cipher_secret(secret))
    environ = _environ(
        f"/reception/polls/{poll.pk}/",
        ANSWER,
        (secret, token),
        origin=change.get("origin", "http://testserver"),
    )
    if change.get("no_cookie"):
        environ["HTTP_COOKIE"] = ""
    with caplog.at_level("WARNING", logger="django.security.csrf"):
        quick = _call(layer, environ)
    assert quick.code == 403
    assert [r.getMessage() for r in caplog.records if r.name == "django.security.csrf"] == [
        f"Forbidden ({reason}): /reception/polls/{poll.pk}/"
    ]
    assert direct_calls == []
    assert Response.objects.count() == 0


def test_a_second_answer_is_refused_in_persian(
    hq_analyst: User, layer: fast.PollAnswers, csrf: tuple[str, str], direct_calls: list[int]
) -> None:
    poll = make_poll(hq_analyst)
    path = f"/reception/polls/{poll.pk}/"
    first = _call(layer, _environ(path, ANSWER, csrf))
    cookie = first.cookies()[f"tabyin_poll_{poll.pk}"]
    second = _call(layer, _environ(path, ANSWER | {"q1": "1"}, csrf, cookies=f"{cookie.key}={cookie.value}"))
    assert (first.code, second.code) == (302, 409)
    text = second.body.decode()
    assert "همان پاسخ نخست نگه داشته و شمرده شده است؛ این پاسخ تازه شمرده نشد." in text
    assert direct_calls == [poll.pk, poll.pk]  # the short chain saw it, found the kept answer, handed it on
    assert list(Answer.objects.filter(question__order=1).values_list("choice", flat=True)) == [0]


@pytest.mark.parametrize(
    "case",
    [
        ({"q1": "9"}, UNKNOWN),
        (
            {"q1": "۰"},
            UNKNOWN,
        ),  # a Persian digit: the form's choices are ASCII; the service alone would take it
        ({"q1": " 0"}, UNKNOWN),
        ({"q2": ""}, "برای این پرسش یک پاسخ برگزینید."),
        ({"province": "XX-99"}, "استانی را از فهرست برگزینید، یا هیچ‌کدام را."),
        ({"q3": "آ" * (OPEN_ANSWER_LIMIT + 1)}, "پاسخ شما ۱۰۰۱ نویسه دارد و سقف آن ۱۰۰۰ نویسه است."),
        ({"q3": "a\x00b"}, "کاراکترهای تهی مجاز نیستند."),
    ],
)
def test_bad_input_is_answered_by_the_page_and_nothing_is_stored(
    hq_analyst: User,
    layer: fast.PollAnswers,
    django_app: WSGIHandler,
    csrf: tuple[str, str],
    case: tuple[dict[str, str], str],
) -> None:
    fields, message = case
    poll = make_poll(hq_analyst)
    path = f"/reception/polls/{poll.pk}/"
    quick = _call(layer, _environ(path, ANSWER | fields, csrf))
    full = _call(django_app, _environ(path, ANSWER | fields, csrf))
    assert quick.code == full.code == 400
    assert [h[0] for h in quick.headers] == [h[0] for h in full.headers]
    assert message in page_text(quick)
    assert page_text(quick) == page_text(full)  # the text sent is shown again, whole
    assert (ANSWER | fields)["q3"].strip() in page_text(quick)
    assert Response.objects.count() == 0


def test_a_closed_poll_a_draft_and_an_unknown_poll(
    hq_analyst: User, layer: fast.PollAnswers, csrf: tuple[str, str]
) -> None:
    closed, draft = (
        make_poll(hq_analyst, state=PollState.CLOSED),
        make_poll(hq_analyst, state=PollState.DRAFT),
    )
    refused = _call(layer, _environ(f"/reception/polls/{closed.pk}/", ANSWER, csrf))
    assert refused.code == 409
    assert "این نظرسنجی بسته شده و پاسخ تازه نمی‌پذیرد. پاسخ شما شمرده نشد؛" in page_text(refused)
    assert _call(layer, _environ(f"/reception/polls/{draft.pk}/", ANSWER, csrf)).code == 404
    assert _call(layer, _environ("/reception/polls/999999/", ANSWER, csrf)).code == 404
    assert Response.objects.count() == 0


def test_what_the_short_chain_never_takes(
    hq_analyst: User, layer: fast.PollAnswers, csrf: tuple[str, str], direct_calls: list[int]
) -> None:
    poll = make_poll(hq_analyst)
    path = f"/reception/polls/{poll.pk}/"
    # A session (a member of staff answering) or a pending message: the full chain, which stores it.
    assert _call(layer, _environ(path, ANSWER, csrf, cookies="sessionid=abc")).code == 302
    # Anything but a form-encoded body is Django's to parse (here: no multipart part, so no token).
    multipart = _environ(path, ANSWER, csrf, content_type="multipart/form-data; boundary=x")
    assert _call(layer, multipart).code == 403
    assert not layer._eligible({"REQUEST_METHOD": "GET", "PATH_INFO": path})
    assert not layer._eligible(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path + "thanks/",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
        }
    )
    assert direct_calls == []
    assert Response.objects.count() == 1


def test_a_host_not_allowed_is_djangos_400(
    hq_analyst: User, layer: fast.PollAnswers, csrf: tuple[str, str]
) -> None:
    poll = make_poll(hq_analyst)
    environ = _environ(f"/reception/polls/{poll.pk}/", ANSWER, csrf)
    environ["HTTP_HOST"] = "evil.example"
    assert _call(layer, environ).code == 400
    assert Response.objects.count() == 0


def test_a_failure_after_the_answer_is_stored_is_never_handed_on(
    hq_analyst: User, layer: fast.PollAnswers, csrf: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = make_poll(hq_analyst)

    def broken(poll: Poll, token: str) -> Any:
        raise RuntimeError("after the commit")

    monkeypatch.setattr(views, "_answered", broken)
    with pytest.raises(RuntimeError, match="after the commit"):
        _call(layer, _environ(f"/reception/polls/{poll.pk}/", ANSWER, csrf))
    assert Response.objects.count() == 1  # stored once, not a second time by the full stack


def test_the_client_address_and_user_agent_are_blanked(
    hq_analyst: User, csrf: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = make_poll(hq_analyst)
    seen: list[dict[str, Any]] = []
    real = views.answer_directly

    def spy(request: Any, poll_id: int, stored: Any) -> Any:
        seen.append({k: request.META.get(k) for k in ("REMOTE_ADDR", "HTTP_USER_AGENT")})
        return real(request, poll_id, stored)

    monkeypatch.setattr(views, "answer_directly", spy)
    assert (
        _call(fast.PollAnswers(WSGIHandler()), _environ(f"/reception/polls/{poll.pk}/", ANSWER, csrf)).code
        == 302
    )
    assert seen == [{"REMOTE_ADDR": "0.0.0.0", "HTTP_USER_AGENT": None}]  # noqa: S104


def test_only_known_middleware_lets_the_short_chain_run(settings: Any) -> None:
    assert fast.usable(list(settings.MIDDLEWARE))
    assert not fast.usable([*settings.MIDDLEWARE, "example.NewMiddleware"])
    assert not fast.usable([m for m in settings.MIDDLEWARE if m != fast.CSRF])
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, "example.NewMiddleware"]):
        assert fast.PollAnswers(WSGIHandler).enabled is False
