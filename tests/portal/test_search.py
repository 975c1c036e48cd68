"""Search: the same analysis for stored text and queries, ranking, synonyms, prefixes, provinces,
"did you mean", facets that narrow, the index kept in step by the services, and the page."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.portal.catalog import services as services_catalog
from tabyin.portal.enums import ExplanationKind, ExplanationState
from tabyin.portal.explanations import services as services_explanation
from tabyin.portal.models import Explanation, Indicator, SearchDoc
from tabyin.portal.search import index as search_index
from tabyin.portal.search import selectors as search
from tabyin.portal.search.query import parse_query
from tests import factories
from tests.portal.test_public_pages import explanation, sample_figures

pytestmark = pytest.mark.django_db


def published(**fields: Any) -> Explanation:
    """An explanation row as the explanation service leaves it, its search document written."""
    row = explanation(**fields)
    search_index.index_explanation(row)
    return row


@pytest.fixture
def corpus(org: None) -> dict[str, Any]:
    cache.clear()
    data = sample_figures()
    published(
        thread=1,
        title="پوشش تأمین اجتماعی در تهران ۱۵ درصد بیشتر شد",
        area="IR-23",
        period="1405-05",
        indicator=Indicator.objects.get(code="coverage-rate"),
    )
    published(thread=2, title="تأمین دارو در ایلام", area="IR-16", period="1405-04")
    # Published, but the explanation service never indexed it: search does not find it.
    explanation(thread=3, title="خدمات سرپایی در نوروز کم می‌شود")
    # A draft has no search document, even if someone asks to index it.
    search_index.index_explanation(explanation(thread=4, title="پیش‌نویس تأمین", state=ExplanationState.DRAFT))
    return data


def found(text: str, **facets: str) -> list[tuple[str, str]]:
    return [(h.doc.kind, h.doc.key) for h in search.search(text, **facets).hits]


def test_query_groups_fold_spellings_zwnj_and_digits() -> None:
    (group,) = parse_query("تامين")  # Arabic yeh
    assert group.exact == frozenset({"تامین"}) and group.prefix == "تامین"
    assert parse_query("تأمین")[0].exact == parse_query("تامین")[0].exact  # optional hamza
    assert parse_query("می\u200cشود")[0].exact == parse_query("میشود")[0].exact
    assert [g.words for g in parse_query("پوشش بیمه در تهران ۱۵")] == ["پوشش بیمه", "تهران", "15"]
    assert parse_query("   ") == []
    # A synonym phrase is one group, with its concept; a stop word alone is still a query.
    (pension,) = parse_query("حقوق بازنشستگی")
    assert pension.concepts == frozenset({"qsyn1"}) and len(pension.parts) == 2
    assert [g.words for g in parse_query("در")] == ["در"]


def test_arabic_yeh_without_hamza_finds_tamin_ranked(corpus: dict[str, Any]) -> None:
    # Both explanations have «تأمین» in the title (three times the weight of the text); the draft
    # and the explanation the service never indexed are not found.
    assert found("تامين") == [
        ("explanation", "2"),
        ("explanation", "1"),
        ("indicator", "online-share"),  # «تأمین من» in its definition
        ("indicator", "coverage-rate"),  # «تأمین اجتماعی» in why it matters
    ]


def test_a_document_matching_more_words_comes_first(corpus: dict[str, Any]) -> None:
    assert found("تأمین تهران")[:3] == [("explanation", "1"), ("province", "IR-23"), ("explanation", "2")]
    assert found("تأمین 15")[0] == ("explanation", "1")  # Persian digits in the title, ASCII typed


def test_a_province_name_puts_the_province_page_first(corpus: dict[str, Any]) -> None:
    assert found("تهران") == [("province", "IR-23"), ("explanation", "1")]
    assert found("Tehran") == [("province", "IR-23")]
    assert found("تبریز") == [("province", "IR-03")]  # the capital, from the synonym list


def test_synonyms_and_stems_find_what_people_mean(corpus: dict[str, Any]) -> None:
    # Nothing in the catalogue says «بازنشستگی» in a title: «مستمری» is the same thing.
    assert found("بازنشستگی")[:4] == [
        ("theme", "pensions"),
        ("indicator", "pensioners"),  # «بازنشستگان» in its definition too
        ("indicator", "pensions-paid"),
        ("dataset", "pensions"),
    ]
    # «حقوق بازنشستگی» is the pension paid: that indicator now comes before the pensioners.
    assert found("حقوق بازنشستگی")[:4] == [
        ("theme", "pensions"),
        ("indicator", "pensions-paid"),
        ("indicator", "pensioners"),
        ("dataset", "pensions"),
    ]
    assert found("مستمری‌بگیران")[:2] == found("مستمری بگیران")[:2] == found("مستمریبگیران")[:2]
    assert found("مستمری‌بگیران")[:2] == [("indicator", "pensioners"), ("dataset", "pensions")]
    # The employer pays the contributions («حق بیمه»), which these definitions mention.
    assert ("indicator", "resources") in found("کارفرما")[:5]
    assert ("indicator", "main-insured") in found("کارفرما")[:5]


def test_prefixes_match_while_typing(corpus: dict[str, Any]) -> None:
    assert found("بازنش") == [
        ("theme", "pensions"),
        ("indicator", "main-insured"),
        ("indicator", "pensioners"),
    ]
    assert found("تهر") == [("province", "IR-23"), ("explanation", "1")]


def test_did_you_mean_corrects_from_the_index_vocabulary(corpus: dict[str, Any]) -> None:
    typo = search.search("تهرن")
    assert (typo.suggestion, typo.corrected) == ("تهران", True)  # nothing matched: the suggestion's hits
    assert [(h.doc.kind, h.doc.key) for h in typo.hits] == [("province", "IR-23"), ("explanation", "1")]

    partly = search.search("بیمارستن تهران")
    assert (partly.suggestion, partly.corrected) == ("بیمارستان تهران", False)
    assert [(h.doc.kind, h.doc.key) for h in partly.hits] == [("province", "IR-23"), ("explanation", "1")]

    assert search.search("تهران").suggestion == ""
    assert search.search("zzzzqqq").hits == [] and search.search("zzzzqqq").suggestion == ""


def test_facets_offer_only_values_that_narrow_and_filters_narrow(corpus: dict[str, Any]) -> None:
    everything = search.search("تامين")
    assert everything.matched == 4
    assert [(f.value, f.count) for f in everything.themes] == [
        ("coverage", 2),
        ("e-services", 1),
        ("services", 1),
    ]
    assert [(f.value, f.count) for f in everything.provinces] == [("IR-10", 1), ("IR-16", 2), ("IR-23", 2)]
    assert [(f.value, f.count) for f in everything.periods] == [("1405-05", 1), ("1405-04", 1)]

    assert found("تامين", theme="coverage") == [("explanation", "1"), ("indicator", "coverage-rate")]
    assert found("تامين", province="IR-16") == [("explanation", "2"), ("indicator", "coverage-rate")]
    assert found("تامين", period="1405-04") == [("explanation", "2")]

    # «تهران»: both matches are about Tehran, so the province facet would narrow nothing.
    tehran = search.search("تهران")
    assert tehran.provinces == [] and [(f.value, f.count) for f in tehran.themes] == [("coverage", 1)]
    # ... but a chosen value stays listed, so it can be taken back.
    assert [(f.value, f.count) for f in search.search("تهران", province="IR-23").provinces] == [("IR-23", 2)]


def test_the_index_follows_catalogue_edits_and_explanation_versions(
    corpus: dict[str, Any], hq_admin: User, hq_analyst: User
) -> None:
    indicator = Indicator.objects.get(code="support-ratio")
    indicator.name_fa = "نسبت بیمه‌پرداز به مستمری‌بگیر"
    services_catalog.catalog_entry_save(actor=hq_admin, obj=indicator, changed=["name_fa"], is_new=False)
    assert found("بیمه‌پرداز")[0] == ("indicator", "support-ratio")
    assert SearchDoc.objects.get(kind="indicator", key="support-ratio").title_fa == indicator.name_fa

    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    draft = services_explanation.explanation_draft(
        actor=hq_analyst,
        indicator=indicator,
        kind=ExplanationKind.WEAKNESS,
        title_fa="صندوق زیر فشار",
        body_fa="متن",
    )
    assert "صندوق" not in " ".join(d.title_fa for d in SearchDoc.objects.all())  # a draft is not searchable
    services_explanation.explanation_submit(actor=hq_analyst, explanation=draft)
    services_explanation.explanation_approve(actor=manager, explanation=draft)
    assert found("صندوق فشار")[0] == ("explanation", str(draft.thread))

    revised = services_explanation.explanation_revise(
        actor=hq_analyst, explanation=draft, title_fa="صندوق استوار"
    )
    services_explanation.explanation_submit(actor=hq_analyst, explanation=revised)
    unapproved = search.search("استوار")  # the new version is not public until approved ...
    assert unapproved.corrected and unapproved.suggestion != "استوار"  # ... so the word is unknown
    services_explanation.explanation_approve(actor=manager, explanation=revised)
    assert SearchDoc.objects.filter(kind="explanation", key=str(draft.thread)).count() == 1
    assert found("استوار") == [("explanation", str(draft.thread))]
    assert ("explanation", str(draft.thread)) not in found("فشار")  # the old version's title is gone


def test_rebuild_writes_the_same_documents_as_the_services(corpus: dict[str, Any]) -> None:
    before = sorted(SearchDoc.objects.values_list("kind", "key", "title_terms", "body_terms"))
    Explanation.objects.filter(thread=3).delete()  # the one the fixture left unindexed on purpose
    assert search_index.rebuild() == len(before) == 31 + 5 + 5 + 14 + 2
    assert sorted(SearchDoc.objects.values_list("kind", "key", "title_terms", "body_terms")) == before


def test_results_come_before_the_facets_and_matches_are_marked(
    client: Client, corpus: dict[str, Any]
) -> None:
    html = client.get("/search/", {"q": "تامين"}).content.decode()

    assert html.index('class="results"') < html.index('class="facets"')  # phones reach results first
    assert '<a href="/explanations/2/"><mark>تأمین</mark> دارو در ایلام</a>' in html
    assert 'href="/indicators/online-share/"' in html and "/explanations/4/" not in html
    assert 'value="تامين"' in html
    assert (
        'href="?q=%D8%AA%D8%A7%D9%85%D9%8A%D9%86&amp;province=IR-23">تهران</a> <span class="count">(۲)</span>'
        in html
    )

    chosen = client.get("/search/", {"q": "تامين", "province": "IR-23"}).content.decode()
    assert 'href="/explanations/1/"' in chosen and 'href="/explanations/2/"' not in chosen
    assert 'aria-current="true">تهران</a>' in chosen


def test_highlighting_escapes_the_stored_text(client: Client, corpus: dict[str, Any]) -> None:
    published(thread=9, title="<b>تهران</b> & «تأمین»")
    html = client.get("/search/", {"q": "تهران"}).content.decode()

    assert "&lt;b&gt;<mark>تهران</mark>&lt;/b&gt; &amp; «تأمین»" in html
    assert "<b>تهران" not in html


def test_the_page_says_did_you_mean_and_links_to_it(client: Client, corpus: dict[str, Any]) -> None:
    html = client.get("/search/", {"q": "بیمارستن تهران"}).content.decode()
    assert re.search(r'<a href="\?q=%D8%A8[^"]*" dir="auto">بیمارستان تهران</a>', html)


def test_datasets_link_to_the_open_data_pages(client: Client, corpus: dict[str, Any]) -> None:
    html = client.get("/search/", {"q": "درمانی"}).content.decode()

    assert '<a href="/data/services/">خدمات <mark>درمانی</mark> به تفکیک استان و ماه</a>' in html


def test_search_page_is_a_constant_number_of_queries(
    client: Client, corpus: dict[str, Any], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # the match, where the matches have figures, province names, theme names
    with django_assert_num_queries(4):
        client.get("/search/", {"q": "تامين"})
    published(thread=7, title="تأمین تجهیزات", area="IR-00", period="1405-03")
    with django_assert_num_queries(4):
        client.get("/search/", {"q": "تامين", "theme": "services", "province": "IR-00"})
    with django_assert_num_queries(0):
        client.get("/search/")


def test_the_rebuild_command_writes_every_document_again(corpus: dict[str, Any]) -> None:
    out = io.StringIO()
    SearchDoc.objects.filter(kind="province").delete()
    call_command("portal_search_rebuild", stdout=out)
    # 31 provinces, 5 themes, 5 datasets, 14 indicators and the 3 published explanations (the one
    # the fixture left unindexed is published, so a rebuild indexes it).
    assert out.getvalue() == "search index: 58 documents\n"
    assert found("تهران")[0] == ("province", "IR-23")
