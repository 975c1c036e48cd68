"""/api/v1/reports/categories and /statistics come from the response cache (``reports.stats.cache``),
and what changes a published figure, and only that, changes the token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client, override_settings

from tabyin.core.models import User
from tabyin.reports.models import Category, Report
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

STATS = "/api/v1/reports/statistics"


@pytest.fixture(autouse=True)
def not_a_demo_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tabyin.core.demo.is_demo", lambda: False)


@pytest.fixture
def old_reports(tehran_security: User, hq_units_with_keys: dict[str, User]) -> list[Report]:
    """3 bribery reports received in 1404, all still "received"."""
    reports = [helpers.submit(what="پول نقد برای انجام کار خواسته شد.").report for _ in range(3)]
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        received_at=datetime(2025, 6, 1, 10, tzinfo=UTC)
    )
    return list(Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk"))


def _status(body: dict[str, object], key: str) -> object:
    rows = body["by_status"]
    assert isinstance(rows, list)
    return next(r["count"] for r in rows if r["key"] == key)


@override_settings(TABYIN_REPORTS_STATS_MIN_COUNT=1)
def test_statistics_are_served_from_the_cache_until_a_published_figure_changes(
    old_reports: list[Report],
) -> None:
    client = Client()
    first = client.get(STATS)
    again = client.get(STATS)

    assert (first["X-Tabyin-Cache"], again["X-Tabyin-Cache"]) == ("miss", "hit")
    assert again["ETag"] == first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    assert client.get(STATS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (_status(first.json(), "received"), _status(first.json(), "in_progress")) == (3, None)

    # A report received this month changes nothing published, so neither the ETag nor the copy.
    helpers.submit(what="گزارشی تازه در این ماه.")
    now = client.get(STATS)
    assert (now["X-Tabyin-Cache"], now["ETag"]) == ("hit", first["ETag"])

    # A handler taking up an older report does: it shows at once.
    old_reports[0].status = "under_review"
    old_reports[0].save(update_fields=["status"])
    changed = client.get(STATS)
    assert changed["X-Tabyin-Cache"] == "miss"
    assert changed["ETag"] != first["ETag"]
    assert (_status(changed.json(), "received"), _status(changed.json(), "in_progress")) == (2, 1)


def test_categories_are_cached_and_an_edited_category_shows_at_once(org: None) -> None:
    client = Client()
    first = client.get("/api/v1/reports/categories")
    assert [first["X-Tabyin-Cache"], client.get("/api/v1/reports/categories")["X-Tabyin-Cache"]] == [
        "miss",
        "hit",
    ]
    assert "Cache-Control" in first and first["Access-Control-Allow-Origin"] == "*"

    category = Category.objects.get(code="bribery")
    category.name_en = "Bribery (renamed)"
    category.save()
    body = client.get("/api/v1/reports/categories").json()
    assert next(c["name_en"] for c in body if c["code"] == "bribery") == "Bribery (renamed)"


def test_the_follow_up_and_the_writes_are_never_cached(org: None) -> None:
    response = Client().post("/api/v1/reports/follow-up", {"receipt": "1"}, content_type="application/json")
    assert "X-Tabyin-Cache" not in response
