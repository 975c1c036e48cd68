"""/staff/ for a senior manager opens on today: new and growing stories, rumors without an answer
and their age, alerts to acknowledge, answers waiting for approval, yesterday's brief with its
stories; each with a count and a link, Persian digits, a constant number of queries. Other roles
keep the page they had."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import User
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.models import Alert, AlertRule, Brief, Response, Story, WatchQuery
from tests import factories
from tests.conftest import verified_client
from tests.monitor.test_alerts_helpers import post, story, watch

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=TEHRAN)
TODAY = datetime(2026, 3, 1, 0, 0, tzinfo=TEHRAN)
H = timedelta(hours=1)
_n = itertools.count()


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


def _watched(title: str, at: datetime, **fields: object) -> Story:
    found = story(title, at=at)
    Story.objects.filter(pk=found.pk).update(matches_watch=True, channel_count=2, **fields)
    found.refresh_from_db()
    return found


def _morning_of(size: int) -> dict[str, list[Story]]:
    """``size`` of each thing a senior manager acts on, and what must not be counted."""
    made: dict[str, list[Story]] = {"new": [], "growing": [], "rumors": [], "alerts": [], "answers": []}
    rule = AlertRule.objects.create(name="reach", kind="reach", threshold=2)
    org = WatchQuery.objects.filter(name="تأمین اجتماعی").first() or watch()
    for _ in range(size):
        k = next(_n)
        new = _watched(f"خبر تازه {k}", TODAY + 7 * H)
        post(new, f"new{k}a", TODAY + 7 * H, query=org)
        post(new, f"new{k}b", TODAY + 8 * H)
        made["new"].append(new)
        old = _watched(f"خبر دیروز {k}", TODAY - 10 * H)
        post(old, f"old{k}a", TODAY - 10 * H, query=org)
        post(old, f"old{k}b", TODAY + 6 * H)  # a new channel today: growing
        made["growing"].append(old)
        quiet = _watched(f"خبر آرام {k}", TODAY - 10 * H)
        post(quiet, f"quiet{k}", TODAY - 10 * H, query=org)
        post(quiet, f"quiet{k}", TODAY + 6 * H)  # the same channel again: not growing
        rumor = _watched(f"شایعه {k}", TODAY - 20 * H, is_rumor=True, rumor_flagged_at=NOW - 5 * H)
        made["rumors"].append(rumor)
        answered = _watched(
            f"شایعهٔ پاسخ‌داده {k}", TODAY - 20 * H, is_rumor=True, rumor_flagged_at=NOW - 9 * H
        )
        Response.objects.create(story=answered, status=ResponseStatus.PUBLISHED, published_at=NOW - H)
        waiting = _watched(f"پاسخ در انتظار {k}", TODAY - 20 * H, is_rumor=True, rumor_flagged_at=NOW - 6 * H)
        Response.objects.create(story=waiting, status=ResponseStatus.IN_REVIEW)
        made["answers"].append(waiting)
        made["rumors"].append(waiting)
        Alert.objects.create(rule=rule, story=new, created_at=NOW - H, reason="r", count=3, round=0)
        Alert.objects.create(
            rule=rule, story=old, created_at=NOW - 2 * H, reason="r", acknowledged_at=NOW - H, round=0
        )
        made["alerts"].append(new)
    brief, _ = Brief.objects.get_or_create(
        day=(TODAY - H).date(), defaults={"html": "", "pdf": b"", "created_at": TODAY + 7 * H}
    )
    brief.stories = [*brief.stories, *({"id": s.pk, "title": s.title} for s in made["growing"])]
    brief.save()
    return made


def _count(page: str, part: str) -> str:
    start = page.index(f'data-testid="morning-{part}"')
    marker = 'data-testid="count">'
    at = page.index(marker, start) + len(marker)
    return page[at : page.index("<", at)]


@time_machine.travel(NOW, tick=False)
def test_a_senior_manager_opens_on_today(manager: User) -> None:
    made = _morning_of(2)

    page = verified_client(manager).get(reverse("core:staff-home")).content.decode()

    assert 'data-testid="morning"' in page
    assert [_count(page, p) for p in ("stories", "rumors", "alerts", "answers", "brief")] == [
        "۴",
        "۴",
        "۲",
        "۲",
        "۲",
    ]
    for key in ("new", "growing", "alerts"):
        for s in made[key]:
            assert f'<a href="{reverse("monitor:story", args=[s.pk])}">{s.title}</a>' in page
    for s in made["rumors"]:
        assert f'<a href="{reverse("monitor:response", args=[s.pk])}">{s.title}</a>' in page
    assert "خبر آرام" not in page and "شایعهٔ پاسخ‌داده" not in page
    # How long each rumor has waited since it was flagged (Django's timesince: a no-break space).
    assert "۵\xa0ساعت در انتظار پاسخ" in page and "۶\xa0ساعت در انتظار پاسخ" in page
    assert "۳ بار فعال شد" in page
    assert f'href="{reverse("monitor:brief", args=["2026-02-28"])}"' in page


@time_machine.travel(NOW, tick=False)
def test_the_morning_takes_the_same_number_of_queries_for_one_or_many(manager: User) -> None:
    _morning_of(1)
    client = verified_client(manager)
    client.get(reverse("core:staff-home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:staff-home"))
    _morning_of(4)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("core:staff-home")).content.decode()

    assert _count(page, "stories") == "۱۰"
    assert len(many.captured_queries) == len(few.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_other_roles_keep_their_page(hq_analyst: User) -> None:
    _morning_of(1)

    page = verified_client(hq_analyst).get(reverse("core:staff-home")).content.decode()

    assert 'data-testid="morning"' not in page
    # The story is named only where the analyst's "my work" lists its alert to acknowledge.
    assert page.count("خبر تازه") == page.count("تأیید دریافت هشدار: خبر تازه") > 0
