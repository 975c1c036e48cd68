"""E-mail through Django's mail backend (SMTP in production, the locmem outbox in tests).

The target is a list of addresses separated by commas, semicolons, spaces or new lines; one
message goes to all of them (each sees the others, as on a team list). The subject and body come
ready-made in the ``Message`` (Persian by default: services build them under the site language).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME

from tabyin.monitor.alerts.channels.base import DeliveryError, Message, Sender

_SEPARATORS = re.compile(r"[\s,;]+")


def addresses(text: str) -> list[str]:
    """Split a stored address list; empty parts dropped, order kept, duplicates removed."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        if part:
            seen.setdefault(part, None)
    return list(seen)


class EmailSender(Sender):
    name = "email"

    def send(self, message: Message, target: str, **options: Any) -> str:
        recipients = addresses(target)
        if not recipients:
            raise DeliveryError("no e-mail address")
        mail = EmailMessage(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        key = str(options.get("idempotency_key") or "")
        if key:
            # The same Message-ID on every attempt: a copy sent again is recognisably the same mail.
            mail.extra_headers["Message-ID"] = f"<{key}@{DNS_NAME}>"
        try:
            sent = mail.send(fail_silently=False)
        except Exception as error:  # SMTP refusals, connection errors: all stored, none raised on
            raise DeliveryError(f"e-mail not sent: {type(error).__name__}: {error}"[:500]) from error
        if not sent:
            raise DeliveryError("e-mail backend sent nothing")
        return ""
