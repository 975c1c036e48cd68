"""Iranian mobile numbers in every spelling people type, to one E.164 form (+989XXXXXXXXX).

Accepted: +98…, 0098…, 98…, 09…, 9… (ten digits), with Persian or Arabic-Indic digits, spaces,
dashes, dots, brackets and direction marks anywhere. Anything else raises ``PhoneError`` with a
reason; the caller keeps the raw input to show it back.
"""

from __future__ import annotations

import re

from tabyin.core.persian_text import digits_to_ascii

# Separators people and phone keyboards put between digit groups, and invisible direction marks.
_NOISE = re.compile(r"[\s\-\.\(\)\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class PhoneError(ValueError):
    """Not an Iranian mobile number; the message says why (in English, for logs and tests)."""


def normalize_ir(raw: str) -> str:
    text = _NOISE.sub("", digits_to_ascii(raw or ""))
    if not text:
        raise PhoneError("no number given")
    if text.startswith("+"):
        text = "00" + text[1:]
    if not text.isdigit():
        raise PhoneError("only digits, spaces, dashes and a leading + are allowed")
    if text.startswith("0098"):
        national = text[4:]
    elif text.startswith("98") and len(text) == 12:
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        national = text
    if national.startswith("0"):  # +98 0912…: the trunk zero written after the country code
        national = national[1:]
    if len(national) != 10:
        raise PhoneError(f"a mobile number has 10 digits after 0 or +98, this has {len(national)}")
    if not national.startswith("9"):
        raise PhoneError("an Iranian mobile number starts with 09 (or +989)")
    return "+98" + national
