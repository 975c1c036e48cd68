"""Spam and abuse limits of the public report pages that store nothing about anyone.

Every counter is global (the whole site together, per minute) because counting per sender would
mean keeping something that tells senders apart, which a reporter must never leave behind. The
counters live in the "default" cache: per process in an embedded installation, shared when
scaled; either way they hold only a number per minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

# A person reads and types for longer than this; a script posting at once does not.
MIN_AGE_SECONDS = 3
MAX_AGE_SECONDS = 2 * 3600
HONEYPOT = "website"
TOKEN = "form_token"  # noqa: S105 - the name of a form field, not a secret
_SIGNER_SALT = "tabyin.reports.form"
_SPARE_BYTES = 1024 * 1024  # the text fields and multipart framing around the files


def _minute() -> int:
    return int(time.time() // 60)


def _count(name: str) -> int:
    """Add one to this minute's counter and return the new value."""
    cache = caches["default"]
    key = f"reports-abuse:{name}:{_minute()}"
    cache.add(key, 0, 120)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: start the minute again
        cache.set(key, 1, 120)
        return 1


def _current(name: str) -> int:
    return int(caches["default"].get(f"reports-abuse:{name}:{_minute()}", 0))


def submissions_allowed() -> bool:
    """Counts this attempt (a report or a reporter's message); False past the minute's budget."""
    return _count("submit") <= settings.TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE


def lookup_allowed() -> bool:
    """False once this minute's wrong receipt codes reached the budget, until the minute ends."""
    return _current("lookup-failed") < settings.TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE


def lookup_failed() -> None:
    _count("lookup-failed")


# --- Form token: proves a form was shown a moment ago, and says nothing about who saw it ---------


def form_token() -> str:
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign("report-form")


def token_problem(token: str) -> str | None:
    """None for a token between MIN_AGE_SECONDS and MAX_AGE_SECONDS old; else what to tell the sender."""
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        signer.unsign(token or "", max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        return _("This form was open for more than two hours. Check what you typed and send it again.")
    except signing.BadSignature:
        return _("This form could not be checked. Check what you typed and send it again.")
    issued = signing.b62_decode(token.rsplit(signer.sep, 1)[0].rsplit(signer.sep, 1)[1])
    if time.time() - issued < MIN_AGE_SECONDS:
        return _("That was sent too quickly. Check what you typed and send it again.")
    return None


def honeypot_filled(post: Any) -> bool:
    """The hidden field people never see; only a program filling every field types into it."""
    return bool(str(post.get(HONEYPOT, "")).strip())


def form_problem(post: Any) -> str | None:
    """What to tell the sender when the honeypot or the form token fails; None when both pass."""
    if honeypot_filled(post):
        return refused_text()
    return token_problem(str(post.get(TOKEN, "")))


def refused_text() -> str:
    # Neutral on purpose: a program learns nothing about which check it failed.
    return _("Your report could not be accepted. Check what you typed and send it again.")


# --- Body size cap: refuse before Django reads (and spools) the body -------------------------------


def body_limit() -> int:
    return settings.TABYIN_REPORTS_MAX_FILES * settings.TABYIN_REPORTS_FILE_MAX_BYTES + _SPARE_BYTES


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


View = Callable[..., HttpResponse]


class InMemoryOnly(MemoryFileUploadHandler):
    """A reporter's files never touch the disk unencrypted: Django would spool uploads over
    FILE_UPLOAD_MAX_MEMORY_SIZE to a plain temporary file. They stay in memory instead; the body
    cap below bounds how much, and the service encrypts them before anything is written."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (Django's signature)
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.activated = True


def uploads_in_memory(view: View) -> View:
    """Run ``view`` with ``InMemoryOnly`` uploads. Django's CSRF middleware reads the body before
    any view runs, so the view is exempt from it and the same check (``csrf_protect``) runs here,
    after the upload handlers are set."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [InMemoryOnly(request)]
        return protected(request, *args, **kwargs)

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def body_capped(too_large: Callable[[HttpRequest], HttpResponse]) -> Callable[[View], View]:
    """Check the declared body size before anything reads the body.

    Django's CSRF middleware reads ``request.POST`` before the view runs, which would already
    have spooled an oversized upload to disk. So the view is exempt from the middleware and the
    same CSRF check runs here, after the size check (``csrf_protect`` is the middleware itself).
    """

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and _declared_length(request) > body_limit():
                return too_large(request)
            request.upload_handlers = [InMemoryOnly(request)]
            return protected(request, *args, **kwargs)

        wrapped.csrf_exempt = True  # type: ignore[attr-defined]
        return wrapped

    return decorate
