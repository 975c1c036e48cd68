"""What the reports app contributes to the shell through core's registry.

URL names are only looked up when the shell renders a menu, never here at import time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import DemoStep, NavEntry, SitemapEntry, WorkItem, registry
from tabyin.core.scoping import scope_for


def _handler(user: User) -> bool:
    from tabyin.reports import permissions

    return permissions.is_handler(scope_for(user))


def _custodian(user: User) -> bool:
    from tabyin.reports import permissions

    return permissions.is_custodian(scope_for(user))


def _configure(user: User) -> bool:
    from tabyin.reports import permissions

    return permissions.can_configure(scope_for(user))


def _work(user: User) -> list[WorkItem]:
    from tabyin.reports.cases import selectors_work

    return selectors_work.work_items(user)


def _demo() -> str:
    from tabyin.reports import demo

    return demo.load()


def _sitemap() -> list[SitemapEntry]:
    # No lastmod: a date drawn from the reports would tell when someone last reported. The form
    # and follow-up pages say "noindex" themselves; the per-office posters are for printing.
    names = ("index", "protections", "posters", "statistics")
    return [SitemapEntry(f"reports:{name}") for name in names]


def _api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.reports.stats.cache import api_view

    return api_view(name, view)


def register() -> None:
    registry.add_sitemap("reports", _sitemap)
    registry.add_nav(NavEntry("public", _("Violation reports"), "reports:index", order=50, phone=True))
    registry.add_nav(
        NavEntry(
            "staff", _("Violation reports"), "reports:inbox", order=140, visible=_handler, work="reports"
        )
    )
    registry.add_nav(
        NavEntry(
            "staff",
            _("Identity requests"),
            "reports:identity-queue",
            order=145,
            visible=_custodian,
            work="reports",
        )
    )
    registry.add_nav(NavEntry("staff", _("Report settings"), "reports:config", order=150, visible=_configure))
    registry.add_work("reports", _("Violation reports"), _work)
    registry.add_demo(DemoStep(app="reports", order=40, load=_demo))
    registry.add_api_router(
        "reports/", "tabyin.reports.api.v1.router", namespace="reports-api-v1", wrap=_api_view
    )
    registry.add_api_router(
        "reports/", "tabyin.reports.api.flow.router", namespace="reports-api-v1", wrap=_api_view
    )
