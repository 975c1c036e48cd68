"""What Jam'i-no contributes to the shell through core's registry: navigation, scorecard metrics,
the sitemap and the demo step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import CalendarEvent, DemoStep, Metric, NavEntry, SitemapEntry, WorkItem, registry
from tabyin.core.scoping import scope_for


def _organizer(user: User) -> bool:
    from tabyin.ideas import permissions

    return permissions.can_moderate(scope_for(user))


def _juror(user: User) -> bool:
    from tabyin.ideas import permissions

    return permissions.can_judge(scope_for(user))


def _work(user: User) -> list[WorkItem]:
    from tabyin.ideas import work

    return work.work_items(user)


def _calendar(user: User, first: date, last: date) -> list[CalendarEvent]:
    from tabyin.ideas.challenges import selectors

    return selectors.calendar_events(first, last)


def _demo() -> str:
    from tabyin.ideas import demo

    return demo.load()


def _sitemap() -> list[SitemapEntry]:
    from tabyin.ideas.challenges import selectors

    slugs = list(selectors.public_challenges().values_list("slug", flat=True))
    return [
        SitemapEntry("ideas:home"),
        SitemapEntry("ideas:method"),
        SitemapEntry("ideas:implemented"),
        *(SitemapEntry("ideas:challenge", (slug,)) for slug in slugs),
    ]


def _metric(name: str) -> object:
    def compute(start: date, end: date) -> dict[str, Decimal]:
        from tabyin.ideas.results import selectors

        result: dict[str, Decimal] = getattr(selectors, name)(start, end)
        return result

    return compute


def _published(address: str, when: datetime) -> None:
    from tabyin.ideas.results import services

    services.announcement_sent(address, when)


def _api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.ideas.api.http import api_view

    return api_view(name, view)


def register() -> None:
    registry.add_nav(NavEntry("public", _("Jam'i-no"), "ideas:home", order=55))
    registry.add_api_router(
        "ideas/", "tabyin.ideas.api.router.router", namespace="ideas-api-v1", wrap=_api_view
    )
    # The public trackers of implemented ideas, one click from every page of the transparency
    # site (its home included): the public menu is the shell's, so the portal imports nothing.
    registry.add_nav(NavEntry("public", _("Ideas being carried out"), "ideas:implemented", order=56))
    registry.add_nav(
        NavEntry(
            "staff", _("Jam'i-no challenges"), "ideas:staff", order=135, visible=_organizer, work="ideas"
        )
    )
    registry.add_nav(
        NavEntry("staff", _("My jury reviews"), "ideas:jury", order=136, visible=_juror, work="ideas")
    )
    registry.add_work("ideas", _("Jam'i-no"), _work)
    registry.add_calendar("ideas", _("Jam'i-no"), _calendar)
    registry.add_sitemap("ideas", _sitemap)
    registry.add_demo(DemoStep(app="ideas", order=70, load=_demo))
    # The winners' announcement learns when the outbox sent its draft.
    registry.add_published(_published)
    for name, label, absent in (
        ("challenges_held", _("Jam'i-no challenges with entries from the province"), "zero"),
        ("participation", _("Ideas and entries sent from the province"), "zero"),
        ("implemented_share", _("Share of the province's screened ideas carried out"), "not_applicable"),
    ):
        registry.add_metric(Metric(f"ideas.{name}", label, _metric(name), absent=absent))  # type: ignore[arg-type]
