"""pipeline.spread: first sighting per channel, velocity against the 12-hour baseline, cumulative reach."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tabyin.monitor.pipeline.spread import Velocity, channel_first_seen, cumulative, velocity

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def test_first_seen_keeps_the_earliest_post_of_each_channel() -> None:
    posts = [(1, NOW), (2, NOW - 5 * M), (1, NOW - 30 * M), (2, NOW + M), (3, NOW)]
    assert channel_first_seen(posts) == {1: NOW - 30 * M, 2: NOW - 5 * M, 3: NOW}


def test_velocity_counts_last_hour_against_hourly_mean_of_twelve_hours_before() -> None:
    # 6 channels in the 12 hours before the last one (baseline 0.5/h), 4 in the last hour.
    earlier = [NOW - H - k * 2 * H - M for k in range(6)]
    last = [NOW - 50 * M, NOW - 30 * M, NOW - 10 * M, NOW]
    assert velocity(earlier + last, NOW) == Velocity(last_hour=4, baseline_per_hour=0.5, ratio=8.0)


def test_velocity_window_edges_and_times_outside() -> None:
    times = [
        NOW - H,  # exactly one hour ago: belongs to the baseline, not the last hour
        NOW - 13 * H,  # exactly 13 hours ago: outside both
        NOW - 14 * H,
        NOW + M,  # ahead of our clock: ignored
        NOW - H + timedelta(seconds=1),
    ]
    speed = velocity(times, NOW)
    assert speed.last_hour == 1
    assert speed.baseline_per_hour == pytest.approx(1 / 12)
    assert speed.ratio == pytest.approx(12.0)


def test_velocity_without_baseline_has_no_ratio() -> None:
    assert velocity([NOW - 5 * M, NOW - 6 * M], NOW) == Velocity(
        last_hour=2, baseline_per_hour=0.0, ratio=None
    )
    assert velocity([], NOW) == Velocity(last_hour=0, baseline_per_hour=0.0, ratio=None)


def test_cumulative_series_steps_and_ends_at_total() -> None:
    start = NOW - 3 * H
    times = [start, start + 10 * M, start + 70 * M, start + 150 * M]
    assert cumulative(times, step=H) == [
        (start, 1),
        (start + H, 2),
        (start + 2 * H, 3),
        (start + 150 * M, 4),
    ]
    assert cumulative([], step=H) == []
    assert cumulative([NOW, NOW], step=H) == [(NOW, 2)]
    with pytest.raises(ValueError):
        cumulative(times, step=timedelta(0))
