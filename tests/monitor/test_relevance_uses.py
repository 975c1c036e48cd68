"""Off-topic stories stay out of alerts, the daily brief and the senior manager's morning.

A negative gold-price story that matched only the Tehran (province) query is not about the
organization: it fires no "negative mention" alert, no reach alert, and is in neither the brief
nor the morning panel. A negative story naming «تأمین اجتماعی» (and Tehran) is, in all three.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tabyin.core.enums import Role
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.briefs.selectors import brief_content, local_day
from tabyin.monitor.briefs.selectors_morning import morning
from tabyin.monitor.enums import AlertKind, QueryKind, Sentiment
from tabyin.monitor.models import Alert, Match, Post, RelevanceSetting, Story, WatchQuery
from tests import factories
from tests.monitor.test_alerts_helpers import rule, source, story

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=TEHRAN)
H = timedelta(hours=1)
GOLD = "قیمت طلا و سکه امروز در بازار تهران سقوط کرد و خریداران زیان دیدند"
ORG = "صف طولانی و بی‌نظمی در شعبه تأمین اجتماعی تهران؛ بیمه‌شدگان معترض‌اند"


@pytest.fixture
def world(org: None) -> dict[str, Story]:
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    org_q = WatchQuery.objects.create(
        name="تأمین اجتماعی", kind=QueryKind.ORGANIZATION, expression='"تامین اجتماعی"'
    )
    tehran_q = WatchQuery.objects.create(
        name="تهران", kind=QueryKind.PROVINCE, expression="تهران", province=tehran
    )
    made = {}
    for name, text, queries in (("gold", GOLD, (tehran_q,)), ("org", ORG, (org_q, tehran_q))):
        found = story(text, at=NOW - 3 * H, sentiment=Sentiment.NEGATIVE)
        for n in range(4):
            at = NOW - 3 * H + n * 10 * timedelta(minutes=1)
            p = Post.objects.create(
                source=source(f"{name}{n}"),
                post_id=f"{name}{n}",
                text=text,
                published_at=at,
                first_seen_at=at,
                story=found,
                sentiment=Sentiment.NEGATIVE,
            )
            for q in queries:
                Match.objects.create(post=p, query=q, published_at=at)
        Story.objects.filter(pk=found.pk).update(matches_watch=True, channel_count=4)
        made[name] = found
    rule(AlertKind.NEGATIVE_STORY, name="منفی تهران", query=tehran_q)
    rule(AlertKind.REACH, name="چهار کانال", threshold=4)
    return made


def test_only_the_story_about_the_organization_alerts(world: dict[str, Story]) -> None:
    services_alerts.alerts_evaluate(story_ids=[s.pk for s in world.values()], now=NOW)

    alerts = list(Alert.objects.values_list("story_id", "count"))
    # One alert for the organization's story, tripped by both rules; none for the gold price.
    assert alerts == [(world["org"].pk, 2)]


def test_a_lower_threshold_is_applied_at_the_next_evaluation(world: dict[str, Story]) -> None:
    # Weights and the threshold stay tunable: relevance is read from the matches at evaluation,
    # so an administrator who weights the Tehran query 1 and sets the threshold to 1 gets the gold
    # story alerting at once, without re-ingesting.
    WatchQuery.objects.filter(name="تهران").update(weight=1)
    RelevanceSetting.objects.create(threshold=1)

    services_alerts.alerts_evaluate(story_ids=[s.pk for s in world.values()], now=NOW)

    assert Alert.objects.filter(story=world["gold"]).count() == 1


def test_the_brief_names_only_the_story_about_the_organization(world: dict[str, Story]) -> None:
    content = brief_content(day=local_day(NOW), now=NOW)

    assert [line.id for line in content.top_stories] == [world["org"].pk]
    assert (content.mentions, content.new_stories, content.new_negative_stories) == (4, 1, 1)
    assert [(p.name_fa, p.mentions) for p in content.provinces] == [("تهران", 4)]


def test_the_morning_shows_only_the_story_about_the_organization(world: dict[str, Story]) -> None:
    manager: User = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)

    found = morning(user=manager, now=NOW)

    assert found is not None
    assert (found.stories.total, [r.id for r in found.stories.rows]) == (1, [world["org"].pk])
