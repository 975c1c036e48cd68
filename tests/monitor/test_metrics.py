"""The scorecard metrics the monitor registers (selectors_metrics), exact, per province.

The period is November 2026, Tehran days: [2026-11-01 00:00, 2026-12-01 00:00) Tehran time. Tehran
(IR-23) and Isfahan (IR-10) have data; Ilam (IR-16) has only media coverage, never a rumor, so the
rates and durations do not name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tabyin.core.registry import registry
from tabyin.monitor.dashboard import selectors_metrics as sm
from tabyin.monitor.enums import QueryKind, SourceKind, StoryKind
from tabyin.monitor.models import Source, Story, WatchQuery
from tests.monitor import builders

TEHRAN = ZoneInfo("Asia/Tehran")
START, END = date(2026, 11, 1), date(2026, 11, 30)
D = Decimal
H, M = timedelta(hours=1), timedelta(minutes=1)


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TEHRAN)


@dataclass(frozen=True)
class World:
    tehran: Source  # a Tehran outlet
    isfahan: Source  # an Isfahan outlet
    ilam: Source  # an Ilam outlet
    national: Source  # a national channel: of no province by itself
    org: WatchQuery
    tehran_q: WatchQuery  # Tehran's PROVINCE query
    isfahan_q: WatchQuery


@pytest.fixture
def w(org: None) -> World:
    return World(
        tehran=builders.source("tehran_news", province_code="ir-23"),
        isfahan=builders.source("isfahan_news", kind=SourceKind.EITAA, province_code="ir-10"),
        ilam=builders.source("ilam_news", province_code="ir-16"),
        national=builders.source("akhbar"),
        org=builders.query("تامین اجتماعی", kind=QueryKind.ORGANIZATION),
        tehran_q=builders.query("تهران", kind=QueryKind.PROVINCE, province_code="ir-23"),
        isfahan_q=builders.query("اصفهان", kind=QueryKind.PROVINCE, province_code="ir-10"),
    )


def item(seen: datetime, *where: Source | WatchQuery, w: World, **fields: object) -> Story:
    """A story first seen at ``seen`` with one post per place: a source posts it, or the
    national channel posts it matching a province query."""
    st = builders.story(at=seen, **fields)
    for place in where:
        if isinstance(place, Source):
            builders.post(place, st, seen)
        else:
            builders.post(w.national, st, seen, queries=(place,))
    return st


def rumor(seen: datetime, *where: Source | WatchQuery, w: World, **fields: object) -> Story:
    """A story flagged as a rumor (when first seen, unless ``rumor_flagged_at`` says otherwise)."""
    return item(seen, *where, w=w, **{"is_rumor": True, "rumor_flagged_at": seen, **fields})


# --- S10: media coverage ---------------------------------------------------------------------------


def test_media_coverage_counts_independent_mentions_once_per_province(w: World) -> None:
    official = builders.query("مدیرعامل", kind=QueryKind.OFFICIAL)
    service = builders.query("مستمری", kind=QueryKind.SERVICE)
    topic = builders.query("بازنشستگی", kind=QueryKind.TOPIC)
    peer = builders.query("بیمه سلامت", kind=QueryKind.PEER)
    owned = builders.source("our_tehran", province_code="ir-23", is_owned=True)
    paste = builders.source("paste", kind=SourceKind.PASTE, province_code="ir-23")
    tipline = builders.source("tipline", kind=SourceKind.TIPLINE, province_code="ir-23")
    st = builders.story()
    post = builders.post
    post(w.tehran, st, at(11, 10), queries=(w.org,))  # Tehran
    post(w.national, st, at(11, 11), queries=(official, w.tehran_q, w.isfahan_q))  # Tehran and Isfahan
    # Its source and its query both say Tehran, and it matches two coverage queries: once.
    post(w.tehran, st, at(11, 12), queries=(w.org, service, w.tehran_q))
    post(w.tehran, st, at(11, 30, 23, 30), queries=(w.org,))  # the last evening counts
    post(w.isfahan, st, at(11, 1, 0, 0), queries=(service,))  # the first minute counts
    post(w.ilam, st, at(11, 15), queries=(w.org,))
    # Not coverage: outside the period, a topic or peer only, no province, ours, pastes and tips.
    post(w.tehran, st, at(12, 1, 0, 0), queries=(w.org,))
    post(w.tehran, st, at(10, 31, 23, 59), queries=(w.org,))
    post(w.isfahan, st, at(11, 13), queries=(topic, peer, w.isfahan_q))
    post(w.national, st, at(11, 13), queries=(w.org,))
    post(w.tehran, st, at(11, 14))
    for src in (owned, paste, tipline):
        post(src, st, at(11, 14), queries=(w.org, w.tehran_q))
    assert sm.media_coverage_by_province(START, END) == {"IR-23": D(4), "IR-10": D(2), "IR-16": D(1)}


# --- S16: sensitive stories alerted within two hours -------------------------------------------------


def test_alerts_on_time_at_two_hours_exactly_and_not_a_minute_later(w: World) -> None:
    alert = builders.alert
    seen = at(11, 10)
    alert(item(seen, w.tehran, w=w), seen + 2 * H)  # on time
    late = item(seen, w.tehran, w=w)
    alert(late, seen + 2 * H + M)  # its first alert is late; a second one changes nothing
    alert(late, seen + 5 * H)
    rumor(seen, w.tehran, w=w)  # a rumor nobody was alerted to: late
    both = item(seen, w.tehran, w.isfahan_q, w=w)  # on time, in both provinces
    alert(both, seen + 30 * M)
    evening = item(at(11, 30, 23, 30), w.tehran_q, w=w)  # first seen on the last evening: counts
    alert(evening, at(12, 1, 0, 10))
    alert(item(at(11, 3), w.isfahan, w=w), at(11, 3) + H)  # on time
    alert(rumor(at(11, 4), w.isfahan, w=w), at(11, 4) + 3 * H)  # late
    # Not sensitive or not in the period: no alert and no flag, the next day, before the first
    # day, our own answer.
    item(seen, w.tehran, w=w)
    alert(item(at(12, 1, 0, 0), w.tehran, w=w), at(12, 1, 0, 5))
    alert(item(at(10, 31, 23, 59), w.tehran, w=w), at(11, 1, 0, 5))
    alert(item(seen, w.tehran, w=w, kind=StoryKind.ANSWER), seen + 5 * H)
    item(seen, w.ilam, w=w)
    # Tehran: 3 of 5 (on time, late, never alerted, both, evening); Isfahan: 2 of 3.
    assert sm.alerts_on_time_by_province(START, END) == {"IR-23": D("60.0000"), "IR-10": D("66.6667")}


# --- S17: median hours to answer a rumor --------------------------------------------------------------


def test_rumor_answer_hours_is_the_median_from_detection_to_publication(w: World) -> None:
    answered = lambda st, after: builders.response(st, published_at=st.first_seen_at + after)  # noqa: E731
    seen = at(11, 10, 9)
    answered(rumor(seen, w.tehran, w=w), 3 * H)
    answered(rumor(seen, w.tehran, w=w), 10 * H + 30 * M)
    answered(rumor(seen, w.tehran_q, w=w), H)
    answered(rumor(seen, w.isfahan, w=w), 2 * H)
    answered(rumor(seen, w.isfahan, w.tehran, w=w), 5 * H + 20 * M)
    # Published at 23:30 on the last day (counts), at midnight after it (does not).
    answered(rumor(at(11, 30, 20), w.tehran, w=w), 3 * H + 30 * M)
    answered(rumor(at(11, 30, 20), w.tehran, w=w), 4 * H)
    # Detected in October, answered in the period: counted, 24 h.
    answered(rumor(at(10, 31, 12), w.isfahan, w=w), 24 * H)
    builders.response(rumor(seen, w.tehran, w=w))  # a draft: not answered yet
    answered(item(seen, w.tehran, w=w), H)  # not a rumor (any more)
    rumor(seen, w.ilam, w=w)  # unanswered: nothing to measure in Ilam
    # Tehran: 1, 3, 3.5, 5.33…, 10.5 → 3.5; Isfahan: 2, 5.33…, 24 → 5.33.
    assert sm.rumor_answer_hours_by_province(START, END) == {"IR-23": D("3.50"), "IR-10": D("5.33")}


def test_rumor_answer_hours_median_of_an_even_number_is_the_mean_of_the_middle_two(w: World) -> None:
    seen = at(11, 10, 9)
    for after in (H, 2 * H + 20 * M):
        builders.response(rumor(seen, w.isfahan, w=w), published_at=seen + after)
    assert sm.rumor_answer_hours_by_province(START, END) == {"IR-10": D("1.67")}


# --- S18: share of rumors answered -------------------------------------------------------------------


def test_rumors_answered_counts_rumors_flagged_in_the_period_answered_by_now(w: World) -> None:
    def flagged(when: datetime, src: Source) -> Story:
        return rumor(at(11, 2), src, w=w, rumor_flagged_at=when)

    builders.response(flagged(at(11, 5), w.tehran), published_at=at(12, 20))  # answered after the period
    builders.response(flagged(at(11, 6), w.tehran))  # a draft only
    flagged(at(11, 7), w.tehran)  # no answer
    builders.response(flagged(at(11, 30, 23, 30), w.tehran), published_at=at(12, 1, 8))
    builders.response(flagged(at(12, 1, 0, 0), w.tehran), published_at=at(12, 1, 8))  # next period
    builders.response(flagged(at(10, 31, 23, 59), w.tehran), published_at=at(11, 1, 8))  # last one
    builders.response(flagged(at(11, 10), w.isfahan), published_at=at(11, 11))
    flagged(at(11, 11), w.isfahan)
    flagged(at(11, 12), w.isfahan)
    item(at(11, 10), w.ilam, w=w)  # Ilam: news, no rumor
    assert sm.rumors_answered_by_province(START, END) == {"IR-23": D("50.0000"), "IR-10": D("33.3333")}


# --- S19: reach of answers ---------------------------------------------------------------------------


def test_answer_reach_compares_the_answer_views_with_the_rumor_views(w: World) -> None:
    def answered(src: Source, rumor_views: int, answer_views: int | None, published: datetime) -> None:
        st = rumor(at(11, 2), src, w=w, total_views=rumor_views)
        answer = (
            None
            if answer_views is None
            else builders.story(at=published, kind=StoryKind.ANSWER, total_views=answer_views)
        )
        builders.response(st, published_at=published, answer_story=answer)

    answered(w.tehran, 1000, 1000, at(11, 10))  # as many views: reached
    answered(w.tehran, 1000, 999, at(11, 10))
    answered(w.tehran, 500, 2000, at(11, 30, 23, 30))
    answered(w.tehran, 500, 2000, at(12, 1, 0, 0))  # published in the next period
    answered(w.tehran, 500, None, at(11, 10))  # the answer is not tracked: left out
    answered(w.isfahan, 100, 50, at(11, 10))
    rumor(at(11, 2), w.ilam, w=w, total_views=10)  # unanswered
    assert sm.answer_reach_by_province(START, END) == {"IR-23": D("66.6667"), "IR-10": D("0.0000")}


# --- Registration ------------------------------------------------------------------------------------


def test_the_monitor_registers_its_five_metrics_and_how_absent_provinces_count() -> None:
    assert {name: m.absent for name, m in registry.metrics.items() if name.startswith("monitor.")} == {
        "monitor.media_coverage": "zero",
        "monitor.alerts_on_time": "not_applicable",
        "monitor.rumor_answer_hours": "not_applicable",
        "monitor.rumors_answered": "not_applicable",
        "monitor.answer_reach": "not_applicable",
    }


def test_through_the_registry_a_province_with_coverage_and_no_rumor_is_named_by_coverage_only(
    w: World,
) -> None:
    builders.post(w.ilam, builders.story(), at(11, 15), queries=(w.org,))
    rumor(at(11, 10), w.tehran, w=w)
    got = {
        name: registry.metrics[name].compute(START, END) for name in registry.metrics if "monitor." in name
    }
    assert got == {
        "monitor.media_coverage": {"IR-16": D(1)},
        "monitor.alerts_on_time": {"IR-23": D("0.0000")},
        "monitor.rumor_answer_hours": {},
        "monitor.rumors_answered": {"IR-23": D("0.0000")},
        "monitor.answer_reach": {},
    }
