"""How a story spreads across channels: first sighting per channel, velocity, cumulative reach.

Pure functions over plain values (no models), shared by the alert rules and the dashboard. A
channel counts once, at the first time one of its posts carried the story; later reposts by the
same channel do not add reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

HOUR = timedelta(hours=1)
# The baseline is the hourly mean over this many hours before the last one.
BASELINE_HOURS = 12


@dataclass(frozen=True, slots=True)
class Velocity:
    """New channels in the last hour against the hourly mean of the 12 hours before it.

    ``ratio`` is ``None`` when the baseline is zero (a story with no earlier spread): a ratio
    against nothing is not a number, and the rules treat it with their own minimum instead.
    """

    last_hour: int
    baseline_per_hour: float
    ratio: float | None


def channel_first_seen(posts: Iterable[tuple[int, datetime]]) -> dict[int, datetime]:
    """(source id, time) pairs → the earliest time per source."""
    first: dict[int, datetime] = {}
    for source_id, at in posts:
        seen = first.get(source_id)
        if seen is None or at < seen:
            first[source_id] = at
    return first


@dataclass(slots=True)
class Side:
    """One side of the rumor-vs-answer comparison: posts, views and each channel's first post.

    The answer side gathers posts from two places (our answer's own story, and the denials by other
    channels linked to the rumor), which may overlap: a post counts once, by its id."""

    first_seen: dict[int, datetime] = field(default_factory=dict)
    posts: int = 0
    views: int = 0
    _seen: set[int] = field(default_factory=set)

    def add(self, rows: Iterable[tuple[int, int, datetime, int | None]]) -> Side:
        """Add (post id, source id, time, views) rows; a post already counted is skipped."""
        for post_id, source_id, at, views in rows:
            if post_id in self._seen:
                continue
            self._seen.add(post_id)
            self.posts += 1
            self.views += views or 0
            seen = self.first_seen.get(source_id)
            if seen is None or at < seen:
                self.first_seen[source_id] = at
        return self

    @property
    def channels(self) -> int:
        return len(self.first_seen)


def velocity(first_seen: Iterable[datetime], now: datetime) -> Velocity:
    """Channels first seen in (now − 1 h, now] against those in (now − 13 h, now − 1 h] / 12.

    Times after ``now`` are ignored (a clock ahead of ours must not inflate the last hour).
    """
    hour_ago = now - HOUR
    baseline_start = hour_ago - BASELINE_HOURS * HOUR
    last_hour = 0
    earlier = 0
    for at in first_seen:
        if hour_ago < at <= now:
            last_hour += 1
        elif baseline_start < at <= hour_ago:
            earlier += 1
    baseline = earlier / BASELINE_HOURS
    ratio = last_hour / baseline if baseline else None
    return Velocity(last_hour=last_hour, baseline_per_hour=baseline, ratio=ratio)


def cumulative(first_seen: Iterable[datetime], *, step: timedelta) -> list[tuple[datetime, int]]:
    """Channels reached so far, sampled every ``step`` from the first sighting to the last.

    Each point is (time, channels first seen at or before that time); the last point is the last
    sighting itself, so the series always ends at the total. Empty input gives an empty series.
    """
    if step <= timedelta(0):
        raise ValueError("step must be positive")
    times = sorted(first_seen)
    if not times:
        return []
    series: list[tuple[datetime, int]] = []
    at, index, reached = times[0], 0, 0
    end = times[-1]
    while True:
        while index < len(times) and times[index] <= at:
            index += 1
        reached = index
        series.append((at, reached))
        if at >= end:
            return series
        at = min(at + step, end)
