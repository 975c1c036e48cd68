"""The public pages: exact figures in Persian, months, changes in words, charts, map and query counts."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries

from tabyin.core.enums import Role
from tabyin.core.persian_text import search_key
from tabyin.portal.enums import ExplanationKind, ExplanationState, FigureStatus
from tabyin.portal.models import Dataset, Explanation, Indicator, Observation, Release, Revision
from tabyin.portal.release.services import data_version_bump
from tests import factories as core_factories
from tests.portal.factories import install_catalog, observe, release

pytestmark = pytest.mark.django_db

# 14 months: Tir 1404 … Mordad 1405; the last one is provisional.
MONTHS = [f"1404-{m:02d}" for m in range(4, 13)] + [f"1405-{m:02d}" for m in range(1, 6)]
OUTPATIENT_IR = [1_000_000 + 2_000 * i for i in range(13)] + [1_024_315]
PROVINCES = {"IR-23": 240_000, "IR-10": 95_500, "IR-16": 7_250}  # Tehran, Isfahan, Ilam (latest month)


def _gettext(language: str, message: str, **values: str) -> str:
    """A UI string as the page shows it in that language (the Persian catalog may still lack it)."""
    with translation.override(language):
        return translation.gettext(message) % values


def sample_figures() -> dict[str, Any]:
    """A small exact dataset: outpatient services (IR, three provinces, 14 months), coverage rate
    with numerator and denominator, covered people and resources for the change texts."""
    install_catalog()
    services = release(Dataset.objects.get(slug="services"))
    for period, value in zip(MONTHS, OUTPATIENT_IR, strict=True):
        status = FigureStatus.PROVISIONAL if period == MONTHS[-1] else FigureStatus.FINAL
        observe("outpatient-services-per-day", "IR", period, value, status=status, in_release=services)
    for i, period in enumerate(MONTHS[:-1]):
        observe("outpatient-services-per-day", "IR-23", period, 230_000 + 500 * i, in_release=services)
    for iso, value in PROVINCES.items():
        observe(
            "outpatient-services-per-day",
            iso,
            MONTHS[-1],
            value,
            status=FigureStatus.PROVISIONAL,
            in_release=services,
        )
    Observation.objects.filter(
        indicator__code="outpatient-services-per-day", area="IR", period=MONTHS[-1]
    ).update(change_prev=Decimal("0.0230"), change_yoy=Decimal("-0.0150"))
    coverage = release(Dataset.objects.get(slug="coverage"))
    observe(
        "coverage-rate",
        "IR",
        "1405-05",
        "58.4",
        numerator=46_700_000,
        denominator=79_926_270,
        in_release=coverage,
    )
    for iso, value in {"IR-23": "71.2", "IR-10": "63.5", "IR-16": "41.0"}.items():
        observe("coverage-rate", iso, "1405-05", value, numerator=1, denominator=2, in_release=coverage)
    covered = observe("covered-people", "IR", "1405-05", 46_700_000, in_release=coverage)
    Observation.objects.filter(pk=covered.pk).update(
        change_prev=Decimal("0.0230"), change_yoy=Decimal("0.0410")
    )
    finances = release(Dataset.objects.get(slug="finances"))
    resources = observe("resources", "IR", "1405-05", 61_200, in_release=finances)
    Observation.objects.filter(pk=resources.pk).update(change_prev=Decimal("-0.0500"))
    return {"services": services}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def figures(org: None) -> dict[str, Any]:
    return sample_figures()


def _text(html: str) -> str:
    """Visible text with tags removed and white space collapsed, for exact phrase checks."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Home ---------------------------------------------------------------------------------------------


