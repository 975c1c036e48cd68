"""Publication dates as sources write them, read without ever inventing one (pure, no Django).

Persian news sites write dates in many shapes: RFC 822 and ISO 8601 (Gregorian), but also Jalali
(«۱۴۰۳/۰۳/۱۲ - ۱۲:۳۰», «1403-03-12 12:30», «سه‌شنبه ۱۲ خرداد ۱۴۰۳ ساعت ۱۲:۳۰»), in Persian or
ASCII digits. :func:`parse_date` reads all of them; a time written without an offset is Tehran
time. A year below ``JALALI_BEFORE`` is a Jalali year: no Gregorian news date is that old, and no
Jalali one that new. The Jalali calendar itself is jdatetime's (its leap years follow an
astronomical rule that is easy to get subtly wrong by hand).

What cannot be read is not guessed: :func:`read_date` returns the fetch time for ordering, flagged
``unknown`` and with the raw text kept, so nobody mistakes it for a publication time (such a post is
never a story's origin). A date outside the sane window (:class:`DateWindow`: a year before
``min_year``, or further ahead than ``future``) is as unknown as an unreadable one: a Jalali year
read as Gregorian, or a clock a day fast, would otherwise make the post the oldest of its story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from tabyin.core.persian_text import digits_to_ascii

__all__ = ["DEFAULT_WINDOW", "RAW_CHARS", "TEHRAN", "DateWindow", "Dated", "parse_date", "read_date"]

TEHRAN: Final = ZoneInfo("Asia/Tehran")
# Years below this are Jalali (the Jalali year 1600 is the Gregorian 2221).
JALALI_BEFORE: Final = 1600
# Column width of Post.date_raw: the raw text is kept for a person to read, not parsed again.
RAW_CHARS: Final = 200

JALALI_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("فروردین",),
            ("اردیبهشت", "ارديبهشت"),
            ("خرداد",),
            ("تیر", "تير"),
            ("مرداد", "امرداد"),
            ("شهریور", "شهريور"),
            ("مهر",),
            ("آبان", "ابان"),
            ("آذر", "اذر"),
            ("دی", "دي"),
            ("بهمن",),
            ("اسفند",),
        ),
        start=1,
    )
    for name in names
}
# Weekday names and the words around a time («ساعت», «،»): dropped before the date is read.
_NOISE: Final = re.compile(
    r"(?:یک|دو|سه|چهار|پنج)?\s*شنبه|جمعه|ساعت|[،,]|\bدر\b",
)
_TIME: Final = r"(?:[\sT]*-?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
_NUMERIC: Final = re.compile(
    rf"^(?P<year>\d{{4}})\s*(?P<sep>[/.-])\s*(?P<month>\d{{1,2}})\s*(?P=sep)\s*(?P<day>\d{{1,2}}){_TIME}$"
)
_LETTERS: Final = re.compile(r"[A-Za-z]{3}")
_NAMED: Final = re.compile(
    rf"^(?P<day>\d{{1,2}})\s*(?P<month>{'|'.join(JALALI_MONTHS)})\s*(?P<year>\d{{4}}){_TIME}$"
)


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The publication dates taken as real: from ``min_year`` up to ``future`` after now."""

    min_year: int = 2000
    future: timedelta = timedelta(days=1)

    def problem(self, when: datetime, now: datetime) -> str | None:
        """Why ``when`` (aware) is not a believable publication time at ``now``, or None."""
        if when.astimezone(UTC).year < self.min_year:
            hint = " (a Jalali date? write it in the Gregorian calendar)" if when.year < JALALI_BEFORE else ""
            return f"published_at {when.isoformat()} is before {self.min_year}{hint}"
        if when > now + self.future:
            hours = round(self.future.total_seconds() / 3600)
            return f"published_at {when.isoformat()} is more than {hours} hours in the future"
        return None

    @classmethod
    def of(cls, conf: object) -> DateWindow:
        """The window a settings object configures (``TABYIN_MONITOR_DATE_MIN_YEAR`` and
        ``TABYIN_MONITOR_DATE_FUTURE_HOURS``), the defaults for what it does not set."""
        min_year = getattr(conf, "TABYIN_MONITOR_DATE_MIN_YEAR", 2000)
        hours = getattr(conf, "TABYIN_MONITOR_DATE_FUTURE_HOURS", 24)
        return cls(min_year=int(min_year), future=timedelta(hours=int(hours)))


DEFAULT_WINDOW: Final = DateWindow()


@dataclass(frozen=True, slots=True)
class Dated:
    """A post's time. ``unknown``: ``at`` is the fetch time (for ordering only), ``raw`` what the
    source wrote ("" when it wrote nothing)."""

    at: datetime
    unknown: bool = False
    raw: str = ""


def _calendar(parts: tuple[int, ...], *, zone: tzinfo = TEHRAN) -> datetime | None:
    """The UTC time of (year, month, day, hour, minute, second) on a wall clock in ``zone``, the
    date Jalali when its year says so."""
    year, month, day, hour, minute, second = parts
    try:
        if year < JALALI_BEFORE:
            # jdatetime ships no type information: its value is turned into a datetime here.
            import jdatetime  # type: ignore[import-untyped, unused-ignore]

            gregorian = jdatetime.datetime(year, month, day, hour, minute, second).togregorian()
            year, month, day = int(gregorian.year), int(gregorian.month), int(gregorian.day)
        return datetime(year, month, day, hour, minute, second, tzinfo=zone).astimezone(UTC)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    # Imported here: ``tabyin ingest`` reads ISO dates only and need not pay for the email package.
    from email.utils import parsedate_to_datetime

    try:
        rfc = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    # "-0000" (no zone information) is read as UTC, the RFC's own reading of it.
    return rfc.astimezone(UTC) if rfc.tzinfo else rfc.replace(tzinfo=UTC)


def _written(text: str) -> datetime | None:
    """«1403/03/12 - 12:30», «12 خرداد 1403 12:30» (digits already ASCII)."""
    text = " ".join(_NOISE.sub(" ", text).split())
    found = _NUMERIC.match(text)
    month = int(found["month"]) if found is not None else 0
    if found is None:
        found = _NAMED.match(text)
        if found is None:
            return None
        month = JALALI_MONTHS[found["month"]]
    time = (int(found["hour"] or 0), int(found["minute"] or 0), int(found["second"] or 0))
    return _calendar((int(found["year"]), month, int(found["day"]), *time))


def parse_date(raw: str) -> datetime | None:
    """The UTC time a source's date text names, or None when it cannot be read with certainty."""
    text = " ".join(digits_to_ascii(raw).replace("\u200c", " ").split())
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        if text.isascii() and _LETTERS.search(text):
            return _rfc822(text)
        return _written(text)
    # A Jalali date in ISO form keeps its offset; without one it is Tehran time.
    return _calendar(parsed.timetuple()[:6], zone=parsed.tzinfo or TEHRAN)


def read_date(
    raw: str | None, *, now: datetime, window: DateWindow = DEFAULT_WINDOW, parsed: datetime | None = None
) -> Dated:
    """A post's time from the text its source wrote. ``parsed`` is a time another reader already
    found (a feed library's), used when the text itself cannot be read. An unreadable, missing or
    unbelievable date gives ``now``, flagged unknown, with the raw text kept."""
    raw = (raw or "").strip()
    when = parse_date(raw) if raw else None
    if when is None:
        when = parsed
    if when is None or window.problem(when, now) is not None:
        return Dated(now, unknown=True, raw=raw[:RAW_CHARS])
    return Dated(when)
