"""`tabyin demo` for polls: a sample poll on the transparency site's pension page (found through
the registry), sample answers from seven provinces over seven days, the same on every load, and a
second load changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.reception.polls import demo, selectors
from tabyin.reception.polls.enums import PollState
from tabyin.reception.polls.models import Answer, Poll, Response
from tests.reception.polls_helpers import page_text

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(600)]


def test_demo_poll() -> None:
    steps = {step.app: step for step in registry.demo}
    for app in ("core", "portal"):
        steps[app].load()
    summary = demo.load()
    poll = Poll.objects.get()
    count = Response.objects.count()
    assert count == 209  # fixed by the seed, whatever the day
    assert (
        summary == f"polls: 1 sample poll on /indicators/pensions-paid/, {count} sample answers over 7 days"
    )
    assert (poll.is_sample, poll.state, poll.target_path) == (
        True,
        PollState.OPEN,
        "/indicators/pensions-paid/",
    )
    # The page it is attached to exists.
    assert Client().get(poll.target_path).status_code == 200
    assert Response.objects.values("province").distinct().count() == 8  # seven provinces and "not given"
    assert Response.objects.values("day").distinct().count() == 7
    assert Answer.objects.filter(question__order=3).count() == 76
    results = selectors.poll_results(user=User.objects.get(username="hq.analyst"), poll=poll, no_province="-")
    assert results.responses == count
    assert demo.load() == "polls: sample poll already loaded"
    assert Response.objects.count() == count
    page = page_text(Client().get(reverse("reception:poll", args=[poll.pk])))
    assert "دادهٔ نمونه: این نظرسنجی و پاسخ‌هایش برای نمایش ساخته شده‌اند." in page


def test_demo_clarity_answers_reach_the_polls_page() -> None:
    """The transparency site's sample "was this clear?" answers (portal's demo step) come to the
    polls page through the registry: four pages, counts fixed by the seed, scoped by province."""
    steps = {step.app: step for step in registry.demo}
    for app in ("core", "portal"):
        steps[app].load()
    summary = steps["portal.feedback"].load()
    assert summary == "'was this clear?' answers: 274 sample answers on 4 pages over 14 days"
    assert steps["portal.feedback"].load() == "'was this clear?' answers: already there"
    today = timezone.localdate()
    analyst = User.objects.get(username="hq.analyst")
    pages = selectors.site_clarity(user=analyst, today=today)
    assert [(p.province, p.overall.n, p.overall.hits) for p in pages] == [
        ("", 115, 82),  # the pension indicator
        ("", 68, 59),  # the explanation of the Farvardin jump
        ("", 52, 34),  # the coverage indicator
        ("سیستان و بلوچستان", 39, 21),  # the explanation about Sistan and Baluchestan
    ]
    assert all(len(p.by_day) >= 12 for p in pages)
    officer = User.objects.get(username="tehran.officer")
    assert selectors.site_clarity(user=officer, today=today) == []
