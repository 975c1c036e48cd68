"""The transparency site's "was this clear?" answers in reception's poll reports: given through the
portal's own service, read through core's registry, per page and Iran day with a Wilson interval,
scoped like the polls."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.portal.feedback import services as feedback
from tabyin.portal.models import Indicator
from tabyin.reception.polls import selectors
from tests.portal.test_public_pages import explanation, sample_figures
from tests.reception.polls_helpers import page_text

pytestmark = pytest.mark.django_db


def _answer(target: str, target_id: int, when: datetime, *, clear: bool) -> None:
    with time_machine.travel(when, tick=False):
        feedback.feedback_record(target=target, target_id=target_id, clear=clear, comment="", language="fa")


@pytest.fixture
def answers(org: None) -> dict[str, int]:
    """Coverage rate: 3 yes and 1 no on 4 Azar 1405 (25 Nov), then 1 yes and 1 no on the 26th (one
    of them at 00:30 Tehran time, still the 25th in UTC); a Tehran explanation: 1 yes on the 26th."""
    cache.clear()
    sample_figures()
    indicator = Indicator.objects.get(code="coverage-rate").pk
    tehran = explanation(thread=7, title="چرا خدمات سرپایی کم شد؟", area="IR-23").pk
    for minute, clear in ((1, True), (2, True), (3, True), (4, False)):
        _answer("indicator", indicator, datetime(2026, 11, 25, 8, minute, tzinfo=UTC), clear=clear)
    _answer("indicator", indicator, datetime(2026, 11, 25, 21, 0, tzinfo=UTC), clear=True)
    _answer("indicator", indicator, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), clear=False)
    _answer("explanation", tehran, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), clear=True)
    return {"indicator": indicator, "explanation": tehran}


def test_the_registry_gives_counts_per_page_and_iran_day(answers: dict[str, int]) -> None:
    rows = registry.clarity_between(date(2026, 11, 25), date(2026, 11, 27))

    assert [(r.key, r.url, r.day, r.clear, r.unclear) for r in rows] == [
        (f"portal:explanation:{answers['explanation']}", "/explanations/7/", date(2026, 11, 26), 1, 0),
        (f"portal:indicator:{answers['indicator']}", "/indicators/coverage-rate/", date(2026, 11, 25), 3, 1),
        (f"portal:indicator:{answers['indicator']}", "/indicators/coverage-rate/", date(2026, 11, 26), 1, 1),
    ]
    assert rows[0].province_id is not None and rows[1].province_id is None
    assert registry.clarity_between(date(2026, 11, 26), date(2026, 11, 26)) == []


def test_the_selector_reports_the_wilson_interval(answers: dict[str, int], hq_analyst: User) -> None:
    with translation.override("fa"):
        pages = selectors.site_clarity(user=hq_analyst, today=date(2026, 11, 26))

    assert [(p.title, p.province, p.overall.hits, p.overall.n) for p in pages] == [
        ("نرخ پوشش بیمه‌ای", "", 4, 6),
        ("چرا خدمات سرپایی کم شد؟", "تهران", 1, 1),
    ]
    interval = pages[0].overall.interval
    assert interval is not None
    assert (round(interval.share, 4), round(interval.low, 4), round(interval.high, 4)) == (
        0.6667,
        0.3,
        0.9032,
    )
    assert [(day, c.hits, c.misses) for day, c in pages[0].by_day] == [
        (date(2026, 11, 25), 3, 1),
        (date(2026, 11, 26), 1, 1),
    ]
    # The window ends today: answers of the 26th are not in a report of the 25th.
    earlier = selectors.site_clarity(user=hq_analyst, today=date(2026, 11, 25))
    assert [(p.overall.hits, p.overall.n) for p in earlier] == [(3, 4)]


@time_machine.travel(datetime(2026, 11, 26, 12, 0, tzinfo=UTC), tick=False)
def test_the_polls_page_shows_the_answers_scoped(
    answers: dict[str, int], hq_analyst: User, tehran_officer: User, staff_client: object, in_persian: None
) -> None:
    assert callable(staff_client)
    text = page_text(staff_client(hq_analyst).get(reverse("reception:staff-polls")))

    assert "روشن بود؟ (تأمین‌نما)" in text
    assert (
        "نرخ پوشش بیمه‌ای روز پاسخ بله پاسخ خیر پاسخ‌ها سهم روشن بازهٔ ویلسون، ۹۵ درصد "
        "همهٔ روزها ۴ ۲ ۶ ۶۷٪ ۳۰٪ تا ۹۰٪ ۴ آذر ۱۴۰۵ ۳ ۱ ۴ ۷۵٪ ۳۰٪ تا ۹۵٪ ۵ آذر ۱۴۰۵ ۱ ۱ ۲ ۵۰٪ ۹٪ تا ۹۱٪"
    ) in text
    assert "چرا خدمات سرپایی کم شد؟ · تهران" in text

    officer = page_text(staff_client(tehran_officer).get(reverse("reception:staff-polls")))
    assert "چرا خدمات سرپایی کم شد؟ · تهران" in officer
    assert "نرخ پوشش بیمه‌ای" not in officer  # a national page: HQ's data, as unnamed-province answers
