"""One message, as each channel will show it: its text, its limit and whether it fits.

What each remote side accepts (checked against their public documentation, December 2026):

- Telegram Bot API ``sendMessage``: ``text`` of 1–4096 characters after entities are parsed;
  ``parse_mode=HTML`` understands ``<b> <i> <u> <s> <a href> <code> <pre> <blockquote>``, and
  ``< > &`` elsewhere must be escaped.
- Bale (``https://tapi.bale.ai``, Telegram-compatible): ``sendMessage`` with ``chat_id`` and
  ``text``; its documentation lists no ``parse_mode``, so Bale gets plain text (the same limit).
- Eitaa through Eitaayar (``https://eitaayar.ir/api/<token>/sendMessage``): form fields
  ``chat_id``, ``text``, optional ``title``; plain text. Eitaayar publishes no length limit: we
  hold it to Telegram's 4096 so one text serves all three.
- SMS: plain text. Persian is sent as UCS-2: 70 characters in one part, 67 per part when split;
  we allow at most 4 parts, and the link is our own short link.
- E-mail: a subject, a plain-text part and an HTML part.
- Website: the whole text on the news page, with Open Graph tags.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

BOT_LIMIT = 4096
SMS_SINGLE = 70
SMS_PART = 67
SMS_MAX_PARTS = 4
SMS_LIMIT = SMS_PART * SMS_MAX_PARTS
SUBJECT_LIMIT = 120


@dataclass(frozen=True)
class Rendered:
    channel: str
    text: str
    limit: int  # 0: no limit (the news page, the e-mail)
    # SMS parts (1 for other channels).
    parts: int = 1
    html: bool = False

    @property
    def length(self) -> int:
        return len(self.text)

    @property
    def fits(self) -> bool:
        return not self.limit or self.length <= self.limit


def sms_parts(text: str) -> int:
    """Parts of a UCS-2 SMS (Persian text is never GSM-7)."""
    if len(text) <= SMS_SINGLE:
        return 1
    return -(-len(text) // SMS_PART)


def telegram_html(*, title: str, body: str, link: str) -> Rendered:
    text = f"<b>{html.escape(title)}</b>\n\n{html.escape(body)}\n\n{html.escape(link)}"
    return Rendered("telegram", text, BOT_LIMIT, html=True)


def plain(channel: str, *, title: str, body: str, link: str) -> Rendered:
    """Bale and Eitaa: the same text without markup."""
    return Rendered(channel, f"{title}\n\n{body}\n\n{link}", BOT_LIMIT)


def sms(*, title: str, body: str, link: str) -> Rendered:
    """The title, then as much of the text as fits in four parts, then the short link.

    The body is cut at a word with «…» rather than dropping the link: the link is the point."""
    head, tail = f"{title}\n", f"\n{link}"
    room = SMS_LIMIT - len(head) - len(tail)
    text = " ".join(body.split())
    if len(text) > room:
        cut = text[: max(room - 1, 0)].rsplit(" ", 1)[0]
        text = cut + "…"
    full = head + text + tail
    return Rendered("sms", full, SMS_LIMIT, parts=sms_parts(full))


def email_subject(title: str) -> str:
    return " ".join(title.split())[:SUBJECT_LIMIT]
