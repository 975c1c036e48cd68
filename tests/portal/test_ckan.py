"""The CKAN-compatible Action API: envelopes, package shapes, search and the datastore."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, RequestFactory

from tabyin.portal.api.ckan import ACTIONS
from tabyin.portal.api.ckan_common import CkanError
from tabyin.portal.models import Release
from tests.portal.test_api_v1 import lay_down_figures

INVALID = "Validation Error"


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
        "result": ["coverage", "e-services", "finances", "pensions", "services"],  # by name, as CKAN
    }
    assert action("package_list", "limit=2&offset=1")[1]["result"] == ["e-services", "finances"]
    # ckanapi's `dump datasets --all` sends these; CKAN ignores them, and so do we.
    assert action("package_list", post={"include_private": False, "include_drafts": False})[1]["result"][
        0
    ] == ("coverage")


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
    assert (status, body["error"]) == (409, {"__type": "Validation Error", "id": ["Missing value"]})
    status, body = action("package_list", "limit=ten")
    assert (status, body["error"]) == (
        409,
        {"__type": "Validation Error", "limit": ["Must be a natural number"]},
    )


@pytest.mark.parametrize("prefix", ["/api/action/", "/api/3/action/"])
def test_unknown_actions_are_ckans_bare_400(figures: Any, prefix: str) -> None:
    for name in ("no_such_action", "datastore_search_sql", "package_create"):
        for response in (
            Client().get(f"{prefix}{name}"),
            Client().post(f"{prefix}{name}", "{}", "application/json"),
        ):
            assert response.status_code == 400
            assert json.loads(response.content) == f"Bad request - Action name not known: {name}"


@pytest.mark.parametrize("prefix", ["/api/action/", "/api/3/action/"])
def test_both_routes_take_get_json_and_form_bodies(figures: Any, prefix: str) -> None:
    client = Client()
    url = f"{prefix}package_show"
    answers = [
        client.get(url, {"id": "pensions"}),
        client.post(url, json.dumps({"id": "pensions"}), "application/json"),
        client.post(url, json.dumps({"id": "pensions"}), "text/plain"),  # CKAN reads any JSON body
        client.post(url, "id=pensions", "application/x-www-form-urlencoded"),
        client.post(url, json.dumps({"id": "pensions"}), "application/x-www-form-urlencoded"),  # curl -d
        client.post(url, {"id": "pensions"}),  # multipart form
    ]
    for response in answers:
        assert response.status_code == 200, response.content
        body = json.loads(response.content)
        assert (body["success"], body["result"]["name"]) == (True, "pensions")
        assert body["help"] == "http://testserver/api/3/action/help_show?name=package_show"


def test_unreadable_bodies_are_ckans_json_errors(figures: Any) -> None:
    client = Client()
    response = client.post("/api/action/package_list", "{not json", "application/json")
    assert (response.status_code, json.loads(response.content)) == (
        400,
        "Bad request - JSON Error: Error decoding JSON data.",
    )
    response = client.post("/api/action/package_list", "[1, 2]", "application/json")
    assert (response.status_code, json.loads(response.content)) == (
        400,
        "Bad request - JSON Error: Request data JSON decoded to list but it needs to be a dictionary.",
    )
    status, body = action("package_show", "id=services&id=coverage")  # a repeated key is a list
    assert (status, body["error"]) == (409, {"__type": "Validation Error", "id": ["Must be a string"]})


def test_status_show(figures: Any, settings: Any) -> None:
    settings.TABYIN_SITE_NAME = "تأمین‌نما"
    assert action("status_show") == (
        200,
        {
            "help": "http://testserver/api/3/action/help_show?name=status_show",
            "success": True,
            "result": {
                "site_title": "تأمین‌نما",
                "site_description": "",
                "site_url": "http://testserver",
                "error_emails_to": None,
                "locale_default": "fa",
                "extensions": ["datastore"],
                "ckan_version": "2.11.0",
            },
        },
    )


def test_resource_show_is_the_packages_resource(figures: Any) -> None:
    _, pkg = action("package_show", "id=coverage")
    status, body = action("resource_show", "id=coverage")
    assert (status, body["result"]) == (200, pkg["result"]["resources"][0])
    assert action("resource_show", "id=nope")[1]["error"] == {
        "__type": "Not Found Error",
        "message": "Not found: Resource was not found.",
    }
    assert action("resource_show")[1]["error"] == {"__type": "Validation Error", "id": ["Missing value"]}


def test_help_show(figures: Any) -> None:
    _, body = action("help_show", "name=package_list")
    assert body["result"].startswith("Names of all datasets, in name order.")
    assert action("help_show", "name=nope")[1]["error"]["message"] == "Not found: Action function not found"


def test_package_search_shape_query_filter_and_facets(figures: Any) -> None:
    status, body = action(
        "package_search", 'q=services&facet.field=["groups","organization","license_id"]&rows=1'
    )
    assert status == 200
    result = body["result"]
    assert set(result) == {"count", "sort", "facets", "search_facets", "results"}
    assert (result["count"], result["sort"]) == (2, "score desc, metadata_modified desc")
    assert len(result["results"]) == 1
    assert result["facets"] == {
        "groups": {"e-services": 1, "services": 1},  # Solr's order: count, then value
        "organization": {"publisher": 2},
        "license_id": {"CC-BY-4.0": 2},
    }
    # CKAN titles group, organization and licence facets and sorts them by title, descending.
    assert result["search_facets"]["groups"] == {
        "title": "groups",
        "items": [
            {"name": "e-services", "display_name": "خدمات غیرحضوری", "count": 1},
            {"name": "services", "display_name": "خدمات درمانی", "count": 1},
        ],
    }
    [licence] = result["search_facets"]["license_id"]["items"]
    assert (licence["name"], licence["count"]) == ("CC-BY-4.0", 2)
    assert licence["display_name"] == result["results"][0]["license_title"]


def test_package_search_filters_sorts_and_pages(figures: Any) -> None:
    def names(query: str = "", **post: Any) -> list[str]:
        status, body = action("package_search", query, post=post or None)
        assert status == 200, body
        return [p["name"] for p in body["result"]["results"]]

    assert names('fq=groups:"pensions"') == ["pensions"]
    assert names("q=groups:pensions") == ["pensions"]  # a fielded q, as clients write it
    assert names("fq=%2Btags:bed-occupancy %2Bcapacity:public") == ["services"]
    assert names("fq=-groups:services&sort=name asc") == ["coverage", "e-services", "finances", "pensions"]
    assert names(fq_list=["organization:publisher", "res_format:CSV"], sort="name desc", rows=2) == [
        "services",
        "pensions",
    ]
    assert names("fq_list=groups:pensions") == ["pensions"]  # one filter query on a GET
    assert names("q=*:*&sort=name asc&rows=2&start=1") == ["e-services", "finances"]
    assert names("fq=metadata_modified:[2000-01-01T00:00:00Z TO *]&rows=0") == []
    _, body = action("package_search", "fq=metadata_modified:[2000-01-01T00:00:00Z TO *]")
    assert body["result"]["count"] == 5
    _, body = action("package_search", "fq=metadata_modified:[* TO 2000-01-01T00:00:00Z]")
    assert body["result"]["count"] == 0
    _, body = action("package_search", "fl=name,num_resources&sort=name asc&rows=1")
    assert body["result"]["results"] == [{"name": "coverage", "num_resources": 1}]


def test_package_search_pages_like_the_ckan_harvester(figures: Any) -> None:
    """ckanext-harvest's CKANHarvester: sort=id asc, rows/start paging until an empty page, and
    fq terms joined by spaces with OR groups and a metadata_modified range."""
    fq = (
        "organization:publisher OR organization:elsewhere -groups:finances "
        "metadata_modified:[2000-01-01T00:00:00.000000Z TO *]"
    )
    seen, start = [], 0
    while True:
        query = {"rows": "2", "start": str(start), "sort": "id asc", "include_private": "true", "fq": fq}
        status, body = action("package_search", urlencode(query))
        assert status == 200, body
        page = [p["id"] for p in body["result"]["results"]]
        if not page:
            break
        seen += page
        start += 2
    assert seen == ["coverage", "e-services", "pensions", "services"]
    status, body = action("package_search", urlencode({"fq": "organization:elsewhere OR groups:pensions"}))
    assert [p["name"] for p in body["result"]["results"]] == ["pensions"]
    for bad in ("metadata_modified:[NOW-1DAY TO *]", "groups:(a OR b)", "OR groups:a"):
        status, body = action("package_search", urlencode({"fq": bad}))
        assert (status, body["error"]["__type"]) == (400, "Search Query Error"), bad


def test_package_search_facet_limits(figures: Any) -> None:
    _, body = action("package_search", 'facet.field=["tags"]&facet.limit=2&rows=0')
    assert list(body["result"]["facets"]["tags"].values()) == [1, 1]
    _, body = action("package_search", 'facet.field=["tags"]&facet.limit=-1&rows=0')
    assert len(body["result"]["facets"]["tags"]) == 14
    _, body = action("package_search", 'facet.field=["groups"]&facet.mincount=2')
    assert body["result"]["facets"] == {"groups": {}}
    _, body = action("package_search", 'facet.field=["groups"]&facet=false')
    assert (body["result"]["facets"], body["result"]["search_facets"]) == ({}, {})
    _, body = action("package_search", post={"facet.field": ["organization"]})
    assert body["result"]["facets"] == {"organization": {"publisher": 5}}


@pytest.mark.parametrize(
    ("query", "status", "error"),
    [
        ("author=x", 400, {"__type": "Search Query Error",
                           "message": "Search Query is invalid: Invalid search parameters: ['author']"}),
        ("sort=colour asc", 400, {"__type": "Search Query Error", "message": (
            'Search Query is invalid: Invalid "sort" parameter: sort by score, id, name, title_string, '
            "metadata_modified, metadata_created with asc or desc")}),
        ("fq=author:x", 400, {"__type": "Search Query Error", "message": (
            "Search Query is invalid: fq: only field:value terms on organization, groups, tags, license_id, "
            "res_format, name, id, owner_org, capacity, state, type and [from TO to] ranges on "
            "metadata_modified, metadata_created are supported")}),
        ("rows=-1", 409, {"__type": "Validation Error", "rows": ["Must be a natural number"]}),
        ("facet.field=[1]", 409, {"__type": "Validation Error", "facet.field": ["Not a string: 1"]}),
        ("facet.field={bad", 409, {"__type": INVALID, "facet.field": ["Could not parse as valid JSON"]}),
        ("facet.limit=many", 409, {"__type": "Validation Error", "facet.limit": ["Invalid integer"]}),
        ("include_private=perhaps", 409, {"__type": INVALID, "include_private": ["Must be true or false"]}),
    ],
)  # fmt: skip
def test_package_search_errors_are_ckans(
    figures: Any, query: str, status: int, error: dict[str, Any]
) -> None:
    assert action("package_search", query)[0] == status
    assert action("package_search", query)[1]["error"] == error


def test_package_search_caps_rows_like_ckans_rows_max(figures: Any) -> None:
    _, body = action("package_search", "rows=5000")
    assert len(body["result"]["results"]) == 5


def test_organization_list_and_show(figures: Any) -> None:
    assert action("organization_list")[1]["result"] == ["publisher"]
    org = action("organization_list", "all_fields=true")[1]["result"][0]
    assert (org["name"], org["is_organization"], org["type"], org["package_count"]) == (
        "publisher",
        True,
        "organization",
        5,
    )
    _, body = action("organization_show", "id=publisher&include_datasets=true")
    assert [p["name"] for p in body["result"]["packages"]] == [
        "services",
        "coverage",
        "pensions",
        "finances",
        "e-services",
    ]
    assert action("organization_show", "id=other")[0] == 404


def test_group_list_is_the_themes(figures: Any) -> None:
    # title asc by default, as CKAN
    assert action("group_list")[1]["result"] == ["services", "e-services", "pensions", "finances", "coverage"]
    assert action("group_list", "sort=name desc&limit=2")[1]["result"] == ["services", "pensions"]
    assert action("group_list", "sort=name&offset=3")[1]["result"] == ["pensions", "services"]
    assert action("group_list", "groups=pensions,coverage&sort=name")[1]["result"] == ["coverage", "pensions"]
    assert action("group_list", "q=خدمات&sort=name")[1]["result"] == ["e-services", "services"]
    [first] = action("group_list", "all_fields=true&limit=1")[1]["result"]
    assert first == {
        "id": "services",
        "name": "services",
        "title": "خدمات درمانی",
        "display_name": "خدمات درمانی",
        "title_translated": {"fa": "خدمات درمانی", "en": "Services and treatment"},
        "description": "خدماتی که بیمه‌شدگان در مراکز درمانی ملکی و طرف قرارداد سازمان می‌گیرند.",
        "description_translated": {
            "fa": "خدماتی که بیمه‌شدگان در مراکز درمانی ملکی و طرف قرارداد سازمان می‌گیرند.",
            "en": "",
        },
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": None,
        "package_count": 1,
        "extras": [],
        "groups": [],
        "tags": [],
        "num_followers": 0,
    }
    assert action("group_list", "sort=colour")[1]["error"] == {
        "__type": "Validation Error",
        "sort": ["Sort by name, title or package_count, asc or desc"],
    }


def test_group_show(figures: Any) -> None:
    _, body = action("group_show", "id=pensions&include_datasets=true")
    group = body["result"]
    assert (group["name"], group["package_count"], [p["name"] for p in group["packages"]]) == (
        "pensions",
        1,
        ["pensions"],
    )
    _, body = action("group_show", "id=pensions&include_dataset_count=false")
    assert "package_count" not in body["result"] and "packages" not in body["result"]
    assert action("group_show", "id=nope") == (
        404,
        {
            "help": "http://testserver/api/3/action/help_show?name=group_show",
            "success": False,
            "error": {"__type": "Not Found Error", "message": "Not found: Group was not found."},
        },
    )


def test_tag_list(figures: Any) -> None:
    tags = action("tag_list")[1]["result"]
    assert len(tags) == 14 and tags == sorted(tags)
    assert action("tag_list", "query=occupancy")[1]["result"] == ["bed-occupancy"]
    assert action("tag_list", "query=occupancy&all_fields=true")[1]["result"] == [
        {
            "id": "bed-occupancy",
            "name": "bed-occupancy",
            "display_name": "bed-occupancy",
            "vocabulary_id": None,
        }
    ]
    assert action("tag_list", "vocabulary_id=x")[0] == 404


@pytest.mark.parametrize(
    ("name", "query", "queries"),
    [
        ("package_list", "", 3),
        ("package_show", "id=services", 3),
        ("package_search", "q=services", 3),
        ("group_list", "all_fields=true", 4),  # themes, then the catalogue's three
        ("tag_list", "", 3),
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


HOSTILE = [
    None,
    True,
    1.5,
    -1,
    10**30,
    "",
    " ",
    "\u200c",
    "x" * 5000,
    [],
    ["a", 1],
    {},
    {"a": {"b": 1}},
    "NaN",
]


def test_no_parameter_value_makes_an_action_fail_badly(figures: Any) -> None:
    """Every action, every parameter it knows, every odd JSON value: a CKAN answer, never a 500."""
    lists = ["all_fields", "sort", "limit", "offset", "q", "include_dataset_count", "order_by"]
    shows = ["id", "include_datasets", "include_dataset_count"]
    known = {
        "status_show": ["id"],
        "package_list": ["limit", "offset"],
        "package_show": ["id"],
        "resource_show": ["id"],
        "package_search": ["q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field",
                           "facet.limit", "facet.mincount", "fl", "include_private"],
        "organization_list": [*lists, "organizations"],
        "group_list": [*lists, "groups"],
        "organization_show": shows,
        "group_show": shows,
        "tag_list": ["query", "all_fields", "vocabulary_id"],
        "datastore_search": ["resource_id", "filters", "q", "full_text", "plain", "language", "limit",
                             "offset", "sort", "fields", "distinct", "include_total", "records_format"],
        "help_show": ["name"],
    }  # fmt: skip
    assert set(known) == set(ACTIONS)
    base = {"id": "services", "resource_id": "services", "name": "package_list"}
    request = RequestFactory().post("/api/action/x")
    answers: Counter[str] = Counter()
    for name, run in ACTIONS.items():
        for key in known[name]:
            for value in HOSTILE:
                # The action itself, then the JSON the view writes: the HTTP path is tested above.
                try:
                    json.dumps(run(request, {**base, key: value}), ensure_ascii=False, allow_nan=False)
                    answers["ok"] += 1
                except CkanError as exc:
                    assert exc.status in (400, 404, 409), (name, key, value)
                    answers[exc.kind] += 1
    assert set(answers) == {"ok", "Validation Error", "Not Found Error", "Search Query Error"}


def test_a_failing_action_answers_in_ckans_envelope(figures: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(request: Any, params: dict[str, Any]) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setitem(ACTIONS, "tag_list", broken)
    assert action("tag_list") == (
        500,
        {
            "help": "http://testserver/api/3/action/help_show?name=tag_list",
            "success": False,
            "error": {"__type": "Internal Server Error", "message": "Internal Server Error"},
        },
    )


def test_the_api_root_says_its_version(figures: Any) -> None:
    response = Client().get("/api/3")
    assert (response.status_code, json.loads(response.content)) == (200, {"version": 3})
