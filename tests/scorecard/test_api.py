"""/api/v1/scorecards/: exact JSON for the small published period of ``pub_helpers`` (every number
worked out by hand there), 404 for anything unpublished, ASCII digits, caching headers, the
OpenAPI document, and a full recomputation of the published results from the JSON alone with the
independent implementation (tests/scorecard/independent.py)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tabyin.scorecard import selectors as scorecard_selectors
from tabyin.scorecard.api import schemas
from tabyin.scorecard.enums import PeriodState
from tabyin.scorecard.models import Period
from tabyin.scorecard.periods.services_scoring import period_seed
from tests.scorecard.independent import recompute, robustness_problems
from tests.scorecard.pub_helpers import ROWS_1404, publish, two_years

pytestmark = pytest.mark.django_db

NOT_DIGIT_ASCII = re.compile("[۰-۹٠-٩]")


@pytest.fixture
def published(org: None) -> tuple[Period, Period]:
    return two_years()


def _none(**extra: Any) -> dict[str, Any]:
    return {"numerator": None, "denominator": None, "value": None, **extra}


def _sub(
    code: str, status: str, measured: str | None, score: str | None, inputs: dict[str, Any]
) -> dict[str, Any]:
    return {
        "code": code,
        "status": status,
        "measured": measured,
        "score": score,
        "corrected": False,
        "inputs": inputs,
    }


TEHRAN = {
    "province": "IR-23",
    "name_fa": "تهران",
    "name_en": "Tehran",
    "peer_group": "large",
    "total": "96.67",
    "band": "leading",
    "rank": 1,
    "peer_rank": 1,
    "rank_low": 1,
    "rank_high": 1,
    "stable": True,
    "flags": [],
    "main_scores": {"M1": "95.00", "M2": "100.00"},
    "indicators": [
        _sub(
            "S1",
            "reported",
            "90.0000",
            "90.00",
            {"numerator": "45.0000", "denominator": "50.0000", "value": "90.0000"},
        ),
        _sub("S2", "reported", "1.0000", "100.00", _none(value="1.0000")),
        _sub("S3", "reported", "12.0000", "100.00", _none(value="12.0000")),
        _sub("S4", "reported", "2.0000", "100.00", _none(value="26.0000", covered_population=1300000)),
    ],
}
SEMNAN = {
    "province": "IR-20",
    "name_fa": "سمنان",
    "name_en": "Semnan",
    "peer_group": "small",
    "total": "77.78",
    "band": "active",
    "rank": 2,
    "peer_rank": 1,
    "rank_low": 2,
    "rank_high": 2,
    "stable": True,
    "flags": ["not_reported:S3"],
    "main_scores": {"M1": "100.00", "M2": "33.33"},
    "indicators": [
        _sub("S1", "not_applicable", None, None, _none()),
        _sub("S2", "reported", "1.0000", "100.00", _none(value="1.0000")),
        _sub("S3", "not_reported", None, "0.00", _none()),
        _sub("S4", "reported", "1.5000", "50.00", _none(value="3.0000", covered_population=200000)),
    ],
}
MARKAZI = {
    "province": "IR-00",
    "name_fa": "مرکزی",
    "name_en": "Markazi",
    "peer_group": "medium",
    "total": "0.00",
    "band": "weak",
    "rank": 4,
    "peer_rank": 1,
    "rank_low": 4,
    "rank_high": 4,
    "stable": True,
    "flags": ["not_reported:S1", "not_reported:S2", "not_reported:S3", "not_reported:S4"],
    "main_scores": {"M1": "0.00", "M2": "0.00"},
    "indicators": [_sub(code, "not_reported", None, "0.00", _none()) for code in ("S1", "S2", "S3", "S4")],
}


def _indicator(
    code: str, parent: str | None, fa: str, en: str, kind: str | None, **kw: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "parent": parent,
        "name_fa": fa,
        "name_en": en,
        "kind": kind,
        "direction": kw.get("direction", "higher"),
        "normalization": kw.get("normalization", "scale"),
        "denominator": kw.get("denominator", "none"),
        "target": kw.get("target"),
        "weight": kw.get("weight", "1.000"),
    }


FRAMEWORK = {
    "code": "pub",
    "version": 1,
    "bands": [
        {"code": "leading", "min": 80},
        {"code": "active", "min": 60},
        {"code": "developing", "min": 40},
        {"code": "weak", "min": 0},
    ],
    "indicators": [
        _indicator("M1", None, "ارتباط با رسانه‌ها", "Media relations", None, weight="2.000"),
        _indicator("S1", "M1", "پاسخ به‌موقع به رسانه‌ها", "Media queries answered on time", "rate"),
        _indicator("S2", "M1", "برنامه عملیاتی مصوب", "Approved action plan", "yes_no"),
        _indicator("M2", None, "مقابله با شایعه", "Rumour response", None),
        _indicator(
            "S3",
            "M2",
            "زمان پاسخ به شایعه",
            "Time to answer a rumour",
            "duration",
            direction="lower",
            normalization="target",
            target="24.0000",
        ),
        _indicator(
            "S4",
            "M2",
            "محتوای تبیینی",
            "Explainer items",
            "count",
            normalization="minmax",
            denominator="covered_100k",
            weight="2.000",
        ),
    ],
}


def test_period_json_is_exactly_the_published_results(
    published: tuple[Period, Period], client: Client
) -> None:
    _before, latest = published

    response = client.get("/api/v1/scorecards/1404/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    run = latest.runs.get(is_current=True)
    assert list(data) == [
        "period", "kind", "state", "published_at", "framework", "method", "computed_at", "inputs_sha256",
        "sample_data", "provinces",
    ]  # fmt: skip
    assert data["sample_data"] is False
    assert data["period"] == "1404"
    assert data["kind"] == "year"
    assert data["state"] == "published"
    assert data["published_at"] == latest.published_at.isoformat()  # type: ignore[union-attr]
    assert data["framework"] == FRAMEWORK
    assert data["method"] == {
        "draws": 200,
        "seed": period_seed("1404"),
        "weight_spread": 0.25,
        "unstable_width": 3,
    }
    assert data["computed_at"] == run.computed_at.isoformat()
    assert data["inputs_sha256"] == run.inputs_sha256
    assert len(data["provinces"]) == 31
    assert data["provinces"][0] == TEHRAN
    assert data["provinces"][1] == SEMNAN
    assert data["provinces"][2]["province"] == "IR-10"
    assert (data["provinces"][2]["total"], data["provinces"][2]["rank"]) == ("30.74", 3)
    assert data["provinces"][3] == MARKAZI  # the 28 who entered nothing follow, tied at 4, by code
    assert [p["rank"] for p in data["provinces"][3:]] == [4] * 28


def test_the_json_is_what_the_schema_says(published: Any, client: Client) -> None:
    schemas.PeriodOut.model_validate(client.get("/api/v1/scorecards/1404/").json())
    schemas.PeriodListOut.model_validate(client.get("/api/v1/scorecards/").json())


def test_anyone_can_recompute_every_total_rank_and_band_from_the_json(published: Any, client: Client) -> None:
    for code in ("1403", "1404"):
        data = client.get(f"/api/v1/scorecards/{code}/").json()

        again = recompute(data)

        for p in data["provinces"]:
            mine = again[p["province"]]
            assert mine["total"] == Decimal(p["total"]), p["province"]
            assert mine["band"] == p["band"]
            assert mine["rank"] == p["rank"]
            assert mine["peer_rank"] == p["peer_rank"]
            assert mine["flags"] == p["flags"]
            assert {k: None if v is None else str(v) for k, v in mine["main_scores"].items()} == p[
                "main_scores"
            ]
            assert {k: None if v is None else str(v) for k, v in mine["sub_scores"].items()} == {
                s["code"]: s["score"] for s in p["indicators"]
            }
        assert robustness_problems(data) == []


def test_list_of_published_periods(published: tuple[Period, Period], client: Client) -> None:
    before, latest = published

    response = client.get("/api/v1/scorecards/")

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "results": [
            {
                "period": "1404",
                "kind": "year",
                "state": "published",
                "published_at": latest.published_at.isoformat(),  # type: ignore[union-attr]
                "framework": "pub",
                "framework_version": 1,
                "url": "http://testserver/api/v1/scorecards/1404/",
                "page": "http://testserver/scorecard/1404/",
            },
            {
                "period": "1403",
                "kind": "year",
                "state": "final",
                "published_at": before.published_at.isoformat(),  # type: ignore[union-attr]
                "framework": "pub",
                "framework_version": 1,
                "url": "http://testserver/api/v1/scorecards/1403/",
                "page": "http://testserver/scorecard/1403/",
            },
        ],
        "method": "http://testserver/scorecard/method/",
        "docs": "http://testserver/api/v1/scorecards/docs",
        "openapi": "http://testserver/api/v1/scorecards/openapi.json",
    }


def test_links_do_not_follow_the_client_language(published: Any, client: Client) -> None:
    data = client.get("/api/v1/scorecards/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["results"][0]["page"] == "http://testserver/scorecard/1404/"


def _not_found() -> dict[str, Any]:
    with translation.override("fa"):
        persian = translation.gettext("No published scorecard has this period code.")
    return {
        "error": {
            "code": "not_found",
            "message": "No published scorecard has this period code.",
            "message_fa": persian,
            "parameter": "period",
        }
    }


def test_unknown_and_unpublished_periods_are_the_same_404(
    published: tuple[Period, Period], client: Client
) -> None:
    publish("1404-Q3", published[1].framework, ROWS_1404, state=PeriodState.FROZEN)

    for code in ("1404-Q3", "1404-Q2", "nonsense", "1404-q3"):
        response = client.get(f"/api/v1/scorecards/{code}/")
        assert response.status_code == 404, code
        # The API's problem details, carrying the error object it always had.
        assert json.loads(response.content) == {
            **_not_found(),
            "type": "/api/v1/docs#problem-not-found",
            "title": "چیزی در این نشانی پیدا نشد",
            "status": 404,
            "detail": _not_found()["error"]["message_fa"],
            "instance": f"/api/v1/scorecards/{code}/",
        }
        assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert [r["period"] for r in client.get("/api/v1/scorecards/").json()["results"]] == ["1404", "1403"]


def test_digits_are_ascii_and_persian_digits_are_accepted_in_the_address(
    published: Any, client: Client
) -> None:
    text = client.get("/api/v1/scorecards/1404/").content.decode()

    assert NOT_DIGIT_ASCII.search(text) is None
    assert json.loads(client.get("/api/v1/scorecards/۱۴۰۴/").content) == json.loads(text)


def test_caching_headers_and_conditional_get(published: tuple[Period, Period], client: Client) -> None:
    response = client.get("/api/v1/scorecards/1404/")

    etag = response["ETag"]
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/scorecards/1404/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert "Cache-Control" not in client.get("/api/v1/scorecards/1399/")  # errors are not cached

    publish("1405", published[1].framework, ROWS_1404)  # a new publication changes every answer

    assert client.get("/api/v1/scorecards/1404/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_openapi_and_docs(published: Any, client: Client) -> None:
    # The scorecard's own document and page now lead to the API's one document and one page.
    assert client.get("/api/v1/scorecards/openapi.json")["Location"] == "/api/v1/openapi.json"
    assert client.get("/api/v1/scorecards/docs")["Location"] == "/api/v1/docs"
    schema = client.get("/api/v1/openapi.json").json()
    docs = client.get("/api/v1/docs")

    assert schema["info"]["title"] == "Tabyin public API"
    assert sorted(p for p in schema["paths"] if p.startswith("/api/v1/scorecards/")) == [
        "/api/v1/scorecards/",
        "/api/v1/scorecards/{period}/",
    ]
    assert docs.status_code == 200
    assert "GET /api/v1/scorecards/{period}/" in docs.content.decode()
    # The portal's own API still answers under /api/v1/.
    assert client.get("/api/v1/").json()["openapi"] == "http://testserver/api/v1/openapi.json"


@pytest.mark.parametrize(("url", "queries"), [("/api/v1/scorecards/", 2), ("/api/v1/scorecards/1404/", 7)])
def test_constant_queries(
    published: Any, client: Client, django_assert_num_queries: Any, url: str, queries: int
) -> None:
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/scorecards/", "/api/v1/scorecards/1404/"])
def test_a_second_read_is_the_cached_copy_after_one_query(
    published: tuple[Period, Period], client: Client, django_assert_num_queries: Any, url: str
) -> None:
    """The cold read's queries are counted above; after it, one query (the token: the counter in
    the shared cache, a database table in tests) and the stored bytes. A publication is seen on
    the next read."""
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)

    assert (first["X-Tabyin-Cache"], again["X-Tabyin-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    publish("1405", published[1].framework, ROWS_1404)
    after = client.get(url)
    assert after["X-Tabyin-Cache"] == "miss"
    assert after["ETag"] != first["ETag"]


def test_a_demo_site_says_its_figures_are_samples(
    published: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scorecard_selectors, "is_demo", lambda: True)

    assert client.get("/api/v1/scorecards/1404/").json()["sample_data"] is True
