"""Persian display filters, installed as a template builtin (no ``{% load %}`` needed).

Values are stored language-neutral (ASCII digits, Gregorian dates, ``"1403-11"`` period codes) and
turned into what a Persian or English reader expects only here, at display time, following the
active language. A filter must never break a page: on input it cannot handle it returns that input
unchanged, as text, and the page shows the raw value instead of a server error.
"""

import re
from datetime import date, timedelta
from typing import Final

from django import template
from django.utils.safestring import SafeData, mark_safe

from tabyin.core import jalali
from tabyin.core.display import numbers
from tabyin.core.http import page_language
from tabyin.core.persian_text import digits_to_persian

register = template.Library()

EMPTY_NUMBER: Final = numbers.EMPTY
# In markup, only text between tags may change: digits in tag names (<h2>), attributes (href,
# class) and character references (&#x27; from escaping an apostrophe) must stay ASCII.
_MARKUP_OR_DIGITS: Final = re.compile(r"<[^>]*>|&#?[0-9A-Za-z]+;|[0-9]+")


def _as_text(value: object) -> str:
    """The fallback output: the input unchanged, as text (empty for None, like Django's |date)."""
    if value is None:
        return ""
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a broken __str__ must not take the whole page down
        return ""


def _persian_markup_digits(match: re.Match[str]) -> str:
    token = match[0]
    return token if token[0] in "<&" else digits_to_persian(token)


@register.filter(is_safe=True)
def persian_digits(value: object) -> str:
    """ASCII digits -> Persian digits when the active language is Persian; unchanged otherwise.

    Safe markup (``{% filter persian_digits %}`` around rendered HTML) keeps its tags, attributes
    and character references intact and stays safe; plain text is escaped later as usual.
    """
    text = _as_text(value)
    if page_language() != "fa":
        return text
    if isinstance(value, SafeData):
        return mark_safe(_MARKUP_OR_DIGITS.sub(_persian_markup_digits, text))  # noqa: S308 - see above
    return digits_to_persian(text)


# Digits that are part of a code (S03, M01, IR-23, 1404-Q1's "Q1") stay ASCII: codes are data.
_NUMBER_NOT_IN_CODE: Final = re.compile(r"(?<![A-Za-z0-9-])[0-9]+(?:[.,][0-9]+)*")


# In safe markup (a help text with ``<code>``): tags, character references and what people type
# inside <code> keep their digits.
_MARKUP_OR_CODE: Final = re.compile(r"(<code\b[^>]*>.*?</code>|<[^>]*>|&#?[0-9A-Za-z]+;)", re.DOTALL)


def _localize_numbers(text: str) -> str:
    return _NUMBER_NOT_IN_CODE.sub(lambda m: numbers.localize_number(m[0], "fa"), text)


@register.filter()
def persian_numbers(value: object) -> str:
    """Like ``persian_digits`` for plain text that mixes codes and numbers (e.g. a validation
    message «S03 …: 0.85 …» becomes «S03 …: ۰٫۸۵ …»): numbers get Persian digits and separators,
    codes keep theirs. Plain text stays plain (escaped as usual); safe markup, even lazy (a help
    text built with ``form_renderer.help_with_code``), stays safe with its tags and code intact."""
    if hasattr(value, "__html__"):
        markup = str(value.__html__())
        if page_language() != "fa":
            return mark_safe(markup)  # noqa: S308 - the input was safe markup already
        parts = _MARKUP_OR_CODE.split(markup)
        # split() with one group: odd items are the markup and code, even ones the text between.
        return mark_safe(  # noqa: S308 - only digits between tags change
            "".join(part if i % 2 else _localize_numbers(part) for i, part in enumerate(parts))
        )
    text = _as_text(value)
    if page_language() != "fa":
        return text
    return _localize_numbers(text)


@register.filter(is_safe=True)
def jdate(value: object, arg: str | None = None) -> str:
    """Jalali date: ``"۵ آذر ۱۴۰۵"`` / ``"5 Azar 1405"``; ``|jdate:"month"`` gives ``"آذر ۱۴۰۵"``.

    With ``"month"`` a period code (``"1405-09"``) is accepted as well as a date.
    """
    try:
        if arg == "month" and isinstance(value, date | str):
            return jalali.format_month(value, page_language())
        if arg is None and isinstance(value, date):
            return jalali.format_date(value, page_language())
    except (ValueError, ArithmeticError):
        pass
    return _as_text(value)


@register.filter(name="jdatetime", is_safe=True)
def jdatetime_filter(value: object) -> str:
    """Jalali date and Tehran time: ``"۵ آذر ۱۴۰۵، ۱۴:۳۰"``; a plain date shows the date only."""
    if isinstance(value, date):
        try:
            return jalali.format_datetime(value, page_language())
        except (ValueError, ArithmeticError):
            pass
    return _as_text(value)


def _places(arg: object) -> int | None:
    """A filter argument as decimal places (``|number:2``, ``|number:"2"``); ValueError otherwise."""
    return None if arg is None else int(str(arg))


@register.filter(is_safe=True)
def number(value: object, places: object = None) -> str:
    """Grouped number: ``"۱٬۲۳۴٬۵۶۷"`` in Persian, ``"1,234,567"`` in English; None -> ``"—"``.

    ``|number:2`` fixes the decimal places (rounded half-even, as Python formats). A negative
    number has the minus sign ``−`` in Persian (see ``core.display.numbers``).
    """
    if value is None:
        return EMPTY_NUMBER
    try:
        return numbers.format_number(value, page_language(), _places(places))  # type: ignore[arg-type]
    except (ValueError, TypeError, ArithmeticError):
        return _as_text(value)


@register.filter(is_safe=True)
def percent(value: object, places: object = 1) -> str:
    """A fraction as a percentage: ``0.023`` -> ``"۲٫۳٪"`` / ``"2.3%"``; ``|percent:0``; None -> ``"—"``."""
    if value is None:
        return EMPTY_NUMBER
    try:
        return numbers.format_percent(value, page_language(), _places(places) or 0)  # type: ignore[arg-type]
    except (ValueError, TypeError, ArithmeticError):
        return _as_text(value)


@register.filter(is_safe=True)
def signed(value: object, places: object = None) -> str:
    """A change with its sign: ``"+۱۲"``, ``"−۳٫۵"`` / ``"+12"``, ``"-3.5"``; zero has none."""
    if value is None:
        return EMPTY_NUMBER
    try:
        return numbers.format_signed(value, page_language(), _places(places))  # type: ignore[arg-type]
    except (ValueError, TypeError, ArithmeticError):
        return _as_text(value)


@register.filter(is_safe=True)
def duration(value: object) -> str:
    """A ``timedelta`` in words: «۴ ساعت و ۴۰ دقیقه» / "4 hours 40 minutes"; None -> ``""``."""
    if isinstance(value, timedelta):
        return numbers.format_duration(value, page_language())
    return _as_text(value)


@register.filter(is_safe=True)
def period(value: object) -> str:
    """Period code -> month and year: ``"1403-11"`` -> ``"بهمن ۱۴۰۳"`` / ``"Bahman 1403"``."""
    if isinstance(value, str):
        try:
            return jalali.format_month(value, page_language())
        except ValueError:
            pass
    return _as_text(value)


__all__ = [
    "duration",
    "jdate",
    "jdatetime_filter",
    "number",
    "percent",
    "period",
    "persian_digits",
    "persian_numbers",
    "register",
    "signed",
]
