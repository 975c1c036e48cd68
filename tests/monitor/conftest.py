"""Fixtures of the monitor tests: the rumor-answering world (helpers in answering.py). Modules that
use it take ``answering`` (a fresh near-duplicate index, English messages) with
``pytestmark = pytest.mark.usefixtures("answering")``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation
from pytest_httpserver import HTTPServer

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Source, Story
from tests import factories
from tests.monitor.answering import T0, TOKEN, BotApi, ingest_rumor


@pytest.fixture
def answering() -> Iterator[None]:
    # The near-duplicate index lives in the process; each test's database is rolled back.
    services_ingest.reset_index()
    with translation.override("en"):
        yield
    services_ingest.reset_index()


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


@pytest.fixture
def rumor(db: Any) -> Story:
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        return ingest_rumor()


@pytest.fixture
def channels(db: Any) -> list[Source]:
    return [
        Source.objects.create(kind="telegram", handle="tamin_official", is_owned=True),
        Source.objects.create(kind="eitaa", handle="tamin_eitaa", is_owned=True),
        Source.objects.create(kind="telegram", handle="tamin_old", is_owned=True, is_active=False),
        Source.objects.create(kind="telegram", handle="someone_else"),
    ]


@pytest.fixture
def bot_api(httpserver: HTTPServer) -> Iterator[BotApi]:
    api = BotApi(httpserver)
    with override_settings(
        TABYIN_MONITOR_BOT_API_BASE=httpserver.url_for("/").rstrip("/"),
        TABYIN_MONITOR_BOT_TOKEN=TOKEN,
        TABYIN_SITE_URL="https://tamin.example",
    ):
        yield api


@pytest.fixture
def monitor_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The monitor installed without a campaigns app: it sends its answers to its own channels."""
    from tabyin.core.registry import registry

    monkeypatch.setattr(registry, "approved_publisher", None)
    monkeypatch.setattr(registry, "outbox_reader", None)
