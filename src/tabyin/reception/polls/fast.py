"""A poll's answers ahead of the full middleware chain (issue 17: 1,000 answers a second in
embedded mode; ADR 0042).

An answer posted as a person sends it (the poll's form, a browser without a session) cost about
5 ms of CPU through Django's whole request cycle, most of it in middleware that has nothing to do
for it. This WSGI layer, below ``core.caching.front`` (which drops an untrusted
``X-Forwarded-Proto`` first) and above Django, runs such a request through Django's own
``WSGIHandler`` with a *short chain*: the same middleware classes, in the same order, minus those
that provably do nothing for it, and the page's own code (``views.answer_directly``: the same
reads, form, service, signed cookie and redirect).

- Taken here: ``POST`` to ``/reception/polls/<id>/`` (or ``/en/…``), form-encoded, without a
  session or messages cookie. Everything else goes to Django untouched.
- Kept, so they act exactly as in the full chain: the client address blanked, ``SecurityMiddleware``
  (HTTPS redirect, HSTS and the other headers), the CSP header, ``LocaleMiddleware`` (language,
  ``Content-Language``, ``Vary``), ``CommonMiddleware`` (allowed hosts), ``CsrfViewMiddleware``
  (its ``process_view``: origin, referer and token, Django's own checks), ``X-Frame-Options``, the
  permissions policy.
- Left out, because for a request without a session or messages cookie whose view touches neither
  they add nothing: WhiteNoise (static files only), sessions, authentication, OTP, messages, axes
  (login lock-out). ``SKIPPED`` names them; a chain with any other middleware disables this layer,
  so a middleware added later is never skipped silently.
- Whenever the page would answer anything but the redirect (a CSRF refusal, a closed or unknown
  poll, a second answer, an invalid form, a host not allowed…), nothing has been stored and the
  request goes, with its body, to the full stack, which answers it as before (errors, Persian
  messages, status). Only the stored answer's redirect is answered here.
"""

from __future__ import annotations

import copy
import io
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string

from tabyin.reception.polls import views

logger = logging.getLogger(__name__)

type Environ = dict[str, Any]
type StartResponse = Callable[..., Any]
type WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

SKIPPED: Final = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)
KEPT: Final = frozenset(
    {
        "tabyin.core.web.middleware.NoClientAddressMiddleware",
        "tabyin.core.web.compression.CompressionMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "tabyin.core.web.middleware.PermissionsPolicyMiddleware",
    }
)
CSRF: Final = "django.middleware.csrf.CsrfViewMiddleware"
_PATH: Final = re.compile(r"\A(?:/en)?/reception/polls/([0-9]{1,9})/\Z")
_FORM: Final = "application/x-www-form-urlencoded"
# Set in the request's environ once the answer is committed: from then on nothing hands the request
# to the full stack, which would store it a second time.
STORED: Final = "tabyin.poll_answer_stored"


class Decline(Exception):  # noqa: N818 (a signal, not an error)
    """The full stack answers this request (raised before anything is stored)."""


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF middleware, every check its own; a refusal is handed to the full stack, which
    refuses it again and logs it once, instead of being rendered and logged here first."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        raise Decline


class _ShortHandler(WSGIHandler):
    """Django's WSGI handler (request, signals, headers, closing) over the short chain."""

    def load_middleware(self, is_async: bool = False) -> None:
        names = list(settings.MIDDLEWARE)
        handler: Callable[[HttpRequest], HttpResponse] = self._answer
        self._csrf: _CsrfCheck | None = None
        for name in reversed([n for n in names if n in KEPT]):
            if name == CSRF:
                self._csrf = _CsrfCheck(handler)
                handler = self._csrf  # type: ignore[assignment]  # a WSGI request gets no awaitable
            else:
                handler = import_string(name)(handler)
        self._middleware_chain = handler

    def _answer(self, request: HttpRequest) -> HttpResponse:
        match = _PATH.match(request.path_info)
        if match is None or self._csrf is None:
            raise Decline
        poll_id = int(match[1])
        self._csrf.process_view(request, views.poll_page, (), {"poll_id": poll_id})  # raises Decline
        response = views.answer_directly(request, poll_id, stored=lambda: request.META.update({STORED: True}))
        if response is None:
            raise Decline
        return response


def usable(middleware: list[str]) -> bool:
    """Whether the short chain covers this middleware list: every entry known, the CSRF check in."""
    return CSRF in middleware and all(name in KEPT or name in SKIPPED for name in middleware)


class PollAnswers:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.enabled = usable(list(settings.MIDDLEWARE))
        self.short = _ShortHandler() if self.enabled else None
        self.personal = (f"{settings.SESSION_COOKIE_NAME}=", "messages=")

    def _eligible(self, environ: Environ) -> bool:
        if not self.enabled or environ.get("REQUEST_METHOD") != "POST":
            return False
        if not _PATH.match(str(environ.get("PATH_INFO", ""))):
            return False
        if str(environ.get("CONTENT_TYPE", "")).split(";", 1)[0].strip().lower() != _FORM:
            return False
        cookies = str(environ.get("HTTP_COOKIE", ""))
        return not any(name in cookies for name in self.personal)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if not self._eligible(environ):
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.app(environ, start_response)
        if not 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        original = copy.copy(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        assert self.short is not None
        try:
            return self.short(environ, start_response)
        except Decline:
            pass
        except Exception:
            if environ.get(STORED):
                raise
            # Before anything was stored (a host not allowed, a body Django refuses…): the full
            # stack answers, and logs, as it would have.
            logger.debug("poll answer handed to the full stack", exc_info=True)
        original["wsgi.input"] = io.BytesIO(body)
        return self.app(original, start_response)


def poll_answers(app: WSGIApp) -> PollAnswers:
    return PollAnswers(app)
