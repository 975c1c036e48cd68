"""One clock for "how long did the answer take": the brief, the story page and the response pages
all call :func:`response_time` and print with :func:`duration_text` (core's one duration format,
``core.display.numbers.format_duration``), so they cannot disagree.

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

from tabyin.core.display.numbers import format_duration as duration_text

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
