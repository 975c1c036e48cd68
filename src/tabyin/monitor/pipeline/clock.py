"""One clock for "how long did the answer take": the brief, the story page and the response pages
all call :func:`response_time` and print with :func:`duration_text`, so they cannot disagree.

Two figures, both always labelled on screen:

* **from detection** — from the first time Tabyin saw the story (``Story.first_seen_at``) to the
  answer's publication: what the organization's own speed is judged on;
* **from first post** — from the earliest known publication of the story (``first_published_at``)
  to the answer's publication: how long the public had the item without an answer.

They differ when the story was published before Tabyin read it (a slow feed, a backfill).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import translation
from django.utils.translation import ngettext

from tabyin.core.persian_text import digits_to_persian

__all__ = ["ResponseTime", "duration_text", "response_time"]


@dataclass(frozen=True)
class ResponseTime:
    detected_at: datetime
    first_post_at: datetime
    answered_at: datetime

    @property
    def from_detection(self) -> timedelta:
        return max(timedelta(0), self.answered_at - self.detected_at)

    @property
    def from_first_post(self) -> timedelta:
        return max(timedelta(0), self.answered_at - self.first_post_at)


def response_time(
    *, first_seen_at: datetime, first_published_at: datetime, answered_at: datetime | None
) -> ResponseTime | None:
    """The answer's two durations; None while no answer is published."""
    if answered_at is None:
        return None
    # A post dated after we saw it (a clock skew at the source) must not make detection the later.
    return ResponseTime(max(first_seen_at, first_published_at), first_published_at, answered_at)


def duration_text(span: timedelta, language: str) -> str:
    """«۴ ساعت و ۴۰ دقیقه» / "4 hours 40 minutes"; days past two days (minutes then dropped)."""
    minutes = max(0, round(span.total_seconds() / 60))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days >= 2:
        mins = 0
    else:
        hours, days = hours + days * 24, 0
    with translation.override(language):
        parts = _parts(days, hours, mins)
    if language == "fa":
        return digits_to_persian(" و ".join(parts))
    return " ".join(parts)


def _parts(days: int, hours: int, mins: int) -> list[str]:
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if mins or not parts:
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", mins) % {"n": mins})
    return parts
