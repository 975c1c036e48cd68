"""The transparency site's home links straight to the public trackers of implemented ideas,
through the shell's public menu (core's registry): the portal imports nothing from ideas."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.results import services
from tests import factories
from tests.ideas.helpers import make_challenge
from tests.ideas.test_results_demo import _entry

pytestmark = pytest.mark.django_db


def test_the_portal_home_links_to_the_trackers(org: None, hq_analyst: User) -> None:
    challenge = make_challenge(phase="implementation")
    entry = _entry(challenge, 1, "IR-23", EntryStatus.WINNER)
    start = date(2026, 9, 1)
    services.implementation_start(
        actor=hq_analyst,
        entry=entry,
        owner_unit=factories.unit("hq"),
        summary="اجرا در شعبه‌ها",
        started=start,
        milestones=[("آزمایش", start + timedelta(days=30))],
    )
    assert registry.home_view is not None  # the portal's home, not core's fallback
    home = Client().get("/")
    assert home.status_code == 200
    assert "portal/home.html" in [t.name for t in home.templates]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', home.content.decode())
    assert ("/ideas/implemented/", "ایده‌های در حال اجرا") in links
    # Right after «جمعی‌نو» in the menu.
    labels = [label for _href, label in links]
    assert labels.index("ایده‌های در حال اجرا") == labels.index("جمعی‌نو") + 1
    trackers = Client().get("/ideas/implemented/").content.decode()
    assert f'href="/ideas/implemented/{entry.pk}/"' in trackers and "ایده 1" in trackers
