"""`tabyin demo` for key messages: a past statement measured over the monitor's sample week. The
sample rumor («… پرداخت نمی‌شود») reverses its first key message: one distortion cluster; the
ordinary coverage carries the other two faithfully; the sample poll and a meeting question linked."""

from __future__ import annotations

import pytest

from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.reception.messages import demo, selectors
from tabyin.reception.messages.models import Announcement

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]


def test_demo_announcement() -> None:
    steps = {step.app: step for step in registry.demo}
    for app in ("core", "portal", "monitor", "reception.polls", "reception.meetings"):
        steps[app].load()
    assert demo.load() == "key messages: 1 sample announcement with 3 key messages"
    assert demo.load() == "key messages: sample announcement already loaded"
    announcement = Announcement.objects.get()
    manager = User.objects.get(username="hq.manager")
    report = selectors.report(user=manager, announcement=announcement)
    assert report.posts == 94
    figures = [(m.carried, m.faithful, m.partial, m.distorted) for m in report.messages]
    # The rumor's 38 posts reverse the first message; the answer's 16 copies carry it without the
    # day (partial); the ordinary coverage carries the second and third as they were said.
    assert figures == [(54, 0, 16, 38), (10, 10, 0, 0), (9, 9, 0, 0)]
    (cluster,) = [row.cluster for row in report.messages[0].clusters]
    assert (cluster.signature, cluster.posts, cluster.wordings) == ("negation|می\u200cشود|added", 38, 2)
    assert [m.clusters for m in report.messages[1:]] == [[], []]
    assert report.poll is not None
    assert [q.text for q in report.questions] == [demo.QUESTION]
    # The monitor's sample tipster asked about the rumor; the answer was published.
    assert [(t.state, bool(t.answer_url)) for t in report.tips] == [("answered", True)]
