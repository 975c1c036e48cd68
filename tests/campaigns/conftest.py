from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tabyin.campaigns.enums import Segment
from tabyin.campaigns.outbox.channels.sinks import BotSink
from tabyin.campaigns.plan import services as plan
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.enums import Role
from tabyin.core.models import User
from tests import factories


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


@pytest.fixture
def campaign(hq_analyst: User) -> Campaign:
    return plan.campaign_create(
        actor=hq_analyst,
        title="بیمهٔ اختیاری",
        aim="ثبت‌نام بیشتر",
        segments=[Segment.STUDENTS, Segment.HOUSEWIVES],
        starts_on=date(2026, 3, 21),
        ends_on=date(2026, 9, 22),
        outcome_name="ثبت‌نام تازه",
        treated={factories.unit("ir-23"): date(2026, 3, 21)},
        held_out=[factories.unit("ir-10")],
        key_messages=["بیمهٔ اختیاری برای دانشجویان هم هست."],
    )


@pytest.fixture
def sink(settings: Any) -> Iterator[BotSink]:
    """Every messenger channel configured and pointed at one local server."""
    with BotSink() as server:
        for name in ("TELEGRAM", "BALE", "EITAA"):
            setattr(settings, f"TABYIN_CAMPAIGNS_{name}_API_BASE", server.url)
            setattr(settings, f"TABYIN_CAMPAIGNS_{name}_TOKEN", f"tok-{name.lower()}")
            setattr(settings, f"TABYIN_CAMPAIGNS_{name}_CHAT", f"@tamin_{name.lower()}")
        settings.TABYIN_SITE_URL = "https://tamin.example"
        yield server
