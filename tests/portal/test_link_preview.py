"""What a messenger shows for a shared link: the title and the headline figure in the description."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tabyin.portal.enums import FigureStatus
from tests.portal.factories import install_catalog, observe

pytestmark = pytest.mark.django_db


def _meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    assert found is not None, prop
    return found.group(1)


@pytest.fixture
def figures(org: None) -> None:
    install_catalog()
    observe("outpatient-services-per-day", "IR", "1404-11", 1_024_315, status=FigureStatus.PROVISIONAL)
    observe("inpatient-services-per-day", "IR", "1404-11", 13_120)
    cache.clear()


def test_home_preview_states_the_headline_figures_in_persian(figures: None) -> None:
    html = Client().get("/").content.decode()

    assert _meta(html, "og:description").startswith(
        "خدمات سرپایی در روز: ۱٬۰۲۴٬۳۱۵ خدمت در روز (بهمن ۱۴۰۴، موقت). "
        "خدمات بستری در روز: ۱۳٬۱۲۰ پذیرش در روز (بهمن ۱۴۰۴). "
    )
    assert _meta(html, "description") == _meta(html, "og:description")
    assert _meta(html, "twitter:description") == _meta(html, "og:description")


def test_indicator_preview_in_english_has_no_persian_fallback(figures: None) -> None:
    html = Client().get("/en/indicators/outpatient-services-per-day/").content.decode()

    assert _meta(html, "og:title").startswith("Outpatient services per day — ")
    assert _meta(html, "og:description") == (
        "Outpatient services per day: 1,024,315 services a day (Bahman 1404, provisional). "
        "What the organization does and what it costs, in figures by month and province, "
        "with strengths and weaknesses told side by side."
    )
