"""Spam and abuse limits of the public report pages that store nothing about anyone and that an
attacker cannot turn against reporters.

Nothing tells senders apart, so limits ride on the form itself (ADR 0014):

- every form carries a signed *token* with a random nonce and a proof-of-work *challenge*: find a
  number ``answer`` such that SHA-256(``nonce:answer``) starts with ``bits`` zero bits. Our own
  script (``static/tabyin/js/reports-pow.js``) solves it in the browser while the person types;
- a token is *single-use*: the report, message or receipt lookup it carried is done once;
- a token has its own small budget of refused posts (``TRIES``): a person correcting a form
  keeps their token and its solved challenge; a flood burns only its own tokens;
- without JavaScript nothing is solved, so the token is honoured only after a wait
  (``TABYIN_REPORTS_NOJS_WAIT_SECONDS``) and unsolved posts share a per-minute budget: a flood can
  close that lane for a minute, never the solved one;
- past ``TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE`` accepted posts a minute, new challenges ask for
  ``SURGE_BITS`` more bits (16 times the work) instead of refusing anyone.

Counters live in the "default" cache (per process when embedded, shared when scaled) and hold
only numbers; spent nonces live in the "shared" cache until the token could not be used anyway.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
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
ANSWER = "pow_answer"
# Posts one token may carry: corrections of a report or message, typos of a receipt code.
TRIES = {"report": 5, "message": 5, "lookup": 3}
SURGE_BITS = 4
MAX_BITS = 32
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


# --- Tokens and their challenge -------------------------------------------------------------------


def current_bits() -> int:
    """The challenge's difficulty for a form served now: harder while many posts are accepted."""
    bits = settings.TABYIN_REPORTS_POW_BITS
    if _current("accepted") >= settings.TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE:
        bits += SURGE_BITS
    return min(bits, MAX_BITS)


def issue(purpose: str) -> str:
    """A new token for a form of ``purpose`` ("report", "message", "lookup")."""
    nonce = secrets.token_hex(16)
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(f"{purpose}.{nonce}.{current_bits()}")


@dataclass(frozen=True)
class Challenge:
    token: str
    nonce: str
    bits: int


def challenge(token: str) -> Challenge:
    """What a page shows of its (valid, freshly issued or kept) token."""
    purpose_nonce_bits = token.rsplit(":", 2)[0]
    _purpose, nonce, bits = purpose_nonce_bits.split(".")
    return Challenge(token=token, nonce=nonce, bits=int(bits))


def solved(nonce: str, bits: int, answer: str) -> bool:
    if not (0 < len(answer) <= 12 and answer.isascii() and answer.isdigit()):
        return False
    digest = hashlib.sha256(f"{nonce}:{answer}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0


@dataclass(frozen=True)
class Ticket:
    """A post whose token passed: which form, whether its challenge was solved."""

    token: str
    purpose: str
    nonce: str
    solved: bool
    answer: str


class RefusedError(Exception):
    """A post refused before its content is looked at. ``keep``: the same token may be sent again
    (show it again, with its answer); otherwise the page gets a fresh one."""

    def __init__(self, message: str, *, keep: bool, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.keep = keep
        self.status = status
        self.kept: Ticket | None = None  # set by ``admit`` when ``keep``


def _spent_key(nonce: str) -> str:
    return f"reports-spent:{nonce}"


def _tries(nonce: str) -> int:
    cache = caches["default"]
    key = f"reports-tries:{nonce}"
    cache.add(key, 0, MAX_AGE_SECONDS + 60)
    try:
        return int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, MAX_AGE_SECONDS + 60)
        return 1


def _lane_full(purpose: str) -> bool:
    if purpose == "lookup":
        return _current("lookup-failed") >= settings.TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE
    return _current("unsolved") >= settings.TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE


def _opened(token: str, purpose: str) -> tuple[str, int, float]:
    """(nonce, bits, issued) of a genuine, unexpired token of this purpose."""
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        value = signer.unsign(token, max_age=MAX_AGE_SECONDS)
        found, nonce, bits = value.split(".")
        issued = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    except signing.SignatureExpired:
        raise RefusedError(
            _("This form was open for more than two hours. Check what you typed and send it again."),
            keep=False,
        ) from None
    except (signing.BadSignature, ValueError):
        raise RefusedError(unchecked_text(), keep=False) from None
    if found != purpose:
        raise RefusedError(unchecked_text(), keep=False)
    return nonce, int(bits), float(issued)


def unchecked_text() -> str:
    return _("This form could not be checked. Check what you typed and send it again.")


def wait_text(seconds: int) -> str:
    return _(
        "Please wait %(seconds)s more seconds, then send again. With JavaScript on, this page "
        "does the wait for you in under a second."
    ) % {"seconds": seconds}


def admit(post: Any, purpose: str) -> Ticket:
    """Check the honeypot, the token, its age, its challenge and its budgets; count one try.
    Raises ``RefusedError`` with what to tell the sender."""
    if honeypot_filled(post):
        raise RefusedError(refused_text(), keep=False)
    token = str(post.get(TOKEN, ""))
    nonce, bits, issued = _opened(token, purpose)
    if caches["shared"].get(_spent_key(nonce)) is not None:
        raise RefusedError(
            _("This form was already sent. If you meant to send it again, check it and send it."), keep=False
        )
    answer = str(post.get(ANSWER, ""))
    done = solved(nonce, bits, answer)
    ticket = Ticket(token=token, purpose=purpose, nonce=nonce, solved=done, answer=answer if done else "")
    age = time.time() - issued
    wait = settings.TABYIN_REPORTS_NOJS_WAIT_SECONDS
    refused: RefusedError | None = None
    if done and age < MIN_AGE_SECONDS:
        refused = RefusedError(
            _("That was sent too quickly. Check what you typed and send it again."), keep=True
        )
    elif not done and age < wait:
        refused = RefusedError(wait_text(math.ceil(wait - age)), keep=True)
    elif not done and _lane_full(purpose):
        refused = RefusedError(busy_text(purpose), keep=True, status=429)
    if refused is not None:
        refused.kept = ticket  # the same form may be sent again: show it with its token and answer
        raise refused
    if _tries(nonce) > TRIES[purpose]:
        raise RefusedError(
            _("This form was sent too many times. Check what you typed and send it again."), keep=False
        )
    return ticket


def busy_text(purpose: str) -> str:
    if purpose == "lookup":
        return _(
            "Too many wrong codes were typed without JavaScript on this site in the last minute. "
            "Please wait a minute and try again, or turn JavaScript on."
        )
    return _(
        "Too many forms were sent without JavaScript on this site in the last minute. What you "
        "typed is kept below: wait a minute and send again, or turn JavaScript on."
    )


def claim(ticket: Ticket) -> bool:
    """Spend the token; False when another post spent it first."""
    return bool(caches["shared"].add(_spent_key(ticket.nonce), 1, MAX_AGE_SECONDS + 60))


def release(ticket: Ticket) -> None:
    """The claimed post was refused by validation: the token may carry a correction."""
    caches["shared"].delete(_spent_key(ticket.nonce))


def accepted(ticket: Ticket) -> None:
    """A report or message was stored with this ticket."""
    _count("accepted")
    if not ticket.solved:
        _count("unsolved")


def lookup_failed(ticket: Ticket) -> None:
    if not ticket.solved:
        _count("lookup-failed")


def honeypot_filled(post: Any) -> bool:
    """The hidden field people never see; only a program filling every field types into it."""
    return bool(str(post.get(HONEYPOT, "")).strip())


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
