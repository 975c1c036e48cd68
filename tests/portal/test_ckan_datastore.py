"""CKAN's datastore_search over a dataset's rows: shape, filters, paging, sorting, fields, distinct,
formats, links and errors, as ckanext-datastore 2.11 gives them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tabyin.portal.models import Release
from tests.portal.test_api_v1 import lay_down_figures
from tests.portal.test_ckan import action

SEARCHABLE = "indicator, area, area_name_fa, area_name_en, period, status"


@pytest.fixture
def figures(org: None) -> dict[str, Release]:
    return lay_down_figures()


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


def test_fields_keep_the_order_asked_and_sort_takes_a_list(figures: Any) -> None:
    _, body = action(
        "datastore_search",
        post={
            "resource_id": "services",
            "fields": ["value", "period", "_id"],
            "sort": ["area desc", "period"],
            "filters": {"indicator": "bed-occupancy"},
            "limit": 2,
        },
    )
    result = body["result"]
    assert result["fields"] == [
        {"id": "value", "type": "numeric"},
        {"id": "period", "type": "text"},
        {"id": "_id", "type": "int"},
    ]
    assert [list(r) for r in result["records"]] == [["value", "period", "_id"]] * 2
    assert [(r["period"], r["value"]) for r in result["records"]] == [("1402-12", 75.0), ("1403-01", 76.0)]
    assert result["sort"] == ["area desc", "period"]


def test_distinct_over_the_chosen_fields(figures: Any) -> None:
    _, body = action(
        "datastore_search", "resource_id=services&fields=area,period&distinct=true&sort=area,period"
    )
    result = body["result"]
    assert result["total"] == 9  # three areas × three months, two indicators each
    assert result["records"][:2] == [{"area": "IR", "period": "1402-12"}, {"area": "IR", "period": "1403-01"}]
    assert result["distinct"] == "true"
    _, body = action(
        "datastore_search", "resource_id=services&fields=area&distinct=true&sort=area desc&limit=1&offset=1"
    )
    assert (body["result"]["records"], body["result"]["total"]) == ([{"area": "IR-07"}], 3)


def test_include_total_false_leaves_the_total_out(figures: Any) -> None:
    _, body = action("datastore_search", "resource_id=services&include_total=false&limit=1")
    result = body["result"]
    assert "total" not in result and "total_was_estimated" not in result
    assert result["include_total"] is False
    assert len(result["records"]) == 1


def test_records_formats(figures: Any) -> None:
    query = (
        "resource_id=services&fields=area,value,suppressed&sort=area"
        '&filters={"period":"1403-02","indicator":"outpatient-services-per-day"}'
    )
    _, body = action("datastore_search", f"{query}&records_format=lists")
    assert body["result"]["records"] == [["IR", 1157, False], ["IR-07", None, True], ["IR-23", 1100, False]]
    _, body = action("datastore_search", f"{query}&records_format=csv")
    assert body["result"]["records"] == "IR,1157,f\nIR-07,,t\nIR-23,1100,f\n"
    _, body = action("datastore_search", f"{query}&records_format=tsv")
    assert body["result"]["records"] == "IR\t1157\tf\nIR-07\t\tt\nIR-23\t1100\tf\n"


def test_links_follow_the_route_and_carry_the_parameters(figures: Any) -> None:
    client = Client()
    params: dict[str, str | int] = {"resource_id": "services", "limit": 5, "offset": 10}
    response = client.get("/api/action/datastore_search", params)
    links = json.loads(response.content)["result"]["_links"]
    assert links == {
        "start": "/api/action/datastore_search?resource_id=services&limit=5",
        "next": "/api/action/datastore_search?resource_id=services&limit=5&offset=15",
        "prev": "/api/action/datastore_search?resource_id=services&limit=5&offset=5",
    }
    # A POSTed body is carried too, objects as JSON, so the links work as plain GETs.
    response = client.post(
        "/api/action/datastore_search",
        json.dumps({"resource_id": "services", "filters": {"area": "IR"}, "limit": 5}),
        "application/json",
    )
    links = json.loads(response.content)["result"]["_links"]
    assert "prev" not in links  # CKAN adds prev only when offset - limit > 0
    followed = json.loads(client.get(links["next"]).content)["result"]
    assert (followed["offset"], followed["filters"], len(followed["records"])) == (5, {"area": "IR"}, 1)


def test_full_text_and_q_both_match(figures: Any) -> None:
    _, body = action("datastore_search", "resource_id=services&full_text=Tehran")
    assert {r["area"] for r in body["result"]["records"]} == {"IR-23"}
    assert body["result"]["full_text"] == "Tehran"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"resource_id": "services", "include_next_page": True},
         {"__junk": ["The input field include_next_page was not expected."]}),
        ({"resource_id": "services", "q": {"value": "12"}},
         {"q": [f'field "value" cannot be searched (search {SEARCHABLE})']}),
        ({"resource_id": "services", "q": {"area": 7}},
         {"q": ['field "area": give the text to search as a string']}),
        ({"resource_id": "services", "plain": False},
         {"plain": ["Only plain-text search is supported (plain=false is PostgreSQL syntax)"]}),
        ({"resource_id": "services", "records_format": "xml"},
         {"records_format": ["Value must be one of objects, lists, csv, tsv"]}),
        ({"resource_id": "services", "distinct": "maybe"}, {"distinct": ["Must be true or false"]}),
        ({"resource_id": "services", "offset": -5}, {"offset": ["Must be a whole number, 0 or more"]}),
        ({"resource_id": "services", "fields": ["area", 3]}, {"fields": ["Not a list of strings"]}),
        ({"resource_id": "  "}, {"resource_id": ["Missing value"]}),
    ],
)  # fmt: skip
def test_datastore_validation_messages(figures: Any, params: dict[str, Any], error: dict[str, Any]) -> None:
    status, body = action("datastore_search", post=params)
    assert (status, body["error"]) == (409, {"__type": "Validation Error", **error})


def test_nulls_last_is_accepted_as_it_is_what_happens(figures: Any) -> None:
    query = 'resource_id=services&filters={"period":"1403-02","indicator":"outpatient-services-per-day"}'
    _, body = action("datastore_search", f"{query}&sort=value desc nulls last&fields=area,value")
    assert body["result"]["records"] == [
        {"area": "IR", "value": 1157},
        {"area": "IR-23", "value": 1100},
        {"area": "IR-07", "value": None},
    ]


def test_q_as_an_object_searches_field_by_field(figures: Any) -> None:
    def areas_periods(q: dict[str, str], filters: dict[str, Any] | None = None) -> set[tuple[str, str]]:
        params: dict[str, Any] = {
            "resource_id": "services",
            "q": q,
            "fields": ["area", "period"],
            "limit": 100,
        }
        if filters:
            params["filters"] = filters
        status, body = action("datastore_search", post=params)
        assert status == 200, body
        assert body["result"]["q"] == q
        return {(r["area"], r["period"]) for r in body["result"]["records"]}

    assert areas_periods({"area_name_fa": "تهران", "period": "1403-01"}) == {("IR-23", "1403-01")}
    assert areas_periods({"area": "fars", "period": "۱۴۰۲"}) == {
        ("IR-07", "1402-12")
    }  # a year, in Persian digits
    assert areas_periods({"area_name_en": "Tehran"}, {"area": "IR-07"}) == set()  # both must hold
    assert areas_periods({"status": "provisional", "area": "IR"}) == {
        ("IR", "1403-02"), ("IR-07", "1403-02"), ("IR-23", "1403-02")  # "IR" is in every code
    }  # fmt: skip
    assert areas_periods({"period": "last month"}) == set()
    _, body = action("datastore_search", post={"resource_id": "services", "q": {"indicator": "bed"}})
    assert {r["indicator"] for r in body["result"]["records"]} == {"bed-occupancy"}
    assert body["result"]["total"] == 9
