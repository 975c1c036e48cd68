"""The CKAN-compatible Action API: envelopes, package shapes, search and the datastore."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tabyin.portal.models import Release
from tests.portal.test_api_v1 import lay_down_figures


@pytest.fixture
def figures(org: None) -> dict[str, Release]:
    return lay_down_figures()


def action(name: str, query: str = "", *, post: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    client = Client()
    url = f"/api/3/action/{name}" + (f"?{query}" if query else "")
    if post is not None:
        response = client.post(url, data=json.dumps(post), content_type="application/json")
    else:
        response = client.get(url)
    return response.status_code, json.loads(response.content)


def test_package_list_and_the_envelope(figures: Any) -> None:
    status, body = action("package_list")
    assert status == 200
    assert body == {
        "help": "http://testserver/api/3/action/help_show?name=package_list",
        "success": True,
        "result": ["services", "coverage", "pensions", "finances", "e-services"],
    }
    assert action("package_list", "limit=2&offset=1")[1]["result"] == ["coverage", "pensions"]


def test_package_show_has_ckans_field_names(figures: Any) -> None:
    status, body = action("package_show", "id=services")
    assert status == 200
    pkg = body["result"]
    assert {
        "id",
        "name",
        "title",
        "notes",
        "resources",
        "organization",
        "license_id",
        "metadata_modified",
        "metadata_created",
        "tags",
        "groups",
        "num_resources",
        "state",
        "type",
        "private",
    } <= set(pkg)
    assert (pkg["name"], pkg["title"], pkg["license_id"]) == (
        "services",
        "خدمات درمانی به تفکیک استان و ماه",
        "CC-BY-4.0",
    )
    assert pkg["title_translated"] == {
        "fa": "خدمات درمانی به تفکیک استان و ماه",
        "en": "Treatment services by province and month",
    }
    assert pkg["organization"]["name"] == "publisher"
    assert pkg["groups"][0]["name"] == "services"
    assert [t["name"] for t in pkg["tags"]] == [
        "bed-occupancy",
        "inpatient-services-per-day",
        "outpatient-services-per-day",
    ]
    assert pkg["version"] == "2"
    resource = pkg["resources"][0]
    assert (resource["id"], resource["format"], resource["datastore_active"]) == ("services", "CSV", True)
    assert resource["url"] == "http://testserver/data/services.csv"
    assert "T" in pkg["metadata_modified"] and "+" not in pkg["metadata_modified"]  # CKAN's naive UTC


def test_not_found_and_validation_errors_look_like_ckans(figures: Any) -> None:
    assert action("package_show", "id=nope") == (
        404,
        {
            "help": "http://testserver/api/3/action/help_show?name=package_show",
            "success": False,
            "error": {"__type": "Not Found Error", "message": "Not found: Dataset not found"},
        },
    )
    status, body = action("package_show")
    assert (status, body["error"]) == (
        409,
        {"__type": "Validation Error", "message": "Missing value", "id": ["Missing value"]},
    )
    status, body = action("no_such_action")
    assert (status, body["success"]) == (400, False)
    assert body["error"]["message"] == "Bad request - Action name not known: no_such_action"


def test_package_search_shape_query_filter_and_facets(figures: Any) -> None:
    status, body = action("package_search", 'q=services&facet.field=["groups","organization"]&rows=1')
    assert status == 200
    result = body["result"]
    assert set(result) == {"count", "sort", "facets", "search_facets", "results"}
    assert result["count"] == 2  # "services" and "e-services" mention the word
    assert len(result["results"]) == 1
    assert result["facets"] == {"groups": {"services": 1, "e-services": 1}, "organization": {"publisher": 2}}
    assert result["search_facets"]["groups"] == {
        "title": "groups",
        "items": [
            {"name": "services", "display_name": "services", "count": 1},
            {"name": "e-services", "display_name": "e-services", "count": 1},
        ],
    }
    _, body = action("package_search", 'fq=groups:"pensions"')
    assert [p["name"] for p in body["result"]["results"]] == ["pensions"]
    _, body = action("package_search", "q=*:*&sort=name asc&rows=2&start=1")
    assert [p["name"] for p in body["result"]["results"]] == ["e-services", "finances"]
    assert body["result"]["count"] == 5
    status, body = action("package_search", "fq=author:x")
    assert (status, body["error"]["__type"]) == (409, "Validation Error")


def test_organization_list(figures: Any) -> None:
    assert action("organization_list")[1]["result"] == ["publisher"]
    org = action("organization_list", "all_fields=true")[1]["result"][0]
    assert (org["name"], org["is_organization"], org["type"]) == ("publisher", True, "organization")


def test_datastore_search_shape(figures: Any) -> None:
    status, body = action(
        "datastore_search",
        'resource_id=services&filters={"area":"IR-23","period":["1403-01"]}&sort=value desc&limit=1',
    )
    assert status == 200
    result = body["result"]
    assert result["fields"][:3] == [
        {"id": "_id", "type": "int"},
        {"id": "indicator", "type": "text"},
        {"id": "area", "type": "text"},
    ]
    assert result["total"] == 2
    assert result["limit"] == 1
    assert result["filters"] == {"area": "IR-23", "period": ["1403-01"]}
    assert result["records_format"] == "objects"
    [record] = result["records"]
    assert {k: v for k, v in record.items() if k != "_id"} == {
        "indicator": "outpatient-services-per-day",
        "area": "IR-23",
        "area_name_fa": "تهران",
        "area_name_en": "Tehran",
        "period": "1403-01",
        "period_start": "2024-03-20",
        "value": 1100,
        "numerator": None,
        "denominator": None,
        "status": "final",
        "suppressed": False,
        "release": 1,
    }
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?")
    assert "offset=1" in result["_links"]["next"]


def test_datastore_search_pages_with_offset_and_searches_text(figures: Any) -> None:
    seen = []
    for offset in range(0, 18, 5):
        _, body = action("datastore_search", f"resource_id=services&limit=5&offset={offset}")
        seen += [r["_id"] for r in body["result"]["records"]]
    assert len(seen) == len(set(seen)) == 18
    assert seen == sorted(seen)  # CKAN's default order is _id
    _, body = action("datastore_search", "resource_id=services&q=فارس&fields=area,value")
    assert {r["area"] for r in body["result"]["records"]} == {"IR-07"}
    assert set(body["result"]["records"][0]) == {"area", "value"}
    _, body = action("datastore_search", "resource_id=services&q=1403-02")
    assert body["result"]["total"] == 6


def test_datastore_search_by_post_like_ckanapi(figures: Any) -> None:
    status, body = action(
        "datastore_search",
        post={
            "resource_id": "services",
            "filters": {"indicator": "bed-occupancy", "area": "IR"},
            "sort": "period desc",
            "limit": 2,
        },
    )
    assert status == 200
    assert [(r["period"], r["value"]) for r in body["result"]["records"]] == [
        ("1403-02", 77.5),
        ("1403-01", 76.5),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "resource_id"),
        ("resource_id=services&filters={bad", "filters"),
        ('resource_id=services&filters={"colour":"red"}', "filters"),
        ('resource_id=services&filters={"period":"1403-13"}', "filters"),
        ("resource_id=services&sort=area_name_fa desc", "sort"),
        ("resource_id=services&sort=value sideways", "sort"),
        ("resource_id=services&limit=-1", "limit"),
        ("resource_id=services&fields=colour", "fields"),
        ("resource_id=services&plain=false", "plain"),
    ],
)
def test_datastore_search_validation_errors_are_409(figures: Any, query: str, field: str) -> None:
    status, body = action("datastore_search", query)
    assert status == 409
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert field in body["error"]


def test_datastore_search_unknown_resource_is_404(figures: Any) -> None:
    status, body = action("datastore_search", "resource_id=nope")
    assert status == 404
    assert body["error"] == {
        "__type": "Not Found Error",
        "message": 'Not found: Resource "nope" was not found.',
    }


def test_suppressed_rows_are_gaps_in_the_datastore_too(figures: Any) -> None:
    _, body = action(
        "datastore_search", 'resource_id=services&filters={"area":"IR-07","period":"1403-02"}&sort=value asc'
    )
    values = [(r["indicator"], r["value"], r["suppressed"]) for r in body["result"]["records"]]
    assert values == [("bed-occupancy", 82.0, False), ("outpatient-services-per-day", None, True)]


def test_limit_is_capped_like_ckans_rows_max_and_persian_digits_are_read(figures: Any) -> None:
    _, body = action("datastore_search", "resource_id=services&limit=100000")
    assert body["result"]["limit"] == 1000
    _, body = action("datastore_search", 'resource_id=services&limit=۲&filters={"period":"۱۴۰۳-۰۲"}')
    assert body["result"]["limit"] == 2
    assert body["result"]["total"] == 6


@pytest.mark.parametrize(
    ("name", "query", "queries"),
    [
        ("package_list", "", 3),
        ("package_show", "id=services", 3),
        ("package_search", "q=services", 3),
        ("datastore_search", "resource_id=services&q=Tehran", 6),  # dataset, indicators, names, count, page
    ],
)
def test_ckan_query_counts(
    figures: Any, django_assert_num_queries: Any, settings: Any, *, name: str, query: str, queries: int
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the action's own queries (core.response_cache off)
    Client().get(f"/api/3/action/{name}?{query}")  # the cache layer's indicator map, once per catalogue
    with django_assert_num_queries(queries + 1):  # + the response cache's version read (its ETag)
        assert Client().get(f"/api/3/action/{name}?{query}").status_code == 200
