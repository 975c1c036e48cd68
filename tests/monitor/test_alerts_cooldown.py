"""One alert per story within the cool-down: later trips update it (count, latest figures), the
deliveries are not repeated, and after a quiet cool-down only new growth opens a new alert."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.alerts import services_delivery
from tabyin.monitor.briefs import selectors as selectors_briefs
from tabyin.monitor.models import Alert, Delivery, Story, WatchQuery
from tests.conftest import verified_client
from tests.monitor.test_alerts_helpers import post, rule, story, watch

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)
pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _demo_rules(query: WatchQuery) -> None:
    """The demo's three rules, all e-mailing the same manager."""
    common: dict[str, Any] = {"channels": ["in_app", "email"], "emails": "manager@example.org"}
    rule("negative_story", query=query, threshold=1, name="خبر منفی تازه", **common)
    rule("reach", threshold=10, name="رسیدن به ۱۰ کانال", **common)
    rule("velocity", threshold=3, min_channels=5, name="سرعت سه برابر", **common)


def _channels(item: Story, first: int, times: list[datetime], query: WatchQuery) -> None:
    for n, at in enumerate(times, start=first):
        post(item, f"ch{n}", at, query=query if n == 0 else None)


def test_the_demo_rumor_is_one_alert_tripped_three_times(
    org: None, django_capture_on_commit_callbacks: Capture
) -> None:
    """Today's demo: the rumor fired three alerts (negative story, velocity, reach). Now one."""
    query = watch()
    _demo_rules(query)
    rumor = story(at=NOW)
    # Hour one: six channels (a new negative story, and six new channels from nothing: velocity).
    _channels(rumor, 0, [NOW + k * 8 * M for k in range(6)], query)
    with django_capture_on_commit_callbacks(execute=True):
        [first] = services_alerts.alerts_evaluate(story_ids=[rumor.pk], now=NOW + 50 * M)
    # An hour later it has reached sixteen channels: the reach rule trips on the same story.
    _channels(rumor, 6, [NOW + H + k * 5 * M for k in range(10)], query)
    with django_capture_on_commit_callbacks(execute=True):
        [again] = services_alerts.alerts_evaluate(story_ids=[rumor.pk], now=NOW + 2 * H)

    assert first == again
    [alert] = Alert.objects.all()
    assert (alert.count, alert.created_at, alert.updated_at) == (3, NOW + 50 * M, NOW + 2 * H)
    assert [t["kind"] for t in alert.trips] == ["negative_story", "velocity", "reach"]
    # Each rule's latest figures: the negative story and velocity grew too (re-firings that update,
    # not new trips); the alert's own figures are the last one evaluated.
    assert alert.figures["channels"] == 16
    assert alert.descriptions == [
        (
            "New negative story about a watched subject: 16 channels in 2 hours; "
            "threshold: negative and under 24 hours old"
        ),
        (
            "9 new channels in the last hour, 15.4 times the hourly mean of the 12 hours before (0.58); "
            "threshold 3 times and 5 new channels"
        ),
        "16 channels in 2 hours; threshold 10 channels",
    ]
    # The manager got one e-mail, not three: the same address is not written to again.
    assert sorted(Delivery.objects.values_list("channel", "target")) == [
        ("email", "manager@example.org"),
        ("in_app", ""),
    ]
    assert len(mail.outbox) == 1
    message = services_delivery.alert_message(alert)
    assert "چرا: ۱۶ کانال در ۲ ساعت؛ آستانه ۱۰ کانال" in message.text
    assert "دفعات فعال‌شدن هشدار برای این خبر: ۳" in message.text
    assert message.payload["count"] == 3
    assert message.payload["reasons"][2] == "16 کانال در 2 ساعت؛ آستانه 10 کانال"
    # The day's brief lists it once, with its count.
    content = selectors_briefs.brief_content(day=selectors_briefs.local_day(NOW), now=NOW + 3 * H)
    assert [(line.story_id, line.count) for line in content.alerts] == [(rumor.pk, 3)]


def test_a_second_rule_with_other_people_reaches_them_once(
    org: None, django_capture_on_commit_callbacks: Capture
) -> None:
    query = watch()
    rule("negative_story", query=query, channels=["email"], emails="duty@example.org")
    rule("reach", threshold=3, channels=["email"], emails="director@example.org")
    item = story(at=NOW)
    _channels(item, 0, [NOW], query)
    with django_capture_on_commit_callbacks(execute=True):
        services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + M)
    _channels(item, 1, [NOW + 2 * M, NOW + 3 * M], query)
    with django_capture_on_commit_callbacks(execute=True):
        services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 4 * M)

    assert Alert.objects.get().count == 2
    assert [m.to for m in mail.outbox] == [["duty@example.org"], ["director@example.org"]]


def test_the_same_rule_updates_its_figures_only_when_they_grew(org: None) -> None:
    query = watch()
    rule("reach", threshold=2)
    item = story(at=NOW)
    _channels(item, 0, [NOW, NOW + M], query)
    [alert_id] = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 2 * M)
    assert services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 3 * M) == []
    _channels(item, 2, [NOW + 4 * M], query)
    assert services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 5 * M) == [alert_id]

    alert = Alert.objects.get()
    assert (alert.count, alert.figures["channels"], alert.updated_at) == (1, 3, NOW + 5 * M)


def test_after_a_quiet_cool_down_only_new_growth_opens_a_new_alert(org: None, settings: Any) -> None:
    settings.TABYIN_MONITOR_ALERT_COOLDOWN_HOURS = 6
    query = watch()
    rule("reach", threshold=2)
    item = story(at=NOW)
    _channels(item, 0, [NOW, NOW + M], query)
    [first] = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 2 * M)

    # Seven quiet hours later the story is evaluated again with nothing new: no alert.
    assert services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 7 * H) == []
    # It spreads again: a new alert (round 1), the old one kept as it was.
    _channels(item, 2, [NOW + 7 * H], query)
    [second] = services_alerts.alerts_evaluate(story_ids=[item.pk], now=NOW + 7 * H + M)

    assert second != first
    assert list(Alert.objects.order_by("round").values_list("round", "count")) == [(0, 1), (1, 1)]


def test_the_alerts_page_links_each_alert_to_its_story_and_shows_the_count(
    org: None, hq_analyst: User
) -> None:
    query = watch()
    _demo_rules(query)
    rumor = story(at=NOW)
    _channels(rumor, 0, [NOW + k * 8 * M for k in range(6)], query)
    services_alerts.alerts_evaluate(story_ids=[rumor.pk], now=NOW + 50 * M)
    _channels(rumor, 6, [NOW + H + k * 5 * M for k in range(10)], query)
    services_alerts.alerts_evaluate(story_ids=[rumor.pk], now=NOW + 2 * H)

    with translation.override("fa"):
        page = verified_client(hq_analyst).get(reverse("monitor:alerts")).content.decode()
        story_url = reverse("monitor:story", args=[rumor.pk])

    assert page.count('data-testid="alert"') == 1
    assert f'<a href="{story_url}" data-testid="alert-story">' in page
    assert 'data-testid="alert-count">۳ بار فعال شد، آخرین بار' in page
    assert "۱۶ کانال در ۲ ساعت؛ آستانه ۱۰ کانال" in page
    assert "خبر منفی تازه دربارهٔ موضوعی زیر پایش: ۱۶ کانال در ۲ ساعت؛" in page