def test_home_shows_each_headline_with_value_month_status_change_and_source(
    client: Client, figures: dict[str, Any]
) -> None:
    html = _get(client, "/overview/")
    text = _text(html)

    card = text[text.index("خدمات سرپایی در روز") :]
    card = card[: card.index("خدمات بستری در روز")]
    assert "۱٬۰۲۴٬۳۱۵ خدمت در روز" in card
    assert _gettext("fa", "Latest month: %(month)s", month="مرداد ۱۴۰۵") in card
    assert _gettext("fa", "Provisional") in card
    assert _gettext("fa", "%(pct)s more than the previous month", pct="۲٫۳٪") in card
    assert _gettext("fa", "%(pct)s less than the same month last year", pct="۱٫۵٪") in card
    assert _gettext("fa", "better") not in card  # neutral indicator: no verdict
    assert "سازمان تأمین اجتماعی، دفتر آمار و محاسبات اقتصادی و اجتماعی" in card
    assert f'href="{reverse("portal:indicator", args=["outpatient-services-per-day"])}"' in html
    # Headlines in headline order, themes after them.
    order = [
        text.index(n)
        for n in ("خدمات سرپایی در روز", "خدمات بستری در روز", "جمعیت زیر پوشش", "مستمری‌بگیران اصلی")
    ]
    assert order == sorted(order)
    assert "چند نفر زیر پوشش بیمهٔ سازمان‌اند و این پوشش در استان‌ها چه اندازه است." in text


def test_home_says_whether_a_change_is_good_or_bad(client: Client, figures: dict[str, Any]) -> None:
    html = _get(client, "/overview/")

    covered = re.search(r'<li class="tone-good">.*?</li>', html, re.S)
    resources = re.search(r'<li class="tone-bad">.*?</li>', html, re.S)
    assert covered is not None and resources is not None
    better = _gettext("fa", "%(pct)s more than the previous month", pct="۲٫۳٪")
    assert _text(covered[0]) == f"▲ {better} ({_gettext('fa', 'better')})"
    worse = _gettext("fa", "%(pct)s less than the previous month", pct="۵٫۰٪")
    assert _text(resources[0]) == f"▼ {worse} ({_gettext('fa', 'worse')})"


def test_home_in_english_has_ascii_digits_and_transliterated_months(
    client: Client, figures: dict[str, Any]
) -> None:
    text = _text(_get(client, "/en/overview/"))

    assert "1,024,315 services a day" in text
    assert "Latest month: Mordad 1405" in text
    assert "2.3% more than the previous month" in text
    assert "Outpatient services per day" in text


