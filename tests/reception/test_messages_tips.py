"""The tipline's questions on the managers' reception page, read through core's registry (the
monitor provides them; reception never imports it): which tips are about an announcement, what was
done about each, and the province scope checked on both sides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import TipQuery, TipQuestion, registry
from tabyin.monitor.enums import QueryKind, ResponseStatus, TipStatus
from tabyin.monitor.models import Response, Tip, WatchQuery
from tabyin.monitor.responses import services_tips
from tabyin.reception.messages import selectors
from tests.conftest import verified_client
from tests.reception.polls_helpers import page_text
from tests.reception.test_messages_views import T0, WRONG, _world

pytestmark = pytest.mark.django_db

ASK_TERM = "آیا حداقل‌بگیران امسال افزایش می‌گیرند؟"
ASK_TEHRAN = "در تهران گفته‌اند حداقل‌بگیران افزایش نمی‌گیرند، درست است؟"
OFF_TOPIC = "آیا شعبه شیراز فردا تعطیل است؟"


def _tip(text: str, at_hours: float, session: str) -> Tip:
    tip = services_tips.tip_submit(text=text, link="", contact="a@example.com", session_key=session)
    Tip.objects.filter(pk=tip.pk).update(created_at=T0 + timedelta(hours=at_hours))
    tip.refresh_from_db()
    return tip


def _tips() -> dict[str, Tip]:
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    WatchQuery.objects.create(name="تهران", kind=QueryKind.PROVINCE, expression="تهران", province=tehran)
    return {
        "term": _tip(ASK_TERM, 2, "s1"),
        "rumor": _tip(WRONG, 30, "s2"),
        "tehran": _tip(ASK_TEHRAN, 40, "s3"),
        "off": _tip(OFF_TOPIC, 3, "s4"),
        "old": _tip(ASK_TERM + " (قدیمی)", -24 * 31, "s5"),
    }


def test_the_tips_about_an_announcement_and_what_was_done(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    tips = _tips()
    rumor_post = Tip.objects.get(pk=tips["rumor"].pk).post
    assert rumor_post is not None
    rumor_story = rumor_post.story
    answer = Response.objects.create(
        story=rumor_story,
        status=ResponseStatus.PUBLISHED,
        title="نادرست است",
        published_at=T0 + timedelta(days=2),
    )
    Tip.objects.filter(pk=tips["tehran"].pk).update(status=TipStatus.CLOSED)
    report = selectors.report(user=hq_analyst, announcement=announcement)
    found = [(t.key, t.state, t.answer_url) for t in report.tips]
    assert found == [
        (f"monitor:tip:{tips['tehran'].pk}", "closed", ""),
        (f"monitor:tip:{tips['rumor'].pk}", "answered", reverse("monitor:clarification", args=[answer.pk])),
        (f"monitor:tip:{tips['term'].pk}", "pending", ""),
    ]
    assert report.tips[1].story_key == rumor_story.key
    assert (report.tips_answered, report.tips_waiting) == (1, 1)
    # No contact ever crosses the registry.
    assert all("example.com" not in repr(t) for t in report.tips)
    # A draft answer under way is "answering".
    Response.objects.filter(pk=answer.pk).update(status=ResponseStatus.IN_REVIEW)
    states = [t.state for t in selectors.report(user=hq_analyst, announcement=announcement).tips]
    assert states == ["closed", "answering", "pending"]


def test_the_page_shows_the_tips_in_persian(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    _tips()
    client = verified_client(hq_analyst)
    text = page_text(client.get(reverse("reception:staff-message", args=[announcement.pk])))
    assert "فرستاده به «این درست است؟»" in text
    assert "۰ پاسخ‌داده، ۳ در انتظار پاسخ." in text
    assert f"{ASK_TERM} — ۲۹ آبان ۱۴۰۵ آنچه انجام شد: هنوز کاری نشده" in text
    assert OFF_TOPIC not in text
    assert "a@example.com" not in text


def test_a_provincial_officer_sees_the_tips_that_name_their_province(
    hq_analyst: User, tehran_officer: User
) -> None:
    announcement = _world(hq_analyst)
    tips = _tips()
    report = selectors.report(user=tehran_officer, announcement=announcement)
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    assert [(t.key, t.province_ids) for t in report.tips] == [
        (f"monitor:tip:{tips['tehran'].pk}", frozenset({tehran.pk}))
    ]


def test_reception_checks_the_province_itself(hq_analyst: User, tehran_officer: User) -> None:
    """A provider that ignores the query's provinces still leaks nothing to a provincial officer."""
    announcement = _world(hq_analyst)
    isfahan = OrgUnit.objects.get(iso_code="IR-04")

    def careless(query: TipQuery) -> list[TipQuestion]:
        return [
            TipQuestion("x:1", ASK_TERM, T0, "pending", province_ids=frozenset({isfahan.pk})),
            TipQuestion("x:2", ASK_TERM, T0, "pending"),
        ]

    saved = list(registry.tips)
    registry.tips[:] = [careless]
    try:
        assert selectors.report(user=tehran_officer, announcement=announcement).tips == []
        assert [t.key for t in selectors.report(user=hq_analyst, announcement=announcement).tips] == [
            "x:2",
            "x:1",
        ]
    finally:
        registry.tips[:] = saved
