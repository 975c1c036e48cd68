"""The key-message figures are cached per data version (a digest of the messages and of the
coverage the monitor gives): a second read measures nothing, and a changed post or message shows
up at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import caches

from tabyin.core.models import User
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Post
from tabyin.monitor.pipeline.types import RawPost
from tabyin.reception.messages import selectors, services
from tabyin.reception.messages.models import KeyMessage
from tests.reception.test_messages_views import RIGHT, T0, _world

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the key messages measured (not read from the cache)."""
    caches["default"].clear()
    calls: list[int] = []
    real = selectors._measure

    def counting(message: KeyMessage, *args: object) -> selectors.MessageReport:
        calls.append(message.pk)
        return real(message, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "_measure", counting)
    yield calls
    caches["default"].clear()


def _figures(user: User, announcement_pk: int) -> tuple[int, int, int, int, int, int]:
    announcement = selectors.announcements_for(user=user).get(pk=announcement_pk)
    (m,) = selectors.report(user=user, announcement=announcement).messages
    return (m.coverage, m.carried, m.faithful, m.distorted, m.reach, m.distorted_reach)


def test_a_second_read_is_served_from_the_cache(hq_analyst: User, measured: list[int]) -> None:
    announcement = _world(hq_analyst)
    assert _figures(hq_analyst, announcement.pk) == (4, 3, 1, 2, 6700, 5700)
    assert _figures(hq_analyst, announcement.pk) == (4, 3, 1, 2, 6700, 5700)
    assert len(measured) == 1


def test_a_new_post_a_recounted_post_and_an_edited_message_show_up(
    hq_analyst: User, tehran_officer: User, measured: list[int]
) -> None:
    announcement = _world(hq_analyst)
    assert _figures(hq_analyst, announcement.pk) == (4, 3, 1, 2, 6700, 5700)
    # A provincial officer's coverage is another version (their province's sources only).
    assert _figures(tehran_officer, announcement.pk) == (1, 1, 1, 0, 1000, 0)
    assert len(measured) == 2
    # A new post carrying the message faithfully.
    services_ingest.ingest([RawPost("telegram:third", "1", RIGHT, T0 + timedelta(days=3), views=50)])
    assert _figures(hq_analyst, announcement.pk) == (5, 4, 2, 2, 6750, 5700)
    # The monitor re-reads a post's views.
    Post.objects.filter(source__handle="third").update(views=450)
    assert _figures(hq_analyst, announcement.pk) == (5, 4, 2, 2, 7150, 5700)
    # An editor changes the message's figure: the posts with 30 % are now faithful, those with 20 %
    # distorted.
    message = KeyMessage.objects.get(announcement=announcement)
    services.message_update(
        actor=hq_analyst, message=message, text=message.text.replace("۲۰ درصدی", "۳۰ درصدی"), facts=""
    )
    assert _figures(hq_analyst, announcement.pk) == (5, 4, 2, 2, 7150, 1450)
    assert len(measured) == 5
    assert _figures(hq_analyst, announcement.pk) == (5, 4, 2, 2, 7150, 1450)
    assert len(measured) == 5
