"""What the monitor app contributes to the shell through core's registry.

URL names are only looked up when the shell renders a menu, never here at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import (
    CoveragePost,
    CoverageQuery,
    DemoStep,
    HomePanel,
    Metric,
    NavEntry,
    SitemapEntry,
    TipQuery,
    TipQuestion,
    WorkItem,
    registry,
)
from tabyin.core.scoping import scope_for


def _viewer(user: User) -> bool:
    from tabyin.monitor import permissions

    return permissions.can_view(scope_for(user))


def _national(user: User) -> bool:
    from tabyin.monitor import permissions

    return permissions.sees_everything(scope_for(user))


def _morning(user: User) -> list[HomePanel]:
    """A senior manager's /staff/ page opens on their morning; nobody else's changes."""
    from tabyin.monitor.briefs import selectors_morning

    found = selectors_morning.morning(user=user)
    return [] if found is None else [HomePanel("monitor/staff/_morning.html", found, order=10)]


def _work(user: User) -> list[WorkItem]:
    from tabyin.monitor import work

    return work.work_items(user)


def _demo() -> str:
    from tabyin.monitor import demo

    return demo.load()


def _computed_by(function: str) -> Callable[[date, date], dict[str, Decimal]]:
    """``dashboard.selectors_metrics.<function>``, imported when the scorecard first asks (not at
    start-up)."""

    def compute(start: date, end: date) -> dict[str, Decimal]:
        from tabyin.monitor.dashboard import selectors_metrics

        found: dict[str, Decimal] = getattr(selectors_metrics, function)(start, end)
        return found

    return compute


def _register_metrics() -> None:
    """Metrics for the scorecard's media indicators (docs/modules/monitor.md, "Scorecard metrics").

    S13 and S14 (items staff reviewed, items analysed) have none: the monitor keeps no record of
    which items a person reviewed or analysed, and a figure it cannot back would be invented.
    Rates and durations of nothing are not 0: a province with no sensitive story or no rumor in
    the period has no value for them.
    """
    for metric in (
        Metric(
            "monitor.media_coverage",
            _("Media items about the organization"),
            _computed_by("media_coverage_by_province"),
        ),
        Metric(
            "monitor.alerts_on_time",
            _("Sensitive stories alerted within two hours (%)"),
            _computed_by("alerts_on_time_by_province"),
            absent="not_applicable",
        ),
        Metric(
            "monitor.rumor_answer_hours",
            _("Median hours from detecting a rumor to publishing its answer"),
            _computed_by("rumor_answer_hours_by_province"),
            absent="not_applicable",
        ),
        Metric(
            "monitor.rumors_answered",
            _("Rumors with a published answer (%)"),
            _computed_by("rumors_answered_by_province"),
            absent="not_applicable",
        ),
        Metric(
            "monitor.answer_reach",
            _("Answers seen at least as often as their rumor (%)"),
            _computed_by("answer_reach_by_province"),
            absent="not_applicable",
        ),
    ):
        registry.add_metric(metric)


def _sitemap() -> list[SitemapEntry]:
    """The published answers, each dated by its publication; the list by the newest."""
    from tabyin.monitor.responses import selectors as selectors_responses

    published = list(selectors_responses.clarifications_public().values_list("pk", "published_at"))
    newest = published[0][1] if published else None
    return [
        SitemapEntry("monitor:clarifications", lastmod=newest),
        *(SitemapEntry("monitor:clarification", (pk,), when) for pk, when in published),
        SitemapEntry("monitor:tipline"),
    ]


def _coverage(query: CoverageQuery) -> list[CoveragePost]:
    from tabyin.monitor.dashboard import selectors_coverage

    return selectors_coverage.coverage(query)


def _tips(query: TipQuery) -> list[TipQuestion]:
    from tabyin.monitor.dashboard import selectors_coverage

    return selectors_coverage.tips(query)


def _open_response(actor: User, story_key: int, title: str, body: str) -> str:
    from django.urls import reverse

    from tabyin.monitor.responses import services as services_responses

    response = services_responses.response_draft_for_claim(
        actor=actor, story_key=story_key, title=title, body=body
    )
    return reverse("monitor:response", args=[response.pk])


def _post_views(url: str) -> int | None:
    """The view count of one of our own public posts, read from its channel's preview page."""
    from tabyin.monitor.sources import post_views

    return post_views.views_of_post(url)


def _api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.monitor.responses.api_cache import api_view

    return api_view(name, view)


def register() -> None:
    registry.add_sitemap("monitor", _sitemap)
    registry.add_api_router(
        "clarifications/",
        "tabyin.monitor.responses.api.router",
        namespace="clarifications-api-v1",
        wrap=_api_view,
    )
    registry.add_nav(NavEntry("public", _("Clarifications"), "monitor:clarifications", order=45))
    registry.add_nav(
        NavEntry(
            "staff", _("Media monitoring"), "monitor:dashboard", order=112, visible=_viewer, work="monitor"
        )
    )
    registry.add_nav(NavEntry("staff", _("Alerts"), "monitor:alerts", order=113, visible=_national))
    registry.add_nav(
        NavEntry("staff", _("Rumors and answers"), "monitor:responses", order=114, visible=_national)
    )
    registry.add_home_panels(_morning)
    registry.add_work("monitor", _("Media monitoring"), _work)
    registry.add_demo(DemoStep(app="monitor", order=50, load=_demo))
    _register_metrics()
    registry.add_coverage(_coverage)
    registry.add_tips(_tips)
    registry.add_post_views(_post_views)
    registry.response_opener = _open_response
