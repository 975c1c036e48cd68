"""The whole-response cache on the portal (core.response_cache, portal.cache_scope): what a release
invalidates, and the per-visitor parts (CSRF token, CSP nonce) that must never be shared.

Assertions are on the cache's own report (``X-Tabyin-Cache``) and on the bodies, never on timing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from tabyin.core.caching.responses import HEADER
from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.portal.enums import FigureStatus, ReleaseState
from tabyin.portal.models import Dataset
from tabyin.portal.release.services import release_publish, release_upload
from tests import factories
from tests.portal.factories import install_catalog, observe

PERIODS = ("1404-01", "1404-02", "1404-03")
A_ADDRESSES = (
    "/indicators/outpatient-services-per-day/",
    "/en/indicators/outpatient-services-per-day/",
    "/data/services/",
    "/api/v1/datasets/services/rows?area=IR&_size=10",
    "/api/v1/datasets/services",
    "/api/3/action/datastore_search?resource_id=services&limit=10",
    "/api/3/action/package_show?id=services",
)
B_ADDRESSES = (
    "/indicators/pensioners/",
    "/en/indicators/pensioners/",
    "/data/pensions/",
    "/api/v1/datasets/pensions/rows?area=IR&_size=10",
    "/api/v1/datasets/pensions",
    "/api/3/action/datastore_search?resource_id=pensions&limit=10",
    "/api/3/action/package_show?id=pensions",
)
# Pages that show every dataset: a release of any of them refreshes these.
EVERYTHING = ("/", "/en/", "/data/", "/api/v1/datasets", "/api/3/action/package_list", "/catalog.ttl")
NEW_FIGURE = 987_654_321


@pytest.fixture(autouse=True)
def _fresh_counters(db: None) -> Iterator[None]:
    caches["shared"].clear()
    # The views' page-data cache is keyed on the global counter, which starts again at 0 here.
    caches["default"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture
def figures(org: None) -> None:
    install_catalog()
    for n, period in enumerate(PERIODS):
        observe("outpatient-services-per-day", "IR", period, 1_000_000 + n)
        observe("pensioners", "IR", period, 4_000_000 + n)


@pytest.fixture
def publisher(org: None) -> User:
    return factories.persona("hq.publisher", "hq", Role.DATA_PUBLISHER)


def states(client: Client, addresses: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for url in addresses:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response[HEADER]
    return out


def test_a_release_of_one_dataset_refreshes_its_addresses_and_leaves_the_others_cached(
    figures: None, publisher: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    every = A_ADDRESSES + B_ADDRESSES + EVERYTHING
    assert set(states(client, every).values()) == {"miss"}
    assert set(states(client, every).values()) == {"hit"}
    before = {url: client.get(url).content for url in A_ADDRESSES}
    assert all(str(NEW_FIGURE).encode() not in body for body in before.values())

    csv = f"indicator,area,period,value\noutpatient-services-per-day,IR,1404-04,{NEW_FIGURE}\n"
    release = release_upload(
        actor=publisher,
        dataset=Dataset.objects.get(slug="services"),
        file_name="figures.csv",
        content=csv.encode(),
        status=FigureStatus.FINAL,
    )
    assert release.state == ReleaseState.VALIDATED, release.report
    with django_capture_on_commit_callbacks(execute=True):
        release_publish(actor=publisher, release=release)

    assert states(client, B_ADDRESSES) == dict.fromkeys(B_ADDRESSES, "hit")
    assert states(client, A_ADDRESSES) == dict.fromkeys(A_ADDRESSES, "miss")
    assert states(client, EVERYTHING) == dict.fromkeys(EVERYTHING, "miss")
    rows = client.get("/api/v1/datasets/services/rows?area=IR&_size=10").json()["results"]
    assert [r["value"] for r in rows if r["period"] == "1404-04"] == [NEW_FIGURE]
    assert "۹۸۷٬۶۵۴٬۳۲۱" in client.get("/indicators/outpatient-services-per-day/").content.decode()
    # And from now on served from the cache again.
    assert set(states(client, A_ADDRESSES + EVERYTHING).values()) == {"hit"}


def test_an_explanation_or_catalogue_change_refreshes_everything(figures: None) -> None:
    from tabyin.portal.versions import data_version_bump

    client = Client()
    states(client, A_ADDRESSES + B_ADDRESSES)
    data_version_bump()  # what services_catalog and services_explanation call after commit
    assert set(states(client, A_ADDRESSES + B_ADDRESSES).values()) == {"miss"}


def _nonce(response: Any) -> str:
    found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert found is not None
    return found.group(1)


def test_a_cached_page_gets_a_fresh_nonce_named_in_its_own_policy(figures: None) -> None:
    first = Client().get("/data/services/")
    second = Client().get("/data/services/")
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    nonces = [_nonce(first), _nonce(second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        html = response.content.decode()
        assert f'<script type="application/ld+json" nonce="{nonce}">' in html
        assert "tabyin-csp-nonce" not in html
    assert nonces[0] not in second.content.decode()


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([a-zA-Z0-9]{64})"', html)
    assert found is not None
    return found.group(1)


def test_a_cached_page_carries_the_visitors_own_working_csrf_token(figures: None) -> None:
    url = "/indicators/outpatient-services-per-day/"
    Client().get(url)  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert page[HEADER] == "hit"
    assert "csrftoken" in page.cookies  # set for this visitor, as on an uncached page
    assert "Cookie" in page["Vary"] and "Accept-Language" in page["Vary"]
    token = _token(page.content.decode())
    answer = visitor.post(
        "/feedback/",
        {"target": "indicator", "target_id": _target_id(page.content.decode()), "clear": "yes",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert answer.status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/api/v1/")  # a stranger with no CSRF cookie cannot reuse the token
    refused = stranger.post(
        "/feedback/", {"target": "indicator", "clear": "yes", "csrfmiddlewaretoken": token}
    )
    assert refused.status_code == 403


def _target_id(html: str) -> str:
    found = re.search(r'name="target_id" value="(\d+)"', html)
    assert found is not None
    return found.group(1)


def test_signed_in_staff_and_pending_messages_bypass_the_cache(figures: None) -> None:
    Client().get("/")
    staff = Client()
    staff.cookies["sessionid"] = "anything"
    assert staff.get("/")[HEADER] == "bypass"
    after_feedback = Client()
    after_feedback.cookies["messages"] = "anything"
    assert after_feedback.get("/")[HEADER] == "bypass"
    assert Client().get("/")[HEADER] == "hit"


def test_a_cached_api_read_keeps_its_etag_and_answers_304(figures: None) -> None:
    client = Client()
    url = "/api/v1/datasets/services/rows?_size=5"
    first, second = client.get(url), client.get(url)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert first["ETag"] == second["ETag"]
    assert second["Cache-Control"] == "public, max-age=300"
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second.content == first.content
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_unknown_addresses_and_errors_are_not_cached(figures: None) -> None:
    client = Client()
    assert client.get("/indicators/no-such-thing/").status_code == 404
    assert client.get("/api/v1/datasets/nope").status_code == 404
    assert client.get("/api/v1/datasets/services/rows?_size=5000").status_code == 400
    assert client.get("/api/v1/datasets/services/rows?_size=5000")[HEADER] == "miss"
    assert len(caches["responses"]._cache) == 0  # type: ignore[attr-defined]


def test_the_switch_turns_the_cache_off_but_keeps_etags(figures: None, settings: Any) -> None:
    settings.TABYIN_RESPONSE_CACHE = False
    client = Client()
    assert client.get("/")[HEADER] == client.get("/")[HEADER] == "bypass"
    response = client.get("/api/v1/datasets/services")
    assert response[HEADER] == "bypass"
    assert (
        client.get("/api/v1/datasets/services", headers={"If-None-Match": response["ETag"]}).status_code
        == 304
    )
