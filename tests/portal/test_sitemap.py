"""/sitemap.xml: every public page in both languages, hreflang twins, lastmod from the data."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tabyin.core.enums import Role
from tabyin.portal.enums import ExplanationKind, ExplanationState
from tabyin.portal.models import Dataset, Explanation, Indicator, Release
from tests import factories
from tests.portal.factories import install_catalog, release

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SERVICES = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
PENSIONS = datetime(2026, 10, 21, 8, 0, tzinfo=UTC)
EXPLAINED = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def _urls() -> dict[str, tuple[str | None, dict[str, str]]]:
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    found = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc is not None and loc.startswith("http://testserver/")
        alternates = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", NS)}
        found[loc.removeprefix("http://testserver")] = (url.findtext("s:lastmod", namespaces=NS), alternates)
    return found


@pytest.fixture
def published(org: None) -> None:
    install_catalog()
    Release.objects.filter(pk=release(Dataset.objects.get(slug="services")).pk).update(published_at=SERVICES)
    Release.objects.filter(pk=release(Dataset.objects.get(slug="pensions")).pk).update(published_at=PENSIONS)
    Explanation.objects.create(
        thread=7,
        indicator=Indicator.objects.get(code="outpatient-services-per-day"),
        kind=ExplanationKind.STRENGTH,
        state=ExplanationState.PUBLISHED,
        title_fa="عنوان",
        body_fa="متن",
        author=factories.persona("hq.analyst", "hq", Role.ANALYST),
        published_at=EXPLAINED,
    )


def test_pages_are_dated_by_the_publication_they_show(published: None) -> None:
    urls = _urls()

    assert urls["/"][0] == "2026-11-03"  # the newest publication of any dataset
    assert urls["/indicators/outpatient-services-per-day/"][0] == "2026-11-03"
    assert urls["/indicators/pensioners/"][0] == "2026-10-21"
    assert urls["/indicators/resources/"][0] is None  # its dataset was never published
    assert urls["/themes/services/"][0] == "2026-11-03"
    assert urls["/data/services/"][0] == "2026-11-03"
    assert urls["/data/"][0] == "2026-11-03"
    assert urls["/provinces/IR-23/"][0] == "2026-11-03"
    assert urls["/explanations/7/"][0] == "2026-11-10"


def test_every_page_is_listed_in_both_languages_with_its_twins(published: None) -> None:
    urls = _urls()

    indicators = [p for p in urls if p.startswith("/indicators/")]
    provinces = [p for p in urls if p.startswith("/provinces/")]
    assert len(indicators) == Indicator.objects.count() == 14
    assert len(provinces) == 31
    assert len([p for p in urls if p.startswith("/en/provinces/")]) == 31
    for path in ("/", "/en/", "/themes/pensions/", "/en/data/pensions/", "/en/explanations/7/"):
        assert path in urls
    assert urls["/en/indicators/pensioners/"] == (
        "2026-10-21",
        {
            "fa": "http://testserver/indicators/pensioners/",
            "en": "http://testserver/en/indicators/pensioners/",
            "x-default": "http://testserver/indicators/pensioners/",
        },
    )
    # The other apps' public pages; the report form and follow-up say noindex themselves.
    for path in (
        "/scorecard/",
        "/scorecard/method/",
        "/reports/",
        "/reports/statistics/",
        "/clarifications/",
    ):
        assert path in urls and f"/en{path}" in urls
    assert urls["/reports/"][0] is None  # a date from reports would tell when someone reported
    assert "/reports/new/" not in urls and "/reports/follow-up/" not in urls
    assert not [p for p in urls if "/staff/" in p or "/search/" in p or "/api/" in p]


def test_the_sitemap_costs_a_fixed_number_of_queries(published: None) -> None:
    with CaptureQueriesContext(connection) as before:
        _urls()
    Release.objects.filter(pk=release(Dataset.objects.get(slug="finances")).pk).update(published_at=SERVICES)
    with CaptureQueriesContext(connection) as after:
        _urls()

    assert len(after) == len(before)
