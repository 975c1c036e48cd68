"""Jalali (Solar Hijri) calendar helpers: the calendar every Iranian reader and report period uses.

Calendar arithmetic is left to ``jdatetime``: leap years of the Solar Hijri calendar follow an
astronomical rule that is easy to get subtly wrong by hand. This module only adds what Tabyin needs
on top: one time zone (Asia/Tehran, where the organisation's days begin and end), "YYYY-MM" period
codes for monthly reporting, and Persian/English display strings.

No Django import: the ingestion workers and tests use it without settings.
"""

import re
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

# jdatetime ships no type information (no stubs, no py.typed); its objects are Any to mypy, so every
# value read from them is converted to int/str here before it leaves this module.
import jdatetime  # type: ignore[import-untyped, unused-ignore]

from tabyin.core.persian_text import digits_to_ascii, digits_to_persian

__all__ = [
    "MONTH_NAMES_EN",
    "MONTH_NAMES_FA",
    "TEHRAN",
    "format_date",
    "format_datetime",
    "format_month",
    "month_name",
    "parse_period_code",
    "period_bounds",
    "period_code",
    "to_jalali",
]

TEHRAN: Final = ZoneInfo("Asia/Tehran")

MONTH_NAMES_FA: Final = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTH_NAMES_EN: Final = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)

_PERIOD_CODE: Final = re.compile(r"([0-9]{4})-([0-9]{2})")
_PERSIAN_COMMA: Final = "\u060c"


def to_jalali(d: date | datetime) -> jdatetime.date:
    """Convert to ``jdatetime.date`` (or ``jdatetime.datetime`` for a datetime).

    An aware datetime is first moved to Tehran time: 2026-03-20 22:00 UTC is already Nowruz 1405 in
    Iran, and a day boundary in UTC would put late-evening events in the wrong day or month. A naive
    datetime is taken as Tehran wall time already (that is what naive values mean in this project).
    """
    if isinstance(d, datetime):
        if d.utcoffset() is not None:
            d = d.astimezone(TEHRAN)
        return jdatetime.datetime.fromgregorian(datetime=d)
    return jdatetime.date.fromgregorian(date=d)


def _year_month(d: date | datetime) -> tuple[int, int]:
    j = to_jalali(d)
    return int(j.year), int(j.month)


def period_code(d: date | datetime) -> str:
    """Return the Jalali month code, e.g. ``"1403-11"``: sortable as text and stable in URLs."""
    year, month = _year_month(d)
    return f"{year:04d}-{month:02d}"


def parse_period_code(code: str) -> tuple[int, int]:
    """Parse ``"YYYY-MM"`` into ``(year, month)``; Persian digits are accepted (typed in forms)."""
    match = _PERIOD_CODE.fullmatch(digits_to_ascii(code.strip()))
    if match is None:
        raise ValueError(f"invalid Jalali period code {code!r}: expected 'YYYY-MM', e.g. '1403-11'")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"invalid Jalali period code {code!r}: month must be 01 to 12")
    if not jdatetime.MINYEAR <= year < jdatetime.MAXYEAR:
        raise ValueError(f"invalid Jalali period code {code!r}: year out of supported range")
    return year, month


def period_bounds(code: str) -> tuple[date, date]:
    """Return the Gregorian first and last day of a Jalali month (both inclusive).

    The last day is "first day of the next month minus one", so month lengths and leap Esfand come
    from jdatetime rather than from a table here.
    """
    year, month = parse_period_code(code)
    first = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    start: date = first.togregorian()
    end: date = following.togregorian() - timedelta(days=1)
    return start, end


def _is_persian(language: str) -> bool:
    """``"fa"``/``"fa-ir"`` -> True, ``"en"``/``"en-us"`` -> False; anything else is a caller bug."""
    base = language.replace("_", "-").partition("-")[0].lower()
    if base not in ("fa", "en"):
        raise ValueError(f"unsupported language {language!r}: expected 'fa' or 'en'")
    return base == "fa"


def month_name(month: int, language: str) -> str:
    """Return the Jalali month name in Persian or in the usual English transliteration."""
    if not 1 <= month <= 12:
        raise ValueError(f"invalid Jalali month {month!r}: expected 1 to 12")
    names = MONTH_NAMES_FA if _is_persian(language) else MONTH_NAMES_EN
    return names[month - 1]


def _digits(text: str, language: str) -> str:
    return digits_to_persian(text) if _is_persian(language) else text


def format_date(d: date | datetime, language: str = "fa") -> str:
    """``"۵ آذر ۱۴۰۵"`` in Persian, ``"5 Azar 1405"`` in English (day not zero-padded, as written)."""
    j = to_jalali(d)
    text = f"{int(j.day)} {month_name(int(j.month), language)} {int(j.year)}"
    return _digits(text, language)


def format_datetime(d: date | datetime, language: str = "fa") -> str:
    """Date plus Tehran time as HH:MM, e.g. ``"۵ آذر ۱۴۰۵، ۱۴:۳۰"``; a plain date gets no time."""
    if not isinstance(d, datetime):
        return format_date(d, language)
    j = to_jalali(d)
    separator = _PERSIAN_COMMA if _is_persian(language) else ","
    time = _digits(f"{int(j.hour):02d}:{int(j.minute):02d}", language)
    return f"{format_date(d, language)}{separator} {time}"


def format_month(value: str | date | datetime, language: str = "fa") -> str:
    """``"آذر ۱۴۰۵"`` / ``"Azar 1405"`` from a period code (``"1405-09"``) or a date."""
    if isinstance(value, str):
        year, month = parse_period_code(value)
    else:
        year, month = _year_month(value)
    return _digits(f"{month_name(month, language)} {year}", language)


_TYPED_DATE = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})")


def parse_typed_date(text: str) -> date:
    """A Jalali date as people type it in a form («۱۴۰۵/۰۹/۳۰», 1405-9-30, 1405.09.30) to a
    Gregorian date; raises ``ValueError`` for anything else or a day the calendar lacks."""
    match = _TYPED_DATE.fullmatch(digits_to_ascii(text.strip()))
    if match is None:
        raise ValueError(text)
    year, month, day = (int(g) for g in match.groups())
    gregorian: date = jdatetime.date(year, month, day).togregorian()
    return gregorian
