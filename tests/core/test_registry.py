from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation

from tabyin.core.models import User
from tabyin.core.registry import CoveragePost, CoverageQuery, DemoStep, Figure, NavEntry, Registry, registry


def test_core_contributes_staff_navigation_and_demo_data() -> None:
    names = [entry.url_name for entry in registry.nav if entry.area == "staff"]

    assert names == [
        "core:staff-home",
        "core:notifications",
        "core:calendar",
        "portal:staff-releases",
        "portal:staff-explanations",
        "monitor:dashboard",
        "monitor:alerts",
        "monitor:responses",
        "scorecard:periods",
        "scorecard:framework-list",
        "reception:staff-polls",
        "reception:staff-messages",
        "reception:staff-meetings",
        "ideas:staff",
        "campaigns:list",
        "ideas:jury",
        "desk:list",
        "reports:inbox",
        "reports:identity-queue",
        "reports:config",
        "reception:plainlang",
        "core:audit",
        "core:system",
        "admin:index",
    ]
    assert [step.app for step in registry.demo] == [
        "core",
        "portal",
        "portal.feedback",
        "scorecard",
        "reports",
        "monitor",
        "reception.polls",
        "reception.meetings",
        "reception.messages",
        "ideas",
        "campaigns",
        "desk",
    ]


def test_admin_only_entries_are_hidden_from_other_staff(hq_admin: User, hq_analyst: User) -> None:
    admin_nav = [e.url_name for e in registry.nav_for("staff", hq_admin)]
    analyst_nav = [e.url_name for e in registry.nav_for("staff", hq_analyst)]

    assert admin_nav == [
        "core:staff-home",
        "core:notifications",
        "core:calendar",
        "monitor:dashboard",
        "monitor:alerts",
        "monitor:responses",
        "scorecard:periods",
        "scorecard:framework-list",
        "reception:staff-polls",
        "reception:staff-messages",
        "reception:staff-meetings",
        "ideas:staff",
        "campaigns:list",
        "desk:list",
        "reports:config",
        "reception:plainlang",
        "core:audit",
        "core:system",
        "admin:index",
    ]
    assert analyst_nav == [
        "core:staff-home",
        "core:notifications",
        "core:calendar",
        "portal:staff-explanations",
        "monitor:dashboard",
        "monitor:alerts",
        "monitor:responses",
        "scorecard:periods",
        "reception:staff-polls",
        "reception:staff-messages",
        "reception:staff-meetings",
        "ideas:staff",
        "campaigns:list",
        "desk:list",
        "reception:plainlang",
    ]


def test_figures_are_scoped_to_the_user(tehran_admin: User, hq_analyst: User) -> None:
    with translation.override("en"):
        figures = [(str(f.label), f.value) for f in registry.figures_for(tehran_admin)]

    assert figures == [("Organization units you manage", 4), ("Staff accounts you manage", 1)]
    assert registry.figures_for(hq_analyst) == []


def test_registering_twice_does_not_duplicate() -> None:
    local = Registry()
    entry = NavEntry("public", "Data", "core:home", order=5)

    local.add_nav(entry)
    local.add_nav(entry)
    local.add_demo(DemoStep("portal", 10, lambda: "ok"))
    local.add_demo(DemoStep("portal", 10, lambda: "again"))
    provider = lambda user: [Figure("x", 1)]  # noqa: E731
    local.add_figures(provider)
    local.add_figures(provider)

    assert (len(local.nav), len(local.demo), len(local.figures)) == (1, 1, 1)
    assert local.nav_for("public", None) == [entry]


def test_coverage_from_every_provider_oldest_first() -> None:
    local = Registry()
    query = CoverageQuery(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2026, 1, 8, tzinfo=UTC))
    assert local.coverage_for(query) == []

    def post(key: str, day: int) -> CoveragePost:
        return CoveragePost(key, "متن", datetime(2026, 1, day, tzinfo=UTC), "کانال", None, None, None)

    local.add_coverage(lambda q: [post("b", 3), post("a", 5)])
    local.add_coverage(lambda q: [post("c", 2)])
    assert [p.key for p in local.coverage_for(query)] == ["c", "b", "a"]
    assert local.response_opener is None
