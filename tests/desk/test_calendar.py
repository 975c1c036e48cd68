"""The desk's due times on the staff calendar (issue 20.4): a waiting request's first answer and an
accepted request's delivery, only in the requests the person may read."""

from __future__ import annotations

from datetime import date

import pytest

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import registry
from tabyin.desk.enums import Kind, State
from tabyin.desk.intake import services, services_flow
from tests.desk.conftest import at

pytestmark = pytest.mark.django_db


def _events(user: User, first: date, last: date) -> list[tuple[str, str, str, str | None]]:
    return [
        (e.key, str(e.title), e.start.astimezone(TEHRAN).isoformat(), e.province)  # type: ignore[union-attr]
        for e in registry.calendar["desk"].events(user, first, last)
    ]


def test_due_times_of_readable_requests_only(
    nurse: User, hospital: OrgUnit, tehran_officer: User, isfahan_officer: User
) -> None:
    waiting = services.request_file(
        actor=nurse,
        unit=hospital,
        kind=Kind.NEWS,
        title="خبر بخش دیالیز",
        purpose="معرفی",
        audience="بیمه‌شدگان",
        deadline=date(2026, 12, 20),
        contact="داخلی ۲۲۴۰",
        now=at(2026, 12, 7, 10),
    )
    accepted = services.request_file(
        actor=nurse,
        unit=hospital,
        kind=Kind.NEWS,
        title="پوشش همایش پرستاران",
        purpose="گزارش",
        audience="کارکنان",
        deadline=date(2026, 12, 30),
        contact="داخلی ۲۲۴۰",
        now=at(2026, 12, 20, 9),
    )
    services_flow.move(actor=tehran_officer, request=accepted, to=State.ACCEPTED, now=at(2026, 12, 21, 14))

    december = (date(2026, 12, 1), date(2026, 12, 31))
    expected = [
        (f"answer-{waiting.pk}", "موعد نخستین پاسخ: خبر بخش دیالیز", "2026-12-07T14:00:00+03:30", "IR-23"),
        (f"deliver-{accepted.pk}", "موعد تحویل: پوشش همایش پرستاران", "2026-12-26T09:30:00+03:30", "IR-23"),
    ]
    assert _events(tehran_officer, *december) == expected
    assert _events(nurse, *december) == expected
    assert _events(isfahan_officer, *december) == []
    assert _events(tehran_officer, date(2026, 12, 8), date(2026, 12, 25)) == []
