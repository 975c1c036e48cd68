"""Published statistics: exact counts over live reports and archived tallies, small counts hidden."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.reports.models import ArchivedTally, Category, Report
from tabyin.reports.stats import selectors as selectors_stats
from tests import factories
from tests.reports import helpers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("in_english"),
]

CANARY = "CANARY-stats-90be"


@pytest.fixture(autouse=True)
def not_a_demo_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether this process's data directory holds a demo depends on which tests ran before."""
    monkeypatch.setattr("tabyin.core.demo.is_demo", lambda: False)


@pytest.fixture
def data(tehran_security: User, hq_units_with_keys: dict[str, User]) -> None:
    """Live: 3 bribery reports received in 1404 (Tehran), 1 leak closed in 10 days in 1405.
    Archived: 4 bribery reports of 1403 in Isfahan, closed in 2, 4, 6 and 8 days."""
    for _ in range(3):
        report = helpers.submit(what=f"{CANARY} پول نقد برای انجام کار خواسته شد.").report
        Report.objects.filter(pk=report.pk).update(received_at=datetime(2025, 6, 1, 10, tzinfo=UTC))
    leak = helpers.submit(category="leak", q_personal_data="yes").report
    received = datetime(2026, 4, 1, 10, tzinfo=UTC)
    Report.objects.filter(pk=leak.pk).update(
        received_at=received, closed_at=received + timedelta(days=10, hours=3), status="closed_substantiated"
    )
    ArchivedTally.objects.create(
        year=1403,
        category=Category.objects.get(code="bribery"),
        province=factories.unit("ir-10"),
        status="closed_unsubstantiated",
        count=4,
        days_to_close=[2, 4, 6, 8],
    )


def _row(rows: list[Any], key: str) -> Any:
    return next(r for r in rows if r["key"] == key)


@override_settings(TABYIN_REPORTS_STATS_MIN_COUNT=3)
def test_the_figures_add_live_and_archived_reports_and_hide_small_counts(data: None) -> None:
    stats = selectors_stats.report_statistics()
    # Exact: 8 reports, 5 closed, 7 bribery; published rounded to a multiple of 3 (selectors_stats).
    assert (stats.total, stats.closed, stats.median_days_to_close, stats.min_count) == (9, 6, 6.0, 3)
    assert stats.rounded_to == 3
    assert [(c.key, c.count) for c in stats.by_category] == [
        ("bribery", 6),
        ("embezzlement", None),
        ("forgery", None),
        ("leak", None),
        ("service_delay", None),
        ("discrimination", None),
        ("security", None),
        ("other", None),
    ]
    assert [(c.key, c.count) for c in stats.by_status] == [
        ("received", 3),
        ("in_progress", None),
        ("closed", 6),
    ]
    assert [(c.key, c.count) for c in stats.by_year] == [("1403", 3), ("1404", 3), ("1405", None)]
    provinces = {c.key: c.count for c in stats.by_province}
    assert len(provinces) == 32
    assert (provinces["IR-23"], provinces["IR-10"], provinces["IR-07"], provinces[""]) == (3, 3, None, None)


@override_settings(TABYIN_REPORTS_STATS_MIN_COUNT=3)
def test_the_api_sends_the_same_figures_with_suppressed_counts_as_null(data: None) -> None:
    response = Client().get("/api/v1/reports/statistics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert set(body) == {
        "as_of",
        "min_count",
        "rounded_to",
        "sample_data",
        "total",
        "closed",
        "median_days_to_close",
        "by_category",
        "by_province",
        "by_status",
        "by_year",
    }
    assert body["min_count"] == 3 and body["rounded_to"] == 3 and body["sample_data"] is False
    assert body["total"] == {"count": 9, "suppressed": False}
    assert body["closed"] == {"count": 6, "suppressed": False}
    assert body["median_days_to_close"] == {"days": 6.0, "suppressed": False}
    assert _row(body["by_category"], "bribery") == {
        "key": "bribery",
        "name_fa": "رشوه یا درخواست پول بی‌مورد",
        "name_en": "Bribery or an improper demand for money",
        "count": 6,
        "suppressed": False,
    }
    assert _row(body["by_category"], "leak")["count"] is None
    assert _row(body["by_category"], "leak")["suppressed"] is True
    assert [(r["key"], r["count"]) for r in body["by_year"]] == [("1403", 3), ("1404", 3), ("1405", None)]
    assert _row(body["by_province"], "IR-23")["count"] == 3
    assert datetime.fromisoformat(body["as_of"]).date().isoformat() == body["as_of"]
    text = response.content.decode()
    assert CANARY not in text and not any(d in text for d in "۰۱۲۳۴۵۶۷۸۹")


def test_with_the_default_threshold_a_handful_of_reports_shows_nothing(data: None) -> None:
    body = Client().get("/api/v1/reports/statistics").json()
    assert (body["min_count"], body["rounded_to"]) == (5, 5)
    assert body["total"] == {"count": 10, "suppressed": False}
    assert body["closed"] == {"count": 5, "suppressed": False}
    assert _row(body["by_category"], "bribery")["count"] == 5
    assert all(r["count"] is None for r in body["by_province"])
    assert [r["count"] for r in body["by_status"]] == [None, None, 5]


def test_the_openapi_document_and_its_reference_page(org: None) -> None:
    # The reports' own document and page now lead to the API's one document and one page.
    assert Client().get("/api/v1/reports/openapi.json")["Location"] == "/api/v1/openapi.json"
    assert Client().get("/api/v1/reports/docs")["Location"] == "/api/v1/docs"
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/reports/statistics" in schema["paths"]
    assert schema["info"]["title"] == "Tabyin public API"
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200 and "GET /api/v1/reports/statistics" in page.content.decode()


@override_settings(TABYIN_REPORTS_STATS_MIN_COUNT=3)
def test_the_public_page_is_a_plain_table(data: None) -> None:
    page = Client().get(reverse("reports:statistics")).content.decode()
    assert '<tr data-key="bribery" data-count="6">' in page
    assert '<tr data-key="leak" data-count="suppressed">' in page
    assert "fewer than 3" in page and "6.0 days" in page
    assert "rounded to the nearest multiple of 3," in page
    # No script of its own (the shell's optional pwa.js aside).
    assert (
        "<script" not in page.replace('<script src="/static/tabyin/js/pwa.js"', "", 1) and CANARY not in page
    )
    with translation.override("fa"):
        url = reverse("reports:statistics")
    persian = Client().get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert url == "/reports/statistics/"
    assert '<tr data-key="1403" data-count="3">\n<th scope="row">۱۴۰۳</th>\n<td>۳</td>' in persian
    assert "<td>۶</td>" in persian and "رشوه یا درخواست پول بی‌مورد" in persian
    assert "نزدیک‌ترین مضرب ۳ گرد شده است" in persian


def test_the_figures_with_no_report_at_all(org: None) -> None:
    body = json.loads(Client().get("/api/v1/reports/statistics").content)
    assert body["total"] == {"count": None, "suppressed": True}
    assert body["median_days_to_close"] == {"days": None, "suppressed": True}
    assert body["by_year"] == []