def test_home_is_a_constant_number_of_queries(
    client: Client, figures: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries, settings: Any
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries (core.response_cache off)
    with django_assert_num_queries(4):  # data version, headline indicators, national series, themes
        client.get("/overview/")
    cache.clear()
    for period in ("1403-01", "1403-02", "1403-03"):
        observe("pensioners", "IR", period, 4_000_000, in_release=figures["services"])
        observe("outpatient-services-per-day", "IR-05", period, 20_000, in_release=figures["services"])
    with django_assert_num_queries(4):
        client.get("/overview/")
    with django_assert_num_queries(1):  # only the shared data version, until the next publication
        client.get("/overview/")


def test_a_publication_bumps_the_data_version_and_the_home_shows_it(
    client: Client, figures: dict[str, Any]
) -> None:
    assert "۱٬۰۲۴٬۳۱۵" in _get(client, "/overview/")
    Observation.objects.filter(
        indicator__code="outpatient-services-per-day", area="IR", period="1405-05"
    ).update(value=Decimal("1030000"))
    assert "۱٬۰۲۴٬۳۱۵" in _get(client, "/overview/")  # still the cached page
    data_version_bump()

    assert "۱٬۰۳۰٬۰۰۰" in _get(client, "/overview/")


def test_home_is_also_reversible_as_the_site_home(figures: dict[str, Any]) -> None:
    assert reverse("portal:home") == "/"
    assert reverse("portal:overview") == "/overview/"
    with translation.override("en"):
        assert reverse("portal:overview") == "/en/overview/"


# --- Theme ----------------------------------------------------------------------------------------------


def test_theme_page_lists_its_indicators_with_sparklines_and_explanations(
    client: Client, figures: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries, settings: Any
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries (core.response_cache off)
    explanation(thread=1, title="چرا خدمات سرپایی در فروردین کم می‌شود")

    with django_assert_num_queries(6):  # data version, theme, indicators, series, provinces, explanations
        html = _get(client, "/themes/services/")

    text = _text(html)
    assert "خدمات درمانی" in text
    assert "۱٬۰۲۴٬۳۱۵ خدمت در روز" in text
    assert html.count('<svg class="spark"') == 1  # only outpatient services has two months or more
    assert "چرا خدمات سرپایی در فروردین کم می‌شود" in text
    assert 'href="/explanations/1/"' in html


def test_unknown_theme_indicator_and_province_are_404(client: Client, figures: dict[str, Any]) -> None:
    assert client.get("/themes/no-such-theme/").status_code == 404
    assert client.get("/indicators/no-such-indicator/").status_code == 404
    assert client.get("/provinces/IR-99/").status_code == 404
    assert client.get("/provinces/XX/").status_code == 404
    assert client.get("/explanations/999/").status_code == 404


# --- Province --------------------------------------------------------------------------------------------


def test_province_page_puts_the_province_beside_the_nation_with_its_rank_and_peers(
    client: Client, figures: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries, settings: Any
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries (core.response_cache off)
    with django_assert_num_queries(5):  # data version, provinces, indicators, observations, explanations
        html = _get(client, "/provinces/IR-23/")
    text = _text(html)

    row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/indicators/coverage-rate/\">.*?</tr>", html, re.S)
    assert row is not None
    cells = _text(row[0])
    assert "۷۱٫۲" in cells and "۵۸٫۴" in cells and "مرداد ۱۴۰۵" in cells
    with translation.override("fa"):
        assert translation.gettext("rank %(rank)s of %(total)s") % {"rank": "۱", "total": "۳"} in cells
    outpatient = re.search(r'<a href="/indicators/outpatient-services-per-day/">.*?</tr>', html, re.S)
    assert outpatient is not None
    with translation.override("fa"):
        position = translation.gettext("position %(position)s of %(total)s from the highest")
    assert position % {"position": "۱", "total": "۳"} in _text(outpatient[0])
    assert "۲۴۰٬۰۰۰" in _text(outpatient[0]) and "۱٬۰۲۴٬۳۱۵" in _text(outpatient[0])
    # Tehran (13.3 M) is closest in population to Razavi Khorasan, Isfahan and Fars.
    peers = re.search(r'<ul class="peers">.*?</ul>', html, re.S)
    assert peers is not None
    assert re.findall(r'href="/provinces/(IR-\d\d)/"', peers[0]) == ["IR-09", "IR-10", "IR-07"]
    assert "تهران" in text


def test_province_page_query_count_does_not_grow_with_data(
    client: Client, figures: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries, settings: Any
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries (core.response_cache off)
    for iso in ("IR-00", "IR-01", "IR-02", "IR-03"):
        observe("coverage-rate", iso, "1405-05", "50.0", in_release=figures["services"])
        observe("coverage-rate", iso, "1405-04", "49.0", in_release=figures["services"])

    with django_assert_num_queries(5):
        client.get("/provinces/IR-23/")


# --- Explanation -----------------------------------------------------------------------------------------


def explanation(
    *, thread: int, title: str, version: int = 1, state: str = ExplanationState.PUBLISHED, **extra: Any
) -> Explanation:
    """An explanation row as the explanation service leaves it (search text filled on publication)."""
    fields: dict[str, Any] = {
        "indicator": Indicator.objects.get(code="outpatient-services-per-day"),
        "kind": ExplanationKind.CAVEAT,
        "body_fa": "در تعطیلات نوروز مراکز کمتری باز است.",
        **extra,
    }
    public = state in (ExplanationState.PUBLISHED, ExplanationState.SUPERSEDED)
    return Explanation.objects.create(
        thread=thread,
        version=version,
        state=state,
        title_fa=title,
        author=core_factories.UserFactory(),
        search_text=search_key(f"{title} {fields['body_fa']}") if public else "",
        published_at=timezone.now() if public else None,
        **fields,
    )


def test_explanation_page_shows_the_published_version_its_figure_and_history(
    client: Client, figures: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries, settings: Any
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries (core.response_cache off)
    explanation(thread=5, version=1, state=ExplanationState.SUPERSEDED, title="نسخهٔ قدیمی")
    explanation(
        thread=5,
        version=2,
        title="افت خدمات تهران در مرداد",
        kind=ExplanationKind.WEAKNESS,
        area="IR-23",
        period="1405-05",
        action_fa="ساعت کار درمانگاه‌ها افزایش یافت.",
        evidence=[
            {"title": "گزارش", "url": "https://example.org/report"},
            {"title": "x", "url": "javascript:alert(1)"},
        ],
    )
    explanation(thread=5, version=3, state=ExplanationState.DRAFT, title="پیش‌نویس تازه")

    with django_assert_num_queries(3):  # versions, provinces, the figure
        html = _get(client, "/explanations/5/")
    text = _text(html)

    assert '<span class="kind kind-weakness">' in html
    assert _gettext("fa", "Weakness") in text
    assert "افت خدمات تهران در مرداد" in text
    assert "ساعت کار درمانگاه‌ها افزایش یافت." in text
    assert 'href="https://example.org/report"' in html and "javascript:" not in html
    assert "۲۴۰٬۰۰۰" in text and "تهران" in text and "مرداد ۱۴۰۵" in text
    assert "پیش‌نویس تازه" not in text and "نسخهٔ قدیمی" not in text  # only numbers and dates of old versions
    versions = re.findall(r'<tr><th scope="row">(.)</th>', html)
    assert versions == ["۲", "۱"]
    assert 'name="target" value="explanation"' in html


def test_a_draft_only_thread_is_not_public(client: Client, figures: dict[str, Any]) -> None:
    explanation(thread=9, state=ExplanationState.DRAFT, title="پیش‌نویس")
    assert client.get("/explanations/9/").status_code == 404


def test_revisions_are_listed_on_the_indicator_page(client: Client, figures: dict[str, Any]) -> None:
    obs = Observation.objects.get(
        indicator__code="outpatient-services-per-day", area="IR-23", period="1404-06"
    )
    Revision.objects.create(
        observation=obs,
        release=Release.objects.first(),
        old_value=Decimal("231000"),
        new_value=Decimal("231500"),
        old_status=FigureStatus.PROVISIONAL,
        new_status=FigureStatus.FINAL,
        reason="اسناد پزشکان طرف قرارداد رسید.",
    )

    html = _get(client, "/indicators/outpatient-services-per-day/")
    section = html[html.index('id="revisions"') : html.index('id="explanations"')]
    row = _text(re.findall(r"<tbody>.*?</tbody>", section, re.S)[0])

    assert row.startswith("شهریور ۱۴۰۴ تهران ۲۳۱٬۰۰۰")
    assert "۲۳۱٬۵۰۰" in row and "اسناد پزشکان طرف قرارداد رسید." in row


def test_staff_persona_is_not_needed_to_read(client: Client, figures: dict[str, Any]) -> None:
    core_factories.persona("hq.analyst", "hq", Role.ANALYST)
    assert client.get("/indicators/coverage-rate/").status_code == 200


def test_explanation_digits_are_stored_ascii_and_shown_persian(org: None) -> None:
    """normalize() stores ASCII digits (for search and matching); the page must show Persian ones."""
    from tabyin.portal import demo as portal_demo

    portal_demo.catalog_install()
    from tabyin.core.demo import load as core_load

    core_load()
    portal_demo._explanations()
    weakness = Explanation.objects.get(indicator__code="coverage-rate", state="published")

    page = Client().get(f"/explanations/{weakness.thread}/").content.decode()

    assert "حدود 28 درصد" in weakness.body_fa
    assert "حدود ۲۸ درصد" in page
    assert "حدود 28 درصد" not in page
