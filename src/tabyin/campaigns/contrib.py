"""What the campaigns app contributes through core's registry: its navigation, its demo step, and
its key messages (for the reception app's pull-through) and the
outbox drafts other apps ask for (``registry.publish_draft``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.registry import (
    ApprovedMessage,
    CalendarEvent,
    DemoStep,
    KeyMessageRef,
    NavEntry,
    OutboxState,
    WorkItem,
    registry,
)
from tabyin.core.scoping import scope_for


def _visible(user: User) -> bool:
    from tabyin.campaigns import permissions

    return permissions.can_see(scope_for(user))


def _demo() -> str:
    from tabyin.campaigns import demo

    return demo.load()


def _work(user: User) -> list[WorkItem]:
    from tabyin.campaigns import work

    return work.work_items(user)


def _calendar(user: User, first: date, last: date) -> list[CalendarEvent]:
    from tabyin.campaigns.outbox.selectors import calendar_events

    return calendar_events(user, first, last)


def _key_messages() -> list[KeyMessageRef]:
    from tabyin.campaigns.plan.selectors import key_messages_everywhere

    return [
        KeyMessageRef(key=f"campaigns:{pk}", text=text, context=title)
        for pk, text, title in key_messages_everywhere()
    ]


def _publish(actor: User, title: str, body: str, link: str) -> str:
    from tabyin.campaigns.outbox.services_announce import publish_draft

    return publish_draft(actor, title, body, link)


def _publish_approved(handed: ApprovedMessage) -> str:
    from tabyin.campaigns.outbox.services_approved import publish_approved

    return publish_approved(handed)


def _outbox_state(origin_key: str) -> OutboxState | None:
    from tabyin.campaigns.outbox.services_approved import outbox_state

    return outbox_state(origin_key)


def _api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    from tabyin.campaigns.outbox.api_cache import api_view

    return api_view(name, view)


def register() -> None:
    registry.add_nav(
        NavEntry("staff", _("Campaigns"), "campaigns:list", order=135, visible=_visible, work="campaigns")
    )
    registry.add_work("campaigns", _("Campaigns"), _work)
    registry.add_calendar("campaigns", _("Campaigns"), _calendar)
    registry.add_nav(NavEntry("public", _("Newsletter"), "campaigns:newsletter", order=900))
    registry.add_api_router(
        "news/", "tabyin.campaigns.outbox.api.router", namespace="news-api-v1", wrap=_api_view
    )
    # After the organization and the transparency site (provinces and people exist).
    registry.add_demo(DemoStep(app="campaigns", order=70, load=_demo))
    registry.add_key_messages(_key_messages)
    # Other apps' announcements become drafts in the outbox, sent once a senior manager approves.
    registry.add_publisher(_publish)
    # Messages another app approved (the monitor's answers) go out through the outbox's ledger.
    registry.add_approved_publisher(_publish_approved, _outbox_state)
