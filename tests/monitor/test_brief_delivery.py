"""The brief reaches the senior manager's mailbox through a real SMTP server, and links to its
stories (in the e-mail with the site's address, on the site relative to it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.briefs.services import brief_build, brief_send
from tabyin.monitor.models import Brief
from tests import factories
from tests.conftest import verified_client
from tests.monitor.smtp_server import SMTPServer
from tests.monitor.test_brief_content import DAY, Day, at, brief_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(org: None) -> Day:
    return brief_day()


@pytest.fixture
def manager(org: None) -> User:
    """The demo's senior manager, with the address the demo gives them."""
    user = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    User.objects.filter(pk=user.pk).update(email="hq.manager@example.org")
    return user


def test_the_brief_arrives_in_the_senior_managers_mailbox_over_smtp(
    day: Day, manager: User, settings: Any
) -> None:
    brief = brief_build(day=DAY, now=at(1, "07:00"))
    with SMTPServer() as smtp:
        settings.MAILERS = smtp.mailers()
        sent = brief_send(brief=brief, now=at(1, "07:00"))

    assert sent == 1
    assert Brief.objects.get(day=DAY).recipients == 1
    [received] = smtp.mailbox.messages
    assert received.recipients == ["hq.manager@example.org"]
    message = received.message
    # (Encoded words split at a space lose it when decoded, as RFC 2047 says: compare without.)
    assert message["Subject"].replace(" ", "") == "گزارشروزانهٔرسانه:۱۴آذر۱۴۰۴"
    html = message.get_body(("html",))
    assert html is not None
    content = html.get_content()
    rumor = day.stories["s1"]
    assert f'<a href="http://127.0.0.1:8000/staff/monitor/stories/{rumor.pk}/">{rumor.title}</a>' in content
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert attachments == ["tabyin-brief-2025-12-05.pdf"]


def test_the_brief_keeps_the_stories_it_names(day: Day) -> None:
    brief = brief_build(day=DAY, now=at(1, "07:00"))

    s = day.stories
    assert brief.stories == [
        {"id": s["s1"].pk, "title": s["s1"].title},
        {"id": s["s2"].pk, "title": s["s2"].title},
        {"id": s["s3"].pk, "title": s["s3"].title},
        {"id": s["s7"].pk, "title": s["s7"].title},
    ]


def test_the_web_brief_links_to_its_stories_on_this_site(day: Day, manager: User) -> None:
    brief_build(day=DAY, now=at(1, "07:00"))

    page = verified_client(manager).get(reverse("monitor:brief", args=[DAY.isoformat()])).content.decode()

    for key in ("s1", "s2", "s3"):
        assert f'<a href="/staff/monitor/stories/{day.stories[key].pk}/">' in page
    assert 'href="http://127.0.0.1:8000/staff/' not in page
