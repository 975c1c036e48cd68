"""Figures the scorecard reads through core's registry (see ``contrib``): media coverage and how
sensitive stories and rumors were handled, by province, over calendar days.

Every function takes the first and the last day (both included, days of the deployment's time
zone) and returns ``{province ISO code: value}``. A post concerns a province by the dashboard's
rule (``dashboard.selectors.posts_concerning``: a source of that province, or a match of its PROVINCE
query); a story concerns every province one of its posts concerns, so a rumor copied in three
provinces counts in each. These are aggregates for all provinces: no viewer scope applies, and no
post text leaves this module.

Rates and durations name only the provinces that had something to measure (the registry metric
says ``absent="not_applicable"``): a province with no rumor has no share of rumors answered.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tabyin.core.enums import UnitKind
from tabyin.core.models import OrgUnit
from tabyin.monitor.dashboard.selectors import posts_concerning
from tabyin.monitor.enums import QueryKind, SourceKind, StoryKind
from tabyin.monitor.models import Alert, Match, Post, Story

# "Reported to management within two hours of detection" (S16): detection is the story's
# first_seen_at, the report its first alert.
ON_TIME: Final = timedelta(hours=2)
# Mentions of the organization itself, one of its officials or one of its services: a post that
# only matches a topic, a province or a peer organization is not coverage of the directorate.
COVERAGE_QUERIES: Final = (QueryKind.ORGANIZATION, QueryKind.OFFICIAL, QueryKind.SERVICE)
# Staff pastes and public tips are not something the media published.
PSEUDO_SOURCES: Final = (SourceKind.PASTE, SourceKind.TIPLINE)
HUNDRED: Final = Decimal(100)
HOUR: Final = Decimal(3600)
Q2: Final = Decimal("0.01")
Q4: Final = Decimal("0.0001")

Row = dict[str, Any]


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants [since, until) covering the local calendar days ``start`` … ``end``."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return since, until


def _provinces() -> dict[int, str]:
    """Province unit id → ISO code (inactive ones too: a past period may name them)."""
    rows = OrgUnit.objects.filter(kind=UnitKind.PROVINCE).exclude(iso_code="")
    return dict(rows.values_list("pk", "iso_code"))


def _by_province(stories: QuerySet[Story], fields: Iterable[str]) -> dict[str, list[Row]]:
    """Each story's ``fields`` under every province it concerns, in one query."""
    provinces = _provinces()
    concerns = {
        f"in_{pk}": Exists(Post.objects.filter(story=OuterRef("pk")).filter(posts_concerning({pk})))
        for pk in provinces
    }
    out: dict[str, list[Row]] = {}
    for row in stories.annotate(**concerns).values(*fields, *concerns).order_by():
        for pk, code in provinces.items():
            if row[f"in_{pk}"]:
                out.setdefault(code, []).append(row)
    return out


def _percent(rows_by_province: dict[str, list[Row]], counted: Callable[[Row], bool]) -> dict[str, Decimal]:
    return {
        code: (HUNDRED * sum(1 for r in rows if counted(r)) / len(rows)).quantize(Q4, ROUND_HALF_UP)
        for code, rows in rows_by_province.items()
    }


def _rumors() -> QuerySet[Story]:
    return Story.objects.filter(kind=StoryKind.ITEM, is_rumor=True)


def media_coverage_by_province(start: date, end: date) -> dict[str, Decimal]:
    """S10: posts published in the period by media other than the organization's own channels
    that mention the organization, an official or a service; each counts once for every province
    it concerns. The scorecard divides by the covered population."""
    since, until = _span(start, end)
    mentions = Match.objects.filter(post=OuterRef("pk"), query__kind__in=COVERAGE_QUERIES)
    posts = (
        Post.objects.filter(published_at__gte=since, published_at__lt=until, source__is_owned=False)
        .exclude(source__kind__in=PSEUDO_SOURCES)
        .filter(Exists(mentions))
    )
    provinces = _provinces()
    counts = posts.aggregate(**{f"in_{pk}": Count("pk", filter=posts_concerning({pk})) for pk in provinces})
    return {code: Decimal(counts[f"in_{pk}"]) for pk, code in provinces.items() if counts[f"in_{pk}"]}


def alerts_on_time_by_province(start: date, end: date) -> dict[str, Decimal]:
    """S16: of the sensitive stories first seen in the period (stories, not our answers, that
    raised an alert or were flagged as a rumor), the percentage whose first alert was created
    within two hours of the story being first seen. A rumor never alerted is late."""
    since, until = _span(start, end)
    alerts = Alert.objects.filter(story=OuterRef("pk"))
    stories = (
        Story.objects.filter(kind=StoryKind.ITEM, first_seen_at__gte=since, first_seen_at__lt=until)
        .filter(Q(is_rumor=True) | Q(Exists(alerts)))
        .annotate(first_alert=Subquery(alerts.order_by("created_at").values("created_at")[:1]))
    )
    rows = _by_province(stories, ("first_seen_at", "first_alert"))
    return _percent(
        rows, lambda r: r["first_alert"] is not None and r["first_alert"] - r["first_seen_at"] <= ON_TIME
    )


def rumor_answer_hours_by_province(start: date, end: date) -> dict[str, Decimal]:
    """S17: for rumors whose answer was published in the period, the median number of hours from
    detection (the story first seen) to the answer's publication."""
    since, until = _span(start, end)
    stories = _rumors().filter(response__published_at__gte=since, response__published_at__lt=until)
    rows = _by_province(stories, ("first_seen_at", "response__published_at"))
    return {
        code: statistics.median(
            _hours(r["response__published_at"] - r["first_seen_at"]) for r in answered
        ).quantize(Q2, ROUND_HALF_UP)
        for code, answered in rows.items()
    }


def _hours(delta: timedelta) -> Decimal:
    # Whole seconds: the published figure has two decimals of an hour (36 seconds).
    return Decimal(delta.days * 86_400 + delta.seconds) / HOUR


def rumors_answered_by_province(start: date, end: date) -> dict[str, Decimal]:
    """S18: of the stories flagged as rumors in the period, the percentage whose answer has been
    published (by now, not necessarily within the period)."""
    since, until = _span(start, end)
    stories = _rumors().filter(rumor_flagged_at__gte=since, rumor_flagged_at__lt=until)
    rows = _by_province(stories, ("response__published_at",))
    return _percent(rows, lambda r: r["response__published_at"] is not None)


def answer_reach_by_province(start: date, end: date) -> dict[str, Decimal]:
    """S19: of the rumors whose answer was published in the period and is tracked as a story of
    its own, the percentage whose answer had at least as many views as the rumor."""
    since, until = _span(start, end)
    stories = _rumors().filter(
        response__published_at__gte=since,
        response__published_at__lt=until,
        response__answer_story__isnull=False,
    )
    rows = _by_province(stories, ("total_views", "response__answer_story__total_views"))
    return _percent(rows, lambda r: r["response__answer_story__total_views"] >= r["total_views"])
