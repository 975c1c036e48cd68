"""Numbers as a person reads them: the one place that formats a number, a percentage, a signed
change or a duration for a page, a chart, a PDF or a message.

Conventions (docs/modules/core.md, "Display kit"):

* **Persian** (``language`` ``"fa"``/``"fa-IR"``): Persian digits (``۰``–``۹``), ``٬`` (U+066C) between
  thousands, ``٫`` (U+066B) before decimals, ``٪`` after a percentage, and the true minus sign
  ``−`` (U+2212) before a negative number. A hyphen is not a minus: in Persian text it reads as a
  dash, and screen readers skip it.
* **English** (any other language): ASCII digits, ``,`` and ``.``, ``%``, and the ASCII
  hyphen-minus ``-``, so that an English figure copied into a spreadsheet or a search box still
  parses. (Data, CSV and APIs do not go through this module at all: they stay plain ASCII.)
* A value that rounds to zero is written without a sign (``-0.04`` with one place is ``0.0``, never
  ``-0.0``): a reader would take ``−۰٫۰`` for a real fall.
* Rounding is Python's: half-even for ``Decimal``, the nearest binary value for ``float``
  (``format(value, ",.2f")``), so a figure reads the same here as in the exports.
* :func:`format_signed` writes ``+`` before a positive change, the minus before a negative one and
  no sign for zero.
* Durations (:func:`format_duration`) are rounded to whole minutes: «۴ ساعت و ۴۰ دقیقه» /
  "4 hours 40 minutes"; from two days on, days and hours (minutes then dropped). Under half a
  minute is «۰ دقیقه» / "0 minutes".

Bad input (``None``, ``inf``, a negative number of places) raises ``ValueError`` or ``TypeError``
here; the template filters (``core/templatetags/persian.py``) turn that into the raw value so a page
never breaks.
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from typing import Final

from django.utils import translation
from django.utils.translation import ngettext

from tabyin.core.persian_text import digits_to_ascii, digits_to_persian

__all__ = [
    "EMPTY",
    "MINUS",
    "format_duration",
    "format_number",
    "format_percent",
    "format_signed",
    "is_persian",
    "localize_digits",
    "localize_number",
    "percent_sign",
    "typed_number_to_ascii",
]

EMPTY: Final = "—"  # what a missing figure shows, in either language
MINUS: Final = "\u2212"  # MINUS SIGN, for negative numbers on Persian pages
PERSIAN_THOUSANDS: Final = "\u066c"  # ARABIC THOUSANDS SEPARATOR «٬»
PERSIAN_DECIMAL: Final = "\u066b"  # ARABIC DECIMAL SEPARATOR «٫»
PERSIAN_PERCENT: Final = "\u066a"  # ARABIC PERCENT SIGN «٪»

# The separators and sign of text written by ``format()``; the digits go through persian_text,
# the one digit table of Tabyin.
_PERSIAN_PUNCTUATION: Final = str.maketrans({",": PERSIAN_THOUSANDS, ".": PERSIAN_DECIMAL, "-": MINUS})
# What people type in Persian, back to what Python parses (thousands separators kept as ",").
_TYPED_PUNCTUATION: Final = str.maketrans(
    {PERSIAN_DECIMAL: ".", PERSIAN_THOUSANDS: ",", MINUS: "-", PERSIAN_PERCENT: "%"}
)

Number = int | float | Decimal


def is_persian(language: str | None) -> bool:
    """``"fa"``, ``"fa-ir"``, ``"fa_IR"`` are Persian; anything else (``"en"``, ``None``) is not."""
    return (language or "").replace("_", "-").partition("-")[0].lower() == "fa"


def localize_digits(text: str, language: str | None) -> str:
    """Only the digits in the reader's script: for times (``14:30``), years and counts inside text
    where ``,`` and ``-`` are not number punctuation."""
    return digits_to_persian(text) if is_persian(language) else text


def localize_number(text: str, language: str | None) -> str:
    """Text written by ``format()`` (ASCII digits, ``,`` ``.`` ``-``) in the reader's script."""
    if not is_persian(language):
        return text
    return digits_to_persian(text).translate(_PERSIAN_PUNCTUATION)


