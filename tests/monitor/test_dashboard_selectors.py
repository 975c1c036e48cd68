"""The dashboard's figures, exact, for a national viewer and for the Tehran PR officer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor.dashboard import selectors as sd
from tabyin.monitor.enums import AlertKind
from tabyin.monitor.models import Alert, AlertRule
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = pytest.mark.django_db


def _dashboard(user: User, **filters: object) -> sd.Dashboard:
    return sd.dashboard(scope=scope_for(user), filters=sd.Filters(**filters), now=NOW, ours_label="ours")  # type: ignore[arg-type]


def test_last_24_hours_hourly_in_tehran_time(hq_analyst: User) -> None:
    builders.scenario()
    d = _dashboard(hq_analyst, period="24h")
    assert d.hourly is True
    assert len(d.series) == 25  # 15:00 yesterday to 15:00 today, Tehran time (now is 15:30)
    assert d.series[0].start == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)
    non_zero = [(b.start.astimezone(UTC).strftime("%d %H:%M"), b.count) for b in d.series if b.count]
    # 07:00 and 07:10 UTC are 10:30 and 10:40 in Tehran (the 10:00 bucket, 06:30 UTC).
    assert non_zero == [("26 06:30", 2), ("26 11:30", 2)]
    assert d.total == 4
    assert d.sentiment == {"negative": 1, "neutral": 3, "positive": 0}
    assert [(c.key, c.mentions, c.views) for c in d.channels] == [
        ("telegram:akhbar", 1, 1000),
        ("telegram:tehran_news", 1, 500),
        ("eitaa:isfahan_news", 1, 250),
        ("rss:irna", 1, 0),
    ]
    # Tehran: its own source's post and the national post matching the Tehran query.
    assert [(p.province.code, p.mentions) for p in d.provinces] == [("ir-23", 2), ("ir-10", 1)]
    # The peer was not mentioned in these 24 hours: no share against nobody (was "ours 100 %").
    assert d.voice == []
    assert d.peers == ["بیمه سلامت"]


def test_top_story_velocity_and_response_status(hq_analyst: User) -> None:
    world = builders.scenario()
    d = _dashboard(hq_analyst, period="24h")
    assert [(r.story.pk, r.channels, r.new_channels_last_hour) for r in d.stories] == [(world.rumor.pk, 4, 2)]
    row = d.stories[0]
    # Two channels in the last hour against two in the 12 hours before (2/12 an hour): × 12.
    assert row.velocity_ratio == pytest.approx(12.0)
    assert row.response_status == ""


def test_seven_days_daily_and_share_of_voice(hq_analyst: User) -> None:
    world = builders.scenario()
    d = _dashboard(hq_analyst, period="7d")
    assert d.hourly is False
    # The peer's story is not a mention of the organization (it was counted on day 5 before).
    assert [b.count for b in d.series] == [0, 0, 0, 0, 0, 0, 0, 4]
    assert d.series[-1].start == datetime(2026, 11, 25, 20, 30, tzinfo=UTC)  # 26 Nov 00:00 Tehran
    assert [(v.name, v.mentions, v.share) for v in d.voice] == [("ours", 4, 0.8), ("بیمه سلامت", 1, 0.2)]
    assert [r.story.pk for r in d.stories] == [world.rumor.pk]


def test_filters_narrow_every_figure(hq_analyst: User) -> None:
    world = builders.scenario()
    assert _dashboard(hq_analyst, period="30d", source_kind="rss").total == 1
    assert _dashboard(hq_analyst, period="30d", query_id=world.org.pk).total == 4
    # A peer's matches are not mentions of the organization.
    assert _dashboard(hq_analyst, period="30d", query_id=world.peer.pk).total == 0
    tehran = builders.province("ir-23").pk
    d = _dashboard(hq_analyst, period="30d", province_id=tehran)
    assert d.total == 2
    assert [p.province.code for p in d.provinces] == ["ir-23"]


def test_tehran_officer_sees_only_tehran_mentions(tehran_officer: User) -> None:
    world = builders.scenario()
    d = _dashboard(tehran_officer, period="30d")
    assert d.total == 2
    assert sorted(c.key for c in d.channels) == ["telegram:akhbar", "telegram:tehran_news"]
    assert [(p.province.code, p.mentions) for p in d.provinces] == [("ir-23", 2)]
    assert [r.story.pk for r in d.stories] == [world.rumor.pk]
    assert list(sd.visible_stories(scope_for(tehran_officer))) == [world.rumor]


def test_unacknowledged_alerts_are_counted_within_scope(hq_analyst: User, tehran_officer: User) -> None:
    world = builders.scenario()
    rule = AlertRule.objects.create(name="reach", kind=AlertKind.REACH)
    Alert.objects.create(rule=rule, story=world.rumor, created_at=NOW, reason="4 channels")
    Alert.objects.create(rule=rule, story=world.peer_story, created_at=NOW - timedelta(hours=1), reason="x")
    Alert.objects.create(rule=rule, story=world.old, created_at=NOW, reason="y", acknowledged_at=NOW)
    alerts = _dashboard(hq_analyst).alerts
    assert (alerts.unacknowledged, [a.story_id for a in alerts.latest]) == (
        2,
        [world.rumor.pk, world.peer_story.pk],
    )
    assert _dashboard(tehran_officer).alerts.unacknowledged == 1


def test_users_without_monitoring_rights_are_refused(tehran_admin: User, security_handler: User) -> None:
    for user in (tehran_admin, security_handler):
        with pytest.raises(PermissionDenied):
            _dashboard(user)
