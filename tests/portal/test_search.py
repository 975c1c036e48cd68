"""Search: the same Persian normalization for stored text and queries, AND of words, facets, queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from tabyin.portal import search
from tabyin.portal.enums import ExplanationState
from tabyin.portal.models import Explanation, Indicator
from tests.portal.factories import observe
from tests.portal.test_public_pages import explanation, sample_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(org: None) -> dict[str, Any]:
    cache.clear()
    data = sample_figures()
    explanation(
        thread=1,
        title="پوشش تأمین اجتماعی در تهران ۱۵ درصد بیشتر شد",
        area="IR-23",
        period="1405-05",
        indicator=Indicator.objects.get(code="coverage-rate"),
    )
    explanation(thread=2, title="تأمین دارو در ایلام", area="IR-16", period="1405-04")
    explanation(thread=3, title="خدمات سرپایی در نوروز کم می‌شود")
    # Published but without search text: the explanation service has not indexed it, so it is not found.
    Explanation.objects.filter(thread=3).update(search_text="")
    explanation(thread=4, title="پیش‌نویس تأمین", state=ExplanationState.DRAFT)
    Explanation.objects.filter(thread=4).update(search_text="پیشنویستامین")
    return data


def test_query_words_are_normalized_like_the_stored_text() -> None:
    assert search.query_words("تامين") == ["تامین"]  # Arabic yeh folded, hamza optional
    assert search.query_words("تأمین  اجتماعی ۱۵") == ["اجتماعی", "تامین", "15"]
    assert search.query_words("می\u200cشود") == search.query_words("میشود")
    assert search.query_words("   ") == []


def test_arabic_yeh_without_hamza_finds_tamin(corpus: dict[str, Any]) -> None:
    results = search.search("تامين")

    assert [e.thread for e in results.explanations] == [2, 1]  # newest first; the draft is not found
    assert [i.code for i in results.indicators] == ["online-share"]  # «تأمین من» in its definition
    assert results.datasets == []


def test_every_word_must_match_and_persian_digits_match_ascii(corpus: dict[str, Any]) -> None:
    assert [e.thread for e in search.search("تامين تهران").explanations] == [1]
    assert [e.thread for e in search.search("تأمین 15").explanations] == [1]
    assert [e.thread for e in search.search("تأمین ۱۶").explanations] == []
    assert search.search("کم می‌شود").explanations == []  # thread 3 is not indexed yet


def test_datasets_and_indicators_are_found_by_their_titles(corpus: dict[str, Any]) -> None:
    results = search.search("خدمات درمانی")

    assert [d.slug for d in results.datasets] == ["services"]
    assert results.indicators == []
    assert [i.code for i in search.search("outpatient").indicators] == ["outpatient-services-per-day"]


def test_facets_count_every_match_and_filters_narrow_the_results(corpus: dict[str, Any]) -> None:
    everything = search.search("تامين")

    assert [(f.value, f.count) for f in everything.themes] == [
        ("coverage", 1),
        ("e-services", 1),
        ("services", 1),
    ]
    assert [(f.value, f.count) for f in everything.provinces] == [("IR-16", 1), ("IR-23", 1)]
    assert [(f.value, f.count) for f in everything.periods] == [("1405-05", 1), ("1405-04", 1)]

    by_theme = search.search("تامين", theme="services")
    assert [e.thread for e in by_theme.explanations] == [2] and by_theme.indicators == []
    assert [(f.value, f.count) for f in by_theme.themes] == [(f.value, f.count) for f in everything.themes]
    by_province = search.search("تامين", province="IR-23")
    assert [e.thread for e in by_province.explanations] == [1] and by_province.indicators == []
    by_period = search.search("تامين", period="1405-04")
    assert [e.thread for e in by_period.explanations] == [2] and by_period.indicators == []


def test_province_facet_counts_where_indicators_have_figures(corpus: dict[str, Any]) -> None:
    results = search.search("سرپایی")

    assert [i.code for i in results.indicators] == ["outpatient-services-per-day"]
    assert [(f.value, f.count) for f in results.provinces] == [("IR-10", 1), ("IR-16", 1), ("IR-23", 1)]
    assert [i.code for i in search.search("سرپایی", province="IR-10").indicators] == [
        "outpatient-services-per-day"
    ]
    assert search.search("سرپایی", province="IR-05").indicators == []


def test_search_page_groups_results_with_links_and_facets(client: Client, corpus: dict[str, Any]) -> None:
    html = client.get("/search/", {"q": "تامين"}).content.decode()

    assert 'href="/explanations/1/"' in html and 'href="/explanations/2/"' in html
    assert 'href="/indicators/online-share/"' in html
    assert "/explanations/4/" not in html
    assert 'value="تامين"' in html
    assert (
        'href="?q=%D8%AA%D8%A7%D9%85%D9%8A%D9%86&amp;province=IR-23">تهران</a> <span class="count">(۱)</span>'
        in html
    )

    chosen = client.get("/search/", {"q": "تامين", "province": "IR-23"}).content.decode()
    assert 'href="/explanations/1/"' in chosen and 'href="/explanations/2/"' not in chosen
    assert 'aria-current="true">تهران</a>' in chosen


def test_datasets_link_to_the_open_data_pages(client: Client, corpus: dict[str, Any]) -> None:
    html = client.get("/search/", {"q": "درمانی"}).content.decode()

    assert re.search(r'<a href="/data/services/">خدمات درمانی به تفکیک استان و ماه</a>', html)


def test_search_page_is_a_constant_number_of_queries(
    client: Client, corpus: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # datasets, indicators, explanations, where the matches have figures, province names
    with django_assert_num_queries(5):
        client.get("/search/", {"q": "تامين"})
    for iso in ("IR-00", "IR-01", "IR-02"):
        observe("online-share", iso, "1405-05", "12.5", in_release=corpus["services"])
    explanation(thread=7, title="تأمین تجهیزات", area="IR-00", period="1405-03")
    with django_assert_num_queries(5):
        client.get("/search/", {"q": "تامين", "theme": "services", "province": "IR-00"})
    with django_assert_num_queries(0):
        client.get("/search/")
