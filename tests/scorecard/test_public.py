"""The scorecard's public pages on the transparency site: exact figures (worked out by hand in
``pub_helpers``), Persian digits, nothing of an unpublished period, constant queries.

English pages are checked word for word; Persian pages are checked for what does not depend on
the translation catalogue (digits, names, band names from the framework)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from tabyin.scorecard.enums import PeriodState
from tabyin.scorecard.models import Period, ProvinceResult
from tabyin.scorecard.periods.services_scoring import period_seed
from tests.scorecard.pub_helpers import ROWS_1403, ROWS_1404, publish, small_framework, two_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org: None) -> tuple[Period, Period]:
    return two_years()


# --- The period page ------------------------------------------------------------------------------


def test_period_page_shows_the_ranking_with_ties_peers_intervals_and_changes(
    published: Any, client: Client
) -> None:
    response = client.get("/en/scorecard/1404/")

    assert response.status_code == 200
    assertInHTML(
        """<tr><td class="num">1</td>
        <th scope="row"><a href="/en/scorecard/1404/IR-23/">Tehran</a></th>
        <td class="num">96.67</td>
        <td><span class="badge scp-band scp-band-1">Leading</span></td>
        <td>Large provinces <span class="scp-nowrap">(1)</span></td>
        <td>1</td>
        <td><span class="tone-good"><span aria-hidden="true">▲</span> up 2 places</span>
            <span class="help">(was 3)</span></td></tr>""",
        response.content.decode(),
    )
    assertInHTML(
        """<tr><td class="num">2</td>
        <th scope="row"><a href="/en/scorecard/1404/IR-20/">Semnan</a></th>
        <td class="num">77.78</td>
        <td><span class="badge scp-band scp-band-2">Active</span></td>
        <td>Small provinces <span class="scp-nowrap">(1)</span></td>
        <td>2</td>
        <td><span class="tone-bad"><span aria-hidden="true">▼</span> down 1 places</span>
            <span class="help">(was 1)</span></td></tr>""",
        response.content.decode(),
    )
    # 28 provinces entered nothing: 0.00, tied at rank 4 (competition ranking: 1, 2, 3, 4, 4, …).
    assertInHTML(
        """<tr><td class="num">4 <span class="help">(tied)</span></td>
        <th scope="row"><a href="/en/scorecard/1404/IR-00/">Markazi</a></th>
        <td class="num">0.00</td>
        <td><span class="badge scp-band scp-band-4">Needs improvement</span></td>
        <td>Medium provinces <span class="scp-nowrap">(1)</span></td>
        <td>4</td>
        <td><span class="tone-neutral"><span aria-hidden="true">=</span> same rank</span>
            <span class="help">(was 4)</span></td></tr>""",
        response.content.decode(),
    )
    assertContains(
        response, '<caption id="ranking-caption">Ranking of the 31 provinces, Year 1404</caption>', html=True
    )
    assertContains(response, '<th scope="col">Change since Year 1403</th>', html=True)
    assertContains(response, '<a href="/api/v1/scorecards/1404/" type="application/json">', count=1)
    assertContains(response, '<a href="/en/scorecard/method/">How the scores are computed</a>', html=True)


def test_period_page_shows_band_cut_offs_and_the_main_indicator_scores(
    published: Any, client: Client
) -> None:
    response = client.get("/en/scorecard/1404/")

    html = response.content.decode()
    assertInHTML(
        """<tr><th scope="row"><span class="badge scp-band scp-band-2">Active</span></th>
        <td class="num">60</td><td class="num">1</td></tr>""",
        html,
    )
    assertInHTML(
        """<tr><th scope="row"><span class="badge scp-band scp-band-4">Needs improvement</span></th>
        <td class="num">0</td><td class="num">29</td></tr>""",
        html,
    )
    # The matrix: one row per province, the main indicators in framework order, then the total.
    assertInHTML(
        """<tr><th scope="row"><a href="/en/scorecard/1404/IR-20/">Semnan</a></th>
        <td class="num">100.00</td><td class="num">33.33</td><td class="num scp-total">77.78</td></tr>""",
        html,
    )
    assertInHTML(
        '<li>Media relations <span class="help">weight 66.7%</span></li>',
        html,
    )


def test_an_unstable_rank_is_marked(published: tuple[Period, Period], client: Client) -> None:
    _before, latest = published
    ProvinceResult.objects.filter(
        run__period=latest, run__is_current=True, province__iso_code="IR-10"
    ).update(rank_low=2, rank_high=5, stable=False)

    response = client.get("/en/scorecard/1404/")

    assertContains(response, '<td>2 to 5 <span class="badge scp-unstable">unstable</span></td>', html=True)
    assertContains(response, "1 province has an unstable rank in this period.")


def test_the_page_says_where_the_appeal_window_stands(
    published: tuple[Period, Period], client: Client
) -> None:
    _before, latest = published

    assertContains(client.get("/en/scorecard/1404/"), "Provinces may appeal until")
    assertContains(
        client.get("/en/scorecard/1403/"), "the appeal window is closed and these results are final"
    )
    Period.objects.filter(pk=latest.pk).update(appeal_until=timezone.now() - timedelta(days=1))
    assertContains(client.get("/en/scorecard/1404/"), "the results become final once every appeal is decided")


def test_persian_page_uses_persian_digits_and_names(published: Any, client: Client) -> None:
    response = client.get("/scorecard/1404/")

    html = response.content.decode()
    assertInHTML('<th scope="row"><a href="/scorecard/1404/IR-23/">تهران</a></th>', html)
    assertInHTML('<td class="num">۹۶٫۶۷</td>', html)
    assertInHTML('<span class="badge scp-band scp-band-1">پیشرو</span>', html)
    assert '<td class="num">96.67</td>' not in html
    assert response.context["rows"][0].total == Decimal("96.67")


# --- One province ---------------------------------------------------------------------------------


def test_province_page_in_english(published: Any, client: Client) -> None:
    response = client.get("/en/scorecard/1404/IR-20/")

    html = response.content.decode()
    assert response.status_code == 200
    assertInHTML("<h1>Semnan</h1>", html)
    assertInHTML(
        """<div><dt>Total score</dt><dd><span class="scp-big">77.78</span>
        <span class="help">out of 100</span></dd></div>""",
        html,
    )
    assertInHTML("<div><dt>Rank</dt><dd>2 of 31</dd></div>", html)
    assertInHTML("<div><dt>Rank interval</dt><dd>2</dd></div>", html)
    assertInHTML("<div><dt>Peer group</dt><dd>Small provinces — rank 1 in the group</dd></div>", html)
    assertInHTML(
        """<div><dt>Year 1403</dt><dd>total 100.00, rank 1
        <span class="tone-bad"><span aria-hidden="true">▼</span> down 1 places</span></dd></div>""",
        html,
    )
    assertInHTML(
        """<tr><th scope="row">Rumour response</th><td class="num">33.3%</td>
        <td><div class="scp-score-cell"><span class="num scp-score">33.33</span>
        <svg class="scp-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"
        focusable="false"><rect class="scp-bar-track" width="100" height="10"/>
        <rect class="scp-bar-fill" width="33.33" height="10"/></svg></div></td>
        <td class="num">100.00</td></tr>""",
        html,
    )
    assertInHTML(
        '<li>Time to answer a rumour <span class="help scp-code" dir="ltr">S3</span></li>',
        html,
    )


def test_province_page_in_persian(published: Any, client: Client) -> None:
    response = client.get("/scorecard/1404/IR-23/")

    html = response.content.decode()
    assertInHTML("<h1>تهران</h1>", html)
    assertInHTML('<span class="scp-big">۹۶٫۶۷</span>', html)
    assertInHTML('<span class="num scp-score">۹۵٫۰۰</span>', html)
    assertNotContains(response, "Missing data")  # Tehran reported everything


def test_unknown_province_or_code_is_404(published: Any, client: Client) -> None:
    assert client.get("/scorecard/1404/IR-99/").status_code == 404
    assert client.get("/scorecard/1404/XX/").status_code == 404
    assert client.get("/scorecard/nonsense/").status_code == 404


def test_persian_digits_in_the_address_work(published: Any, client: Client) -> None:
    assert client.get("/scorecard/۱۴۰۴/").status_code == 200


# --- Nothing unpublished leaks --------------------------------------------------------------------


def test_unpublished_periods_are_404_and_never_listed(published: Any, client: Client) -> None:
    framework = Period.objects.get(code="1404").framework
    publish("1404-Q3", framework, ROWS_1404, state=PeriodState.FROZEN)

    unknown = client.get("/scorecard/1404-Q2/")
    frozen = client.get("/scorecard/1404-Q3/")

    assert frozen.status_code == unknown.status_code == 404
    # Not even a hint that the period exists: the same page, but for the address it names.
    assert frozen.content.replace(b"Q3", b"Q?") == unknown.content.replace(b"Q2", b"Q?")
    assert client.get("/scorecard/1404-Q3/IR-23/").status_code == 404
    for url in ("/scorecard/", "/en/scorecard/", "/en/scorecard/1404/", "/en/scorecard/method/"):
        assertNotContains(client.get(url), "Q3")
        assertNotContains(client.get(url), "Quarter")


def test_a_rank_change_never_compares_with_an_unpublished_period(org: None, client: Client) -> None:
    framework = small_framework()
    publish("1403", framework, ROWS_1403, state=PeriodState.FROZEN)
    publish("1404", framework, ROWS_1404)

    period_page = client.get("/en/scorecard/1404/")
    province_page = client.get("/en/scorecard/1404/IR-23/")

    for response in (period_page, province_page):
        assertNotContains(response, "1403")
        assertNotContains(response, "was 3")
    assertNotContains(period_page, "Change since")


# --- Index and method -----------------------------------------------------------------------------


def test_index_lists_published_periods_and_the_latest_ranking(published: Any, client: Client) -> None:
    response = client.get("/en/scorecard/")

    html = response.content.decode()
    assertInHTML(
        """<tr><td class="num">1</td><th scope="row"><a href="/en/scorecard/1404/IR-23/">Tehran</a></th>
        <td class="num">96.67</td><td><span class="badge scp-band scp-band-1">Leading</span></td></tr>""",
        html,
    )
    assertInHTML(
        """<li><span class="badge scp-band scp-band-4">Needs improvement</span> 29 provinces</li>""",
        html,
    )
    assertContains(response, '<a href="/en/scorecard/1404/">Year 1404</a>', html=True)
    assertContains(response, '<a href="/en/scorecard/1403/">Year 1403</a>', html=True)
    assertContains(response, '<span class="badge badge-final">Final</span>', count=1, html=True)


def test_index_before_anything_is_published(org: None, client: Client) -> None:
    response = client.get("/en/scorecard/")

    assertContains(response, "No results have been published yet.")


def test_method_page_explains_with_formulas_and_the_framework_in_force(
    published: Any, client: Client
) -> None:
    response = client.get("/en/scorecard/method/")

    html = response.content.decode()
    assertInHTML(
        """<code class="scp-formula" dir="ltr"><var>s</var> = 100 × (<var>v</var> − <var>min</var>)
        ÷ (<var>max</var> − <var>min</var>)</code>""",
        html,
    )
    assertInHTML(
        """<code class="scp-formula" dir="ltr"><var>M</var> = Σ(<var>w<sub>i</sub></var> ×
        <var>s<sub>i</sub></var>) ÷ Σ<var>w<sub>i</sub></var></code>""",
        html,
    )
    assertInHTML('<code class="scp-formula" dir="ltr"><var>high</var> − <var>low</var> ≥ 3</code>', html)
    assertContains(response, "the whole calculation is repeated 200 times")
    assertContains(response, "drawn evenly between 0.75 and 1.25")
    assertContains(response, f'<code class="scp-code" dir="ltr">{period_seed("1404")}</code>', html=True)
    assertInHTML(
        """<tr><td class="num">1</td><th scope="row"><a href="#M1">Media relations</a></th>
        <td class="num">2</td><td class="num">66.7%</td><td class="num">2</td></tr>""",
        html,
    )
    assertInHTML(
        """<tr><th scope="row"><span class="badge scp-band scp-band-1">Leading</span></th>
        <td class="num">80</td></tr>""",
        html,
    )
    assert response.context["sub_count"] == 4


def test_method_page_in_persian_has_persian_digits_in_formulas(published: Any, client: Client) -> None:
    response = client.get("/scorecard/method/")

    assertContains(
        response,
        '<code class="scp-formula" dir="ltr"><var>s</var> = ۲۵ × (<var>L</var> − ۱)</code>',
        html=True,
    )


def test_method_page_before_anything_is_published(org: None, client: Client) -> None:
    response = client.get("/en/scorecard/method/")

    assertContains(response, "No period has been published yet")
    assertContains(response, "the whole calculation is repeated 1,000 times")


# --- Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The period, its run, the framework's indicators, then the lead's ranking selector for the
        # period and for the previous published one (a few queries each, never one per province).
        ("/scorecard/", 15),
        ("/scorecard/1404/", 15),
        ("/scorecard/1404/IR-23/", 17),
        ("/scorecard/method/", 3),
    ],
)
def test_pages_take_a_constant_number_of_queries(
    published: Any, client: Client, django_assert_num_queries: Any, url: str, queries: int
) -> None:
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
