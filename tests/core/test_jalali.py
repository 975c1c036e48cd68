"""Jalali helpers: exact dates around Nowruz, leap Esfand, Tehran day boundaries and display strings."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime
import pytest

from tabyin.core import jalali


def _ymd(value: date | datetime) -> tuple[int, int, int]:
    j = jalali.to_jalali(value)
    return (j.year, j.month, j.day)


@pytest.mark.parametrize(
    ("gregorian", "expected"),
    [
        (date(2026, 11, 26), (1405, 9, 5)),
        # Nowruz 1404 fell on 21 March 2025, after a 30-day (leap) Esfand 1403.
        (date(2025, 3, 20), (1403, 12, 30)),
        (date(2025, 3, 21), (1404, 1, 1)),
        # Nowruz 1405 falls on 21 March 2026, after a 29-day Esfand 1404.
        (date(2026, 3, 20), (1404, 12, 29)),
        (date(2026, 3, 21), (1405, 1, 1)),
    ],
)
def test_to_jalali_dates(gregorian: date, expected: tuple[int, int, int]) -> None:
    assert _ymd(gregorian) == expected
    assert type(jalali.to_jalali(gregorian)) is jdatetime.date


def test_aware_datetime_is_converted_to_tehran_first() -> None:
    # 22:00 UTC is 01:30 the next morning in Tehran (UTC+03:30): already Nowruz 1405 there.
    j = jalali.to_jalali(datetime(2026, 3, 20, 22, 0, tzinfo=UTC))
    assert isinstance(j, jdatetime.datetime)
    assert (j.year, j.month, j.day, j.hour, j.minute) == (1405, 1, 1, 1, 30)
    # The day boundary is Tehran midnight = 20:30 UTC.
    assert _ymd(datetime(2026, 3, 20, 20, 29, 59, tzinfo=UTC)) == (1404, 12, 29)
    assert _ymd(datetime(2026, 3, 20, 20, 30, tzinfo=UTC)) == (1405, 1, 1)


def test_aware_datetime_in_another_zone_and_naive_datetime() -> None:
    tehran = datetime(2026, 3, 21, 0, 30, tzinfo=ZoneInfo("Asia/Tehran"))
    assert _ymd(tehran) == (1405, 1, 1)
    assert _ymd(datetime(2026, 3, 20, 18, 0, tzinfo=ZoneInfo("America/New_York"))) == (1405, 1, 1)
    # Naive means Tehran wall time already: no shift.
    assert _ymd(datetime(2026, 3, 20, 22, 0)) == (1404, 12, 29)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (date(2026, 11, 26), "1405-09"),
        (date(2025, 2, 19), "1403-12"),
        (date(2025, 2, 18), "1403-11"),
        (date(2025, 3, 21), "1404-01"),
        (datetime(2026, 3, 20, 22, 0, tzinfo=UTC), "1405-01"),
    ],
)
def test_period_code(value: date, code: str) -> None:
    assert jalali.period_code(value) == code


@pytest.mark.parametrize(
    ("code", "expected"),
    [("1403-11", (1403, 11)), ("1405-01", (1405, 1)), (" ۱۴۰۳-۱۲ ", (1403, 12)), ("٠٠٠١-٠١", (1, 1))],
)
def test_parse_period_code(code: str, expected: tuple[int, int]) -> None:
    assert jalali.parse_period_code(code) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1403-13", "month must be 01 to 12"),
        ("1403-00", "month must be 01 to 12"),
        ("1403-1", "expected 'YYYY-MM'"),
        ("14031", "expected 'YYYY-MM'"),
        ("1403/11", "expected 'YYYY-MM'"),
        ("1403-11-05", "expected 'YYYY-MM'"),
        ("", "expected 'YYYY-MM'"),
        ("abcd-ef", "expected 'YYYY-MM'"),
        ("0000-01", "year out of supported range"),
        ("9377-12", "year out of supported range"),
    ],
)
def test_parse_period_code_rejects_bad_input(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"invalid Jalali period code {code!r}: {message}")):
        jalali.parse_period_code(code)


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("1403-12", date(2025, 2, 19), date(2025, 3, 20)),  # leap Esfand: 30 days
        ("1404-12", date(2026, 2, 20), date(2026, 3, 20)),  # common Esfand: 29 days
        ("1405-01", date(2026, 3, 21), date(2026, 4, 20)),  # Farvardin: 31 days
        ("1405-09", date(2026, 11, 22), date(2026, 12, 21)),  # Azar: 30 days
        ("1405-07", date(2026, 9, 23), date(2026, 10, 22)),  # Mehr: 30 days
        ("1405-06", date(2026, 8, 23), date(2026, 9, 22)),  # Shahrivar: 31 days
    ],
)
def test_period_bounds(code: str, first: date, last: date) -> None:
    assert jalali.period_bounds(code) == (first, last)


def test_period_bounds_tile_the_calendar() -> None:
    """Four Gregorian years, day by day: every day lies in its own period, and periods are contiguous."""
    day, end = date(2024, 1, 1), date(2028, 1, 1)
    previous_last: date | None = None
    while day < end:
        code = jalali.period_code(day)
        first, last = jalali.period_bounds(code)
        assert first <= day <= last
        assert jalali.period_code(first) == jalali.period_code(last) == code
        if day == first and previous_last is not None:
            assert first == previous_last + timedelta(days=1)
        previous_last = last
        day += timedelta(days=1)


def test_month_names() -> None:
    fa = [jalali.month_name(m, "fa") for m in range(1, 13)]
    en = [jalali.month_name(m, "en") for m in range(1, 13)]
    assert fa[0] == "فروردین"
    assert fa[8] == "آذر"
    assert fa[11] == "اسفند"
    assert en[0] == "Farvardin"
    assert en[8] == "Azar"
    assert en[11] == "Esfand"
    # Same spellings as jdatetime's own tables.
    assert fa == list(jdatetime.date.j_months_fa)
    assert en == list(jdatetime.date.j_months_en)
    assert jalali.month_name(11, "fa-ir") == "بهمن"
    assert jalali.month_name(11, "en-us") == "Bahman"
    assert jalali.month_name(11, "en_GB") == "Bahman"


@pytest.mark.parametrize(("month", "language"), [(0, "fa"), (13, "en"), (-1, "fa"), (1, "de"), (1, "")])
def test_month_name_rejects_bad_input(month: int, language: str) -> None:
    with pytest.raises(ValueError, match=r"^(invalid Jalali month|unsupported language)"):
        jalali.month_name(month, language)


def test_format_date() -> None:
    assert jalali.format_date(date(2026, 11, 26)) == "۵ آذر ۱۴۰۵"
    assert jalali.format_date(date(2026, 11, 26), "fa") == "۵ آذر ۱۴۰۵"
    assert jalali.format_date(date(2026, 11, 26), "en") == "5 Azar 1405"
    assert jalali.format_date(date(2025, 3, 20), "fa") == "۳۰ اسفند ۱۴۰۳"
    assert jalali.format_date(datetime(2026, 3, 20, 22, 0, tzinfo=UTC), "fa") == "۱ فروردین ۱۴۰۵"
    assert jalali.format_date(datetime(2026, 3, 20, 22, 0, tzinfo=UTC), "en") == "1 Farvardin 1405"


def test_format_datetime() -> None:
    moment = datetime(2026, 3, 20, 22, 0, tzinfo=UTC)
    assert jalali.format_datetime(moment, "fa") == "۱ فروردین ۱۴۰۵، ۰۱:۳۰"
    assert jalali.format_datetime(moment, "en") == "1 Farvardin 1405, 01:30"
    assert jalali.format_datetime(datetime(2026, 11, 26, 9, 5, tzinfo=UTC), "fa") == "۵ آذر ۱۴۰۵، ۱۲:۳۵"
    assert jalali.format_datetime(date(2026, 11, 26), "en") == "5 Azar 1405"


def test_format_month() -> None:
    assert jalali.format_month("1405-09") == "آذر ۱۴۰۵"
    assert jalali.format_month("1405-09", "en") == "Azar 1405"
    assert jalali.format_month("1403-11", "fa") == "بهمن ۱۴۰۳"
    assert jalali.format_month(date(2026, 11, 26), "fa") == "آذر ۱۴۰۵"
    assert jalali.format_month(datetime(2026, 3, 20, 22, 0, tzinfo=UTC), "en") == "Farvardin 1405"
    with pytest.raises(ValueError, match="invalid Jalali period code"):
        jalali.format_month("1405-13")
