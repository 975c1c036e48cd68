"""The desk's figures for the scorecard, by the requesting unit's province, and the report page's
rows: exact values over requests with known times (working hours on the seeded calendar)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import registry
from tabyin.desk.enums import Kind, State
from tabyin.desk.intake import services, services_flow
from tabyin.desk.stats import selectors
from tests.desk.conftest import at

pytestmark = pytest.mark.django_db
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


def _file(actor: User, unit: OrgUnit, title: str, when: object) -> object:
    return services.request_file(
        actor=actor,
        unit=unit,
        kind=Kind.NEWS,
        title=title,
        purpose="p",
        audience="a",
        deadline=date(2026, 12, 30),
        contact="c",
        now=when,
    )


@pytest.fixture
def history(nurse: User, hospital: OrgUnit, isfahan_staff: User, tehran_officer: User) -> None:
    a = _file(nurse, hospital, "الف", at(2026, 12, 7, 10))
    services_flow.move(actor=tehran_officer, request=a, to=State.ACCEPTED, now=at(2026, 12, 7, 11))  # type: ignore[arg-type]
    services_flow.move(actor=tehran_officer, request=a, to=State.IN_PROGRESS, now=at(2026, 12, 7, 12))  # type: ignore[arg-type]
    services_flow.deliver(
        actor=tehran_officer, request=a, url="https://example.org/a", now=at(2026, 12, 8, 10)
    )  # type: ignore[arg-type]
    services_flow.rate(actor=nurse, request=a, rating=4, now=at(2026, 12, 9, 9))  # type: ignore[arg-type]
    b = _file(nurse, hospital, "ب دیگر", at(2026, 12, 7, 10, 30))
    services_flow.move(actor=tehran_officer, request=b, to=State.ACCEPTED, now=at(2026, 12, 7, 14))  # type: ignore[arg-type]
    services_flow.move(actor=tehran_officer, request=b, to=State.IN_PROGRESS, now=at(2026, 12, 8, 8))  # type: ignore[arg-type]
    # Due Wednesday 14:00 (0.5 + 7 + 6.5 working hours); delivered on Saturday: late.
    services_flow.deliver(
        actor=tehran_officer, request=b, url="https://example.org/b", now=at(2026, 12, 12, 9)
    )  # type: ignore[arg-type]
    isfahan = OrgUnit.objects.get(code="ir-10")
    _file(isfahan_staff, isfahan, "پ", at(2026, 12, 7, 9))


@pytest.mark.usefixtures("history")
def test_the_scorecard_metrics_by_province() -> None:
    assert selectors.metric_requests(*DECEMBER) == {"IR-23": Decimal(2), "IR-10": Decimal(1)}
    assert selectors.metric_on_time(*DECEMBER) == {"IR-23": Decimal("50.0")}
    assert selectors.metric_satisfaction(*DECEMBER) == {"IR-23": Decimal("4.00")}
    assert selectors.metric_first_response(*DECEMBER) == {"IR-23": Decimal("2.25")}  # (1 + 3.5) / 2
    assert selectors.metric_requests(date(2026, 11, 1), date(2026, 11, 30)) == {}
    found = {name: m.absent for name, m in registry.metrics.items() if name.startswith("desk.")}
    assert found == {
        "desk.requests": "zero",
        "desk.on_time": "not_applicable",
        "desk.satisfaction": "not_applicable",
        "desk.first_response": "not_applicable",
    }
    assert registry.metrics["desk.on_time"].compute(*DECEMBER) == {"IR-23": Decimal("50.0")}


@pytest.mark.usefixtures("history")
def test_the_report_rows(hq_analyst: User) -> None:
    report = selectors.report_for(hq_analyst, "en")
    news = report.kinds[0]
    assert (news.kind, news.filed, news.response_sla, news.delivery_sla) == ("news", 3, 4, 14)
    assert (news.response_hours, news.response_on_time) == (2.2, 1.0)  # 2.25 shown to one place
    # A: 11:00 Monday to 10:00 Tuesday = 3.5 + 2.5; B: 14:00 Monday to 09:00 Saturday =
    # 0.5 + 7 + 7 + 4.5 + 1.5 = 20.5; the mean 13.25 is shown to one place.
    assert (news.delivery_hours, news.delivery_on_time) == (13.2, 0.5)
    assert (news.rating, news.rated, report.rating, report.total) == (4.0, 1, 4.0, 3)
    assert report.by_unit == [("Branch ir-23-hospital", {"news": 2}, 2), ("Isfahan", {"news": 1}, 1)]
