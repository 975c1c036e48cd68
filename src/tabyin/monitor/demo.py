"""`tabyin demo` for media monitoring: a living week that ends now (see ``demo_scenario``).

Everything goes through the real services, in time order, under ``_clock`` (``timezone.now``
patched, as in the reports and scorecard demos) so that first-seen times, alerts, the response
workflow and the briefs carry the scenario's times, not the moment the demo ran:

1. the default watch queries, the fictional sources (not polled: they do not exist) and three
   alert rules (a new negative story about the organization, a story reaching 10 channels, spread
   three times faster than its baseline), delivered in the app and by e-mail (files in DATA_DIR/mail);
2. the posts, ingested hour by hour; background jobs run in line while the demo loads, so each
   alert fires at the scenario hour that trips it;
3. a member of the public asks the tipline "is this true?" two hours into the rumor;
4. the analyst flags the rumor and drafts the answer, the senior manager approves and publishes it
   six hours after the rumor started; the tipster is told; the answer's reposts follow;
5. yesterday's brief, e-mailed to the senior manager (hq.manager), and today's so far.

Idempotent: when any story exists, nothing is added.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any
from unittest import mock

from django.conf import settings
from django.utils import timezone, translation

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tabyin.monitor import demo_scenario
from tabyin.monitor.alerts import services as services_alerts
from tabyin.monitor.briefs import services as services_brief
from tabyin.monitor.enums import AlertKind, Channel, QueryKind, SourceKind
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Alert, Post, Source, Story, WatchQuery
from tabyin.monitor.queries import services as services_queries
from tabyin.monitor.responses import services as services_responses
from tabyin.monitor.responses import services_tips
from tabyin.monitor.sources import services as services_sources


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Run the services as if it were ``moment``, with background jobs in line (see the docstring)."""
    eager = settings.TABYIN_TASKS_EAGER
    settings.TABYIN_TASKS_EAGER = True
    try:
        with mock.patch.object(timezone, "now", lambda: moment):
            yield
    finally:
        settings.TABYIN_TASKS_EAGER = eager


def _sources(admin: User) -> None:
    provinces = {u.iso_code: u for u in OrgUnit.objects.exclude(iso_code="")}
    for handle, name, kind, province, _hostile in demo_scenario.CHANNELS:
        services_sources.source_create(
            actor=admin,
            kind=kind,
            handle=handle,
            name=name,
            province=provinces.get(province),
            is_active=False,
        )
    for handle, name in demo_scenario.SITES:
        services_sources.source_create(
            actor=admin,
            kind=SourceKind.RSS,
            handle=handle,
            name=name,
            url=f"https://{handle}.example/rss",
            is_active=False,
        )
    handle, name, kind = demo_scenario.OWNED_CHANNEL
    services_sources.source_create(
        actor=admin, kind=kind, handle=handle, name=name, is_owned=True, is_active=False
    )


def _rules(admin: User, manager_email: str) -> None:
    organization = WatchQuery.objects.filter(kind=QueryKind.ORGANIZATION).first()
    common: dict[str, Any] = {
        "channels": [Channel.IN_APP, Channel.EMAIL],
        "emails": manager_email,
        "escalate_emails": manager_email,
        "escalate_after_minutes": 60,
    }
    services_alerts.alert_rule_save(
        actor=admin,
        name="خبر منفی تازه دربارهٔ سازمان",
        kind=AlertKind.NEGATIVE_STORY,
        query=organization,
        threshold=1,
        **common,
    )
    services_alerts.alert_rule_save(
        actor=admin, name="رسیدن یک خبر به ۱۰ کانال", kind=AlertKind.REACH, threshold=10, **common
    )
    services_alerts.alert_rule_save(
        actor=admin,
        name="سرعت انتشار سه برابر عادی",
        kind=AlertKind.VELOCITY,
        threshold=3,
        min_channels=5,
        **common,
    )


def _respond(scenario: demo_scenario.Scenario, analyst: User, manager: User) -> None:
    source, post_id = scenario.rumor_origin
    kind, _, handle = source.partition(":")
    story = (
        Post.objects.select_related("story")
        .get(source__kind=kind, source__handle=handle, post_id=post_id)
        .story
    )
    assert scenario.rumor_started and scenario.answer_at
    started = scenario.rumor_started
    with _clock(started + timedelta(hours=1, minutes=20)):
        services_responses.story_flag_rumor(actor=analyst, story=story)
        services_responses.story_assign(actor=analyst, story=story, assignee=analyst)
    with _clock(started + timedelta(hours=3)):
        response = services_responses.response_save_draft(
            actor=analyst, story=story, title=demo_scenario.ANSWER_TITLE, body=demo_scenario.ANSWER_BODY
        )
        services_responses.response_submit(actor=analyst, response=response)
    with _clock(scenario.answer_at - timedelta(minutes=10)):
        services_responses.response_approve(actor=manager, response=response)
    with _clock(scenario.answer_at):
        services_responses.response_publish(actor=manager, response=response)


def load() -> str:
    if Story.objects.exists():
        return "media monitoring: kept the existing stories"
    admin = User.objects.get(username="admin")
    analyst = User.objects.get(username="hq.analyst")
    manager = User.objects.get(username="hq.manager")
    if not manager.email:
        manager.email = "hq.manager@example.org"
        manager.save(update_fields=["email"])
    with translation.override(settings.LANGUAGE_CODE):
        return _load(admin, analyst, manager)


def _load(admin: User, analyst: User, manager: User) -> str:
    now = timezone.now().replace(second=0, microsecond=0)
    scenario = demo_scenario.build(now)
    services_queries.queries_seed_defaults()
    _sources(admin)
    _rules(admin, manager.email)

    assert scenario.tip_at and scenario.answer_at
    pending = [(scenario.tip_at, "tip"), (scenario.answer_at, "respond")]
    for _hour, group in groupby(scenario.posts, key=lambda p: p.published_at.replace(minute=0)):
        batch = list(group)
        while pending and pending[0][0] <= batch[0].published_at:
            moment, step = pending.pop(0)
            with _clock(moment):
                if step == "tip":
                    services_tips.tip_submit(
                        text=f"آیا این درست است؟\n{demo_scenario.RUMOR}",
                        link="",
                        contact="citizen@example.org",
                        session_key="demo-tipline",
                    )
                else:
                    _respond(scenario, analyst, manager)
        with _clock(batch[-1].published_at + timedelta(minutes=2)):
            services_ingest.ingest(batch)
    today = now.astimezone(TEHRAN).date()
    with _clock(now):
        yesterday = services_brief.brief_build(day=today - timedelta(days=1), now=now)
        # As the morning job would: yesterday's brief goes to the senior manager's mailbox (the
        # demo's mail goes to files in DATA_DIR/mail).
        sent = services_brief.brief_send(brief=yesterday, now=now)
        services_brief.brief_build(day=today, now=now)
    return (
        f"media monitoring: {Post.objects.count()} sample posts from {Source.objects.count()} sources "
        f"in {Story.objects.count()} stories, one rumor answered, {Alert.objects.count()} alerts, "
        f"2 daily briefs (yesterday's sent to {sent} recipient{'' if sent == 1 else 's'})"
    )
