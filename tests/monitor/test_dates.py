"""Publication dates as sources write them: read exactly, or kept raw and flagged, never invented."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jdatetime
import pytest

from tabyin.monitor.pipeline.dates import DEFAULT_WINDOW, Dated, DateWindow, parse_date, read_date
from tabyin.monitor.pipeline.items import check, parse_item, to_dict
from tabyin.monitor.pipeline.types import RawPost

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
# 12 Khordad 1403, 12:30 in Tehran (+03:30, no daylight saving since 2022) is 09:00 UTC.
KHORDAD_12 = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)


def test_the_calendar_is_jdatetimes() -> None:
    assert jdatetime.date(1403, 3, 12).togregorian().isoformat() == "2024-06-01"


@pytest.mark.parametrize(
    "written",
    [
        # The example: the feed wrote it, the old code stored 1403-12-01 UTC.
        "۱۴۰۳/۰۳/۱۲ - ۱۲:۳۰",
        "1403/03/12 - 12:30",
        "1403-03-12 12:30",
        "۱۴۰۳-۰۳-۱۲ ۱۲:۳۰",
        "1403/3/12 12:30",
        "1403-03-12T12:30",
        "1403-03-12T12:30:00+03:30",
        "۱۲ خرداد ۱۴۰۳ ساعت ۱۲:۳۰",
        "سه‌شنبه ۱۲ خرداد ۱۴۰۳ ساعت ۱۲:۳۰",
        "شنبه، ۱۲ خرداد ۱۴۰۳ - ۱۲:۳۰",
        "١٢ خرداد ١٤٠٣ ١٢:٣٠",  # Arabic-Indic digits
        # Gregorian
        "Sat, 01 Jun 2024 09:00:00 GMT",
        "Sat, 01 Jun 2024 12:30:00 +0330",
        "01 Jun 2024 09:00:00 +0000",
        "2024-06-01T09:00:00Z",
        "2024-06-01T12:30:00+03:30",
        "2024-06-01 12:30",  # no offset: Tehran time
        "2024/06/01 12:30",
    ],
)
def test_dates_are_read_in_every_shape_sources_write(written: str) -> None:
    assert parse_date(written) == KHORDAD_12


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("۱۲ خرداد ۱۴۰۳", datetime(2024, 5, 31, 20, 30, tzinfo=UTC)),  # midnight in Tehran
        ("1403/01/01", datetime(2024, 3, 19, 20, 30, tzinfo=UTC)),  # Nowruz 1403
        ("۳۰ اسفند ۱۴۰۳", datetime(2025, 3, 19, 20, 30, tzinfo=UTC)),  # 1403 is a leap year
        ("۱ فروردین ۱۴۰۵ ساعت ۰۸:۱۵:۳۰", datetime(2026, 3, 21, 4, 45, 30, tzinfo=UTC)),
        ("۱۵ دی ۱۴۰۲", datetime(2024, 1, 4, 20, 30, tzinfo=UTC)),
        ("2024-06-01", datetime(2024, 5, 31, 20, 30, tzinfo=UTC)),
    ],
)
def test_jalali_days_and_month_names(written: str, expected: datetime) -> None:
    assert parse_date(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "دیروز",
        "۲ ساعت پیش",
        "1403/13/01",
        "۳۰ اسفند ۱۴۰۴",
        "Sat, 32 Jun 2024 09:00:00 GMT",
        "12:30",
    ],
)
def test_what_cannot_be_read_is_not_guessed(written: str) -> None:
    assert parse_date(written) is None


def test_an_unreadable_date_keeps_the_fetch_time_flagged_with_its_raw_text() -> None:
    assert read_date("  دیروز  ", now=NOW) == Dated(NOW, unknown=True, raw="دیروز")
    assert read_date(None, now=NOW) == Dated(NOW, unknown=True, raw="")
    assert read_date("x" * 500, now=NOW).raw == "x" * 200
    assert read_date("۱۴۰۳/۰۳/۱۲ - ۱۲:۳۰", now=NOW) == Dated(KHORDAD_12)


def test_a_date_outside_the_window_is_unknown_too() -> None:
    # What a feed library makes of «1403-03-12»: a Gregorian year 1403.
    misread = datetime(1403, 3, 12, 9, 0, tzinfo=UTC)
    assert read_date("", now=NOW, parsed=misread) == Dated(NOW, unknown=True)
    assert read_date("", now=NOW, parsed=KHORDAD_12) == Dated(KHORDAD_12)
    ahead = (NOW + timedelta(days=2)).isoformat()
    assert read_date(ahead, now=NOW) == Dated(NOW, unknown=True, raw=ahead)
    assert read_date("1999-12-31T23:00:00Z", now=NOW).unknown
    assert not read_date((NOW + timedelta(hours=23)).isoformat(), now=NOW).unknown


def test_the_window_comes_from_settings() -> None:
    class Conf:
        TABYIN_MONITOR_DATE_MIN_YEAR = 2020
        TABYIN_MONITOR_DATE_FUTURE_HOURS = 2

    window = DateWindow.of(Conf())
    assert window == DateWindow(min_year=2020, future=timedelta(hours=2))
    assert DateWindow.of(object()) == DEFAULT_WINDOW
    assert window.problem(datetime(2019, 12, 31, 23, tzinfo=UTC), NOW) == (
        "published_at 2019-12-31T23:00:00+00:00 is before 2020"
    )
    assert window.problem(NOW + timedelta(hours=3), NOW) == (
        "published_at 2026-12-07T09:00:00+00:00 is more than 2 hours in the future"
    )


def _line(published_at: str, **extra: object) -> dict[str, object]:
    return {"source": "rss:isna", "post_id": "1", "text": "خبر", "published_at": published_at, **extra}


def test_ingest_lines_outside_the_window_are_refused_with_a_reason() -> None:
    with pytest.raises(
        ValueError, match=r"^published_at 1403-03-12T12:30:00\+03:30 is before 2000 \(a Jalali "
    ):
        parse_item(_line("1403-03-12T12:30:00+03:30"), window=DEFAULT_WINDOW, now=NOW)
    with pytest.raises(ValueError, match="is more than 24 hours in the future"):
        parse_item(_line("2026-12-08T07:00:00+00:00"), window=DEFAULT_WINDOW, now=NOW)
    item = parse_item(_line("2026-12-08T05:00:00+00:00"), window=DEFAULT_WINDOW, now=NOW)
    assert item.published_at == datetime(2026, 12, 8, 5, tzinfo=UTC)
    # Without a window (the pure decision's own tests) no date is refused.
    assert parse_item(_line("1403-03-12T12:30:00+03:30")).published_at.year == 1403


def test_an_unknown_date_travels_through_task_arguments_and_is_not_window_checked() -> None:
    item = RawPost(
        source="telegram:a",
        post_id="7",
        text="خبر",
        published_at=NOW,
        date_unknown=True,
        date_raw="دیروز",
    )
    as_dict = to_dict(item)
    assert (as_dict["date_unknown"], as_dict["date_raw"]) == (True, "دیروز")
    assert parse_item(as_dict, window=DEFAULT_WINDOW, now=NOW) == item
    assert check(item, window=DateWindow(min_year=2030), now=NOW) is None
    assert "date_unknown" not in to_dict(RawPost("telegram:a", "8", "خبر", NOW))
