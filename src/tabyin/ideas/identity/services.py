"""Sending and checking one-time codes, and notifying a verified author (SMS or e-mail)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import sms
from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import page_language
from tabyin.core.persian_text import digits_to_ascii
from tabyin.ideas.identity.models import ContactKind, OneTimeCode

CODE_LIFETIME: Final = timedelta(minutes=10)
MAX_ATTEMPTS: Final = 5
# At most this many codes per identity per hour: a phone number is not a free SMS cannon.
CODES_PER_HOUR: Final = 5
PURPOSES: Final = ("author", "support")


class CodeError(Exception):
    """Shown to the person as it is (already translated)."""


@dataclass(frozen=True)
class Verified:
    kind: str
    contact: str  # canonical: +989… or a lower-cased address
    identity_hash: str  # core's keyed hash for this purpose


def canonical(kind: str, value: str) -> str:
    if kind not in ContactKind.values:
        raise CodeError(_("Choose a mobile phone or an e-mail address."))
    try:
        contact = sms.identity.canonical(kind, value)
    except sms.PhoneError:
        raise CodeError(
            _("This is not an Iranian mobile number (it should look like 0912 345 6789).")
        ) from None
    if kind == ContactKind.EMAIL and ("@" not in contact or " " in contact or len(contact) > 254):
        raise CodeError(_("This is not an e-mail address."))
    return contact


def _code_hash(code: str, salt: str) -> str:
    key = settings.TABYIN_IDENTITY_KEY.encode()
    return hmac.new(key, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def deliver(kind: str, contact: str, text: str, *, key: str) -> str:
    """Send ``text`` by SMS or e-mail; returns a short delivery note (provider id or error)."""
    return deliver_checked(kind, contact, text, key=key)[1]


def deliver_checked(kind: str, contact: str, text: str, *, key: str) -> tuple[bool, str]:
    """As ``deliver``, saying also whether it went out (the ledger of notices records both)."""
    if kind == ContactKind.PHONE:
        result = sms.send(contact, text, idempotency_key=key)
        return (True, result.message_id) if result.ok else (False, result.error)
    try:
        send_mail(_("Jam'i-no"), text, None, [contact])
    except OSError as error:  # the mail server refused or is down: the caller keeps the note
        return False, f"mail failed: {type(error).__name__}"
    return True, "mail"


def code_send(*, purpose: str, kind: str, value: str) -> OneTimeCode:
    assert purpose in PURPOSES
    contact = canonical(kind, value)
    identity = sms.identity_hash(kind, contact, purpose=f"ideas-{purpose}")
    now = timezone.now()
    recent = OneTimeCode.objects.filter(identity_hash=identity, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= CODES_PER_HOUR:
        raise CodeError(_("Too many codes were sent to this contact in the last hour; try again later."))
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    row = OneTimeCode.objects.create(
        purpose=purpose,
        kind=kind,
        identity_hash=identity,
        salt=salt,
        code_hash=_code_hash(code, salt),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    text = _("Your Jam'i-no code: %(code)s (valid for 10 minutes).") % {
        "code": localize_digits(code, page_language())
    }
    note = deliver(kind, contact, text, key=f"ideas-code-{row.pk}")
    OneTimeCode.objects.filter(pk=row.pk).update(delivery=note[:200])
    return row


def code_check(*, code_id: int, kind: str, value: str, code: str) -> Verified:
    contact = canonical(kind, value)
    typed = digits_to_ascii(code or "").strip()
    wrong = False
    with transaction.atomic():
        row = OneTimeCode.objects.select_for_update().filter(pk=code_id).first()
        if row is None or row.used_at is not None or row.expires_at <= timezone.now():
            raise CodeError(_("This code has expired or was already used; ask for a new one."))
        if row.attempts >= MAX_ATTEMPTS:
            raise CodeError(_("Too many wrong codes; ask for a new one."))
        identity = sms.identity_hash(kind, contact, purpose=f"ideas-{row.purpose}")
        if identity != row.identity_hash or not hmac.compare_digest(
            _code_hash(typed, row.salt), row.code_hash
        ):
            # Counted before refusing (outside a rollback): guessing costs a try each time.
            OneTimeCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            wrong = True
        else:
            OneTimeCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
    if wrong:
        raise CodeError(_("The code is not right; check it and try again."))
    return Verified(kind=kind, contact=contact, identity_hash=identity)
