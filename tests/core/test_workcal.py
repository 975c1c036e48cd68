"""Working hours on the Iranian week (issue 20.3): Saturday to Wednesday 07:30–14:30, Thursday a
half day to 12:00 or off, Friday off, official holidays off; Tehran time throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import jdatetime
import pytest

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import Holiday, WorkSchedule
from tabyin.core.workcal import hours, services
from tabyin.core.workcal.hours import NoWorkingTimeError, Schedule, add_working_hours, working_hours_between
from tabyin.core.workcal.seed import HOLIDAYS


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TEHRAN)


HALF = Schedule()
OFF = Schedule(thursday="off")
# 1405-10-01 (ولادت امام علی) is Tuesday 2026-12-22; 29 Esfand 1405 and Nowruz 1406 follow.
HOLIDAYS_SET = frozenset(date.fromisoformat(day) for day, *_rest in HOLIDAYS)
WITH_HOLIDAYS = Schedule(holidays=HOLIDAYS_SET)


@pytest.mark.parametrize(
    ("schedule", "start", "plus", "expected"),
    [
        (HALF, at(2026, 12, 7, 10), 3, at(2026, 12, 7, 13)),  # Monday, same day
        (HALF, at(2026, 12, 7, 10), 5, at(2026, 12, 8, 8)),  # into Tuesday morning
        (HALF, at(2026, 12, 7, 6), 1, at(2026, 12, 7, 8, 30)),  # before opening: from 07:30
        (HALF, at(2026, 12, 9, 13), 6, at(2026, 12, 10, 12)),  # Wednesday 1.5 h + Thursday's 4.5 h
        (OFF, at(2026, 12, 9, 13), 6, at(2026, 12, 12, 12)),  # Thursday off: Saturday noon
        (HALF, at(2026, 12, 9, 13), 7, at(2026, 12, 12, 8, 30)),  # Friday skipped
        (HALF, at(2026, 12, 10, 13), 1, at(2026, 12, 12, 8, 30)),  # after Thursday's half day
        (HALF, at(2026, 12, 11, 20), 0, at(2026, 12, 12, 7, 30)),  # filed on Friday: Saturday
        (HALF, at(2026, 12, 11, 20), 1, at(2026, 12, 12, 8, 30)),
        (HALF, at(2026, 12, 7, 14, 30), 0.5, at(2026, 12, 8, 8)),  # at closing time
        (WITH_HOLIDAYS, at(2026, 12, 21, 14), 2, at(2026, 12, 23, 9)),  # Tuesday a holiday
        (HALF, at(2026, 12, 21, 14), 2, at(2026, 12, 22, 9)),  # the same without the holiday
        # Wednesday 1405-12-26: 0.5 h, Thursday 4.5 h, Friday, 29 Esfand (Saturday) and Nowruz
        # (Sunday to Wednesday) off, Thursday 5 Farvardin 4.5 h, then Saturday 7 Farvardin.
        (WITH_HOLIDAYS, at(2027, 3, 17, 14), 10, at(2027, 3, 27, 8)),
        # Five working days of 7 h from a Saturday morning, Thursday half: 7*5 = 35 -> Wednesday close.
        (HALF, at(2026, 12, 12, 7, 30), 35, at(2026, 12, 16, 14, 30)),
        (HALF, at(2026, 12, 12, 7, 30), 39.5, at(2026, 12, 17, 12)),
        (HALF, at(2026, 12, 12, 7, 30), 40, at(2026, 12, 19, 8)),
    ],
)
def test_add_working_hours(schedule: Schedule, start: datetime, plus: float, expected: datetime) -> None:
    assert add_working_hours(schedule, start, plus) == expected


def test_any_time_zone_in_tehran_out() -> None:
    utc = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)  # 10:00 in Tehran (UTC+03:30, no summer time)
    found = add_working_hours(HALF, utc, 3)
    assert found == at(2026, 12, 7, 13)
    assert found.utcoffset() is not None and found.utcoffset().total_seconds() == 3.5 * 3600  # type: ignore[union-attr]


def test_negative_hours_and_a_calendar_without_work_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_hours(HALF, at(2026, 12, 7, 10), -1)
    never = Schedule(day_start=time(9), day_end=time(9))
    with pytest.raises(NoWorkingTimeError):
        add_working_hours(never, at(2026, 12, 7, 10), 1)


@pytest.mark.parametrize(
    ("schedule", "a", "b", "expected"),
    [
        # Monday 4.5 + Tuesday 7 + Wednesday 7 + Thursday 4.5 + Saturday 1.5
        (HALF, at(2026, 12, 7, 10), at(2026, 12, 12, 9), 24.5),
        (OFF, at(2026, 12, 7, 10), at(2026, 12, 12, 9), 20.0),
        (HALF, at(2026, 12, 12, 9), at(2026, 12, 7, 10), -24.5),  # late by, early by
        (HALF, at(2026, 12, 11, 8), at(2026, 12, 11, 20), 0.0),  # a Friday
        (HALF, at(2026, 12, 7, 15), at(2026, 12, 8, 7), 0.0),  # overnight
        (WITH_HOLIDAYS, at(2027, 3, 17, 14), at(2027, 3, 27, 8), 10.0),  # across Nowruz
        (HALF, at(2027, 3, 17, 14), at(2027, 3, 27, 8), 10.0 + 7 * 5),  # the same, no holidays
        (WITH_HOLIDAYS, at(2026, 12, 21, 14), at(2026, 12, 23, 9), 2.0),
    ],
)
def test_working_hours_between(schedule: Schedule, a: datetime, b: datetime, expected: float) -> None:
    assert working_hours_between(schedule, a, b) == expected


@pytest.mark.parametrize("plus", [0.25, 1, 4.5, 7, 13, 26, 60, 200])
def test_between_undoes_add(plus: float) -> None:
    start = at(2027, 3, 10, 11, 15)  # Eid al-Fitr 1448 is computed for this Wednesday
    assert working_hours_between(WITH_HOLIDAYS, start, add_working_hours(WITH_HOLIDAYS, start, plus)) == plus


def test_seed_solar_holidays_fall_on_their_jalali_dates() -> None:
    solar = [(jdatetime.date.fromgregorian(date=date.fromisoformat(d)), o) for d, _fa, _en, o in HOLIDAYS]
    found = {(j.year, j.month, j.day) for j, origin in solar if origin == "solar"}
    fixed = [(1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13), (3, 14), (3, 15), (11, 22), (12, 29)]
    assert found == {(y, m, d) for y in (1405, 1406) for m, d in fixed}


def test_seed_lunar_holidays_match_the_published_1405_calendar() -> None:
    by_day = {date.fromisoformat(d): en for d, _fa, en, _o in HOLIDAYS}

    def j(y: int, m: int, d: int) -> date:
        return jdatetime.date(y, m, d).togregorian()  # type: ignore[no-any-return]

    assert "Eid al-Fitr" in by_day[j(1405, 1, 1)]
    assert "Eid al-Fitr holiday" in by_day[j(1405, 1, 2)]
    assert by_day[j(1405, 3, 6)] == "Eid al-Adha"
    assert by_day[j(1405, 3, 14)] == "Death of Imam Khomeini; Eid al-Ghadir"
    assert by_day[j(1405, 4, 3)] == "Tasua"
    assert by_day[j(1405, 4, 4)] == "Ashura"
    in_1405 = [jdatetime.date.fromgregorian(date=d) for d in by_day if j(1405, 1, 1) <= d <= j(1405, 12, 29)]
    per_month = {m: sum(1 for x in in_1405 if x.month == m) for m in range(1, 13)}
    # The published counts (Farvardin's with 25 Farvardin, Imam Sadegh: see seed.py).
    assert per_month == {1: 7, 2: 0, 3: 3, 4: 2, 5: 4, 6: 1, 7: 0, 8: 1, 9: 0, 10: 2, 11: 2, 12: 4}
    assert len(HOLIDAYS) == 53


@pytest.mark.django_db
def test_the_tables_are_seeded_and_drive_the_service() -> None:
    assert Holiday.objects.count() == 53
    assert WorkSchedule.objects.get().thursday == "half"
    assert services.add_working_hours(at(2026, 12, 21, 14), 2) == at(2026, 12, 23, 9)
    assert services.working_hours_between(at(2027, 3, 17, 14), at(2027, 3, 27, 8)) == 10.0
    assert services.is_working_day(date(2026, 12, 22)) is False
    WorkSchedule.objects.update(thursday="off")
    assert services.add_working_hours(at(2026, 12, 9, 13), 6) == at(2026, 12, 12, 12)
    Holiday.objects.filter(day=date(2026, 12, 22)).delete()  # the moon seen a day later, say
    assert services.add_working_hours(at(2026, 12, 21, 14), 2) == at(2026, 12, 22, 9)
    assert hours.HORIZON_DAYS == 550
