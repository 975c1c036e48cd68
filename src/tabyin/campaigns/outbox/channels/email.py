"""The newsletter e-mail: one per subscriber, with a one-click unsubscribe (RFC 8058).

``List-Unsubscribe`` names the subscriber's own unsubscribe address and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` tells the mail client a POST there is enough. The Message-ID is built
from the delivery's idempotency key, the same on every attempt, so a receiver can drop a copy.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, mailers

from tabyin.campaigns.outbox.channels.base import DeliveryError


@dataclass(frozen=True)
class Letter:
    to: str
    key: str
    unsubscribe_url: str


def build(
    *, letter: Letter, subject: str, text: str, link: str, sender: str, domain: str
) -> EmailMultiAlternatives:
    body = f"{text}\n\n{link}\n\n—\nلغو اشتراک: {letter.unsubscribe_url}"
    mail = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=sender,
        to=[letter.to],
        headers={
            "Message-ID": f"<{letter.key}@{domain}>",
            "List-Unsubscribe": f"<{letter.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    mail.attach_alternative(
        f'<div dir="rtl" lang="fa">{paragraphs}<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>'
        f'<p><a href="{html.escape(letter.unsubscribe_url)}">لغو اشتراک</a></p></div>',
        "text/html",
    )
    return mail


def send_all(mails: Sequence[EmailMultiAlternatives]) -> list[str]:
    """Send over one SMTP connection; the error text of each mail ("" when sent).

    A connection that fails to open fails every mail of the batch (each is retried)."""
    errors: list[str] = []
    try:
        connection = mailers.default
        connection.open()
    except OSError as error:
        return [f"mail server not reached: {type(error).__name__}"] * len(mails)
    try:
        for mail in mails:
            try:
                if connection.send_messages([mail]) != 1:
                    raise DeliveryError("the mail backend sent nothing")
            except Exception as error:  # noqa: BLE001 (one refused address must not stop the rest)
                errors.append(f"{type(error).__name__}: {str(error)[:200]}")
            else:
                errors.append("")
    finally:
        # Closing a broken connection may fail too; there is nothing left to do then.
        with contextlib.suppress(Exception):
            connection.close()
    return errors


__all__ = ["DeliveryError", "Letter", "build", "send_all"]
