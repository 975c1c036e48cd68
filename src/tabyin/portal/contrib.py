"""What the transparency site contributes to the shell through core's registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import (
    ClarityDay,
    DemoStep,
    Metric,
    NavEntry,
    SeriesRef,
    SeriesSource,
    SitemapEntry,
    WorkItem,
    registry,
)
from tabyin.core.scoping import scope_for


@cache
def _cached_home() -> Callable[..., HttpResponseBase]:
    from tabyin.portal.cache_scope import page
    from tabyin.portal.public import views

    return page()(views.home)


def _home(request: HttpRequest) -> HttpResponse:
    """The site's home at / is the portal's home, from the response cache like /overview/."""
    response = _cached_home()(request)
    assert isinstance(response, HttpResponse)  # pages are rendered, never streamed
    return response


def _publisher(user: User) -> bool:
    from tabyin.portal import permissions

    return permissions.can_publish_data(scope_for(user))


def _explainer(user: User) -> bool:
    from tabyin.portal import permissions

    scope = scope_for(user)
    return permissions.can_draft_explanations(scope) or permissions.can_review_explanations(scope)


def _work(user: User) -> list[WorkItem]:
    from tabyin.portal.staff import work as selectors_work

    return selectors_work.work_items(user)


def _demo() -> str:
    from tabyin.portal import demo

    return demo.load()


def _feedback_demo() -> str:
    from tabyin.portal import demo

    return demo.feedback_load()


def _explanations_published(start: date, end: date) -> dict[str, Decimal]:
    from tabyin.portal.public import selectors

    return selectors.explanations_published_by_province(start, end)


def _sitemap() -> list[SitemapEntry]:
    from tabyin.portal import sitemap

    return sitemap.entries()


def _api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.portal.api.urls import api_view

    return api_view(name, view)


def _clarity(start: date, end: date) -> list[ClarityDay]:
    from tabyin.portal.feedback import selectors

    return selectors.clarity_days(start, end)


def _series_catalog() -> list[SeriesRef]:
    from tabyin.portal.public import province_series

    return province_series.catalog()


def _series_values(key: str, first: date, last: date) -> list[tuple[str, date, float]]:
    from tabyin.portal.public import province_series

    return province_series.values(key, first, last)


def register() -> None:
    registry.home_view = _home
    # Published figures by province and month, e.g. as a campaign's outcome.
    registry.add_series(SeriesSource(_series_catalog, _series_values))
    registry.add_clarity(_clarity)
    registry.add_nav(NavEntry("public", _("Data"), "portal:datasets", order=20, phone=True))
    registry.add_nav(NavEntry("public", _("Search"), "portal:search", order=90, phone=True))
    registry.add_nav(NavEntry("staff", _("Releases"), "portal:staff-releases", order=100, visible=_publisher))
    registry.add_nav(
        NavEntry(
            "staff",
            _("Explanations"),
            "portal:staff-explanations",
            order=110,
            visible=_explainer,
            work="portal",
        )
    )
    registry.add_sitemap("portal", _sitemap)
    registry.add_work("portal", _("Transparency site"), _work)
    registry.add_demo(DemoStep(app="portal", order=10, load=_demo))
    registry.add_demo(DemoStep(app="portal.feedback", order=11, load=_feedback_demo))
    registry.add_metric(
        Metric(
            "portal.explanations_published",
            _("Explanations published on the transparency site"),
            _explanations_published,
        )
    )
    registry.add_api_router("", "tabyin.portal.api.v1.router", namespace="api-v1", wrap=_api_view)
    registry.add_api_router("", "tabyin.portal.api.v1_reference.router", namespace="api-v1", wrap=_api_view)