def _checked(value: Number) -> Number:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    if not isinstance(value, int) and not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return value


def _ascii(value: Number, places: int | None, *, grouping: bool) -> str:
    if places is not None and (isinstance(places, bool) or places < 0):
        raise ValueError(f"places must be 0 or more, not {places!r}")
    spec = ("," if grouping else "") + ("" if places is None else f".{places}f")
    text = format(_checked(value), spec)
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # rounded to zero: no sign (see the module docstring)
    return text


def format_number(
    value: Number, language: str | None, places: int | None = None, *, grouping: bool = True
) -> str:
    """``1234567.891`` with 2 places: ``"۱٬۲۳۴٬۵۶۷٫۸۹"`` / ``"1,234,567.89"``; ``-5``: ``"−۵"`` / ``"-5"``.

    ``places=None`` writes the value as it is (an int without decimals, a ``Decimal`` with its
    own places); ``grouping=False`` leaves out the thousands separator (years, codes of a kind).
    """
    return localize_number(_ascii(value, places, grouping=grouping), language)


def format_optional(value: Number | None, language: str | None, places: int | None = None) -> str:
    """:func:`format_number`, or ``"—"`` for a missing figure."""
    return EMPTY if value is None else format_number(value, language, places)


def percent_sign(language: str | None) -> str:
    return PERSIAN_PERCENT if is_persian(language) else "%"


def format_percent(fraction: Number, language: str | None, places: int = 1, *, points: bool = False) -> str:
    """A fraction as a percentage: ``0.023`` → ``"۲٫۳٪"`` / ``"2.3%"``.

    ``points=True`` when the value is already in percent (``72.5`` → ``"۷۲٫۵٪"``).
    """
    value = _checked(fraction)
    if not points:
        value = value * 100
    return format_number(value, language, places) + percent_sign(language)


def format_signed(
    value: Number, language: str | None, places: int | None = None, *, percent: bool = False
) -> str:
    """A change with its sign: ``"+۲٫۳"``, ``"−۲٫۳"`` / ``"+2.3"``, ``"-2.3"``; zero as ``"۰"`` / ``"0"``.

    ``percent=True`` adds the percent sign to a value given in percent points.
    """
    text = _ascii(value, places, grouping=True)
    if text.strip("0.,") and not text.startswith("-"):
        text = "+" + text
    return localize_number(text, language) + (percent_sign(language) if percent else "")


def format_duration(span: timedelta, language: str | None) -> str:
    """«۴ ساعت و ۴۰ دقیقه» / "4 hours 40 minutes"; from two days on «۳ روز و ۲ ساعت» (no minutes).

    Rounded to whole minutes; a negative span (clock skew) is shown as zero.
    """
    minutes = max(0, round(span.total_seconds() / 60))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days >= 2:
        mins = 0
    else:
        hours, days = hours + days * 24, 0
    persian = is_persian(language)
    with translation.override("fa" if persian else "en"):
        parts = []
        if days:
            parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
        if hours:
            parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
        if mins or not parts:
            parts.append(ngettext("%(n)s minute", "%(n)s minutes", mins) % {"n": mins})
    if persian:
        return digits_to_persian(" و ".join(parts))
    return " ".join(parts)


def typed_number_to_ascii(text: str) -> str:
    """What a person typed, in ASCII: Persian/Arabic-Indic digits, ``٫`` ``٬`` ``−`` ``٪`` → ``0-9 . , - %``.

    Parsing rules (which separators to accept, ranges) stay with each form; this only reads the
    characters, so every form reads «۱۲٫۵» and «12.5» alike.
    """
    return digits_to_ascii(text).translate(_TYPED_PUNCTUATION)
