"""Pull-through and fidelity of another app's key messages (a campaign's), offered through core's
registry (``registry.add_key_message_figures``): measured where an announcement here, published in
the asked window, carries the same sentence, with the same coverage and judge as its own report
(national: the asking page is a national one). A sentence no announcement carries is not measured."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from tabyin.core.registry import KeyMessageFigures, KeyMessageRef
from tabyin.core.scoping import Scope
from tabyin.reception.messages.fidelity import content_words
from tabyin.reception.messages.models import KeyMessage
from tabyin.reception.messages.selectors import ORGANIZATION, _day, _measure, coverage_of


def key_message_figures(refs: list[KeyMessageRef], start: datetime, end: datetime) -> list[KeyMessageFigures]:
    keys = {ref.text.strip(): ref.key for ref in refs}
    found: list[KeyMessageFigures] = []
    matches = (
        KeyMessage.objects.filter(
            text__in=list(keys), announcement__published_at__gte=start, announcement__published_at__lt=end
        )
        .select_related("announcement")
        .prefetch_related("answers")
        .order_by("announcement__published_at", "pk")
    )
    measured: set[str] = set()
    for message in matches:
        key = keys[message.text.strip()]
        if key in measured:  # the first announcement that carried it
            continue
        measured.add(key)
        announcement = message.announcement
        posts = coverage_of(announcement, Scope(national=True))
        first = _day(announcement.published_at)
        days = [first + timedelta(days=i) for i in range(announcement.window_days)]
        everywhere = ORGANIZATION | frozenset().union(*(content_words(t) for t in announcement.term_list()))
        report = _measure(message, posts, days, everywhere)
        url = reverse("reception:staff-message", args=[announcement.pk])
        found.append(KeyMessageFigures(key, report.coverage, report.carried, report.distorted, url))
    return found
