"""/api/v1: shapes, filters, keyset paging, aggregates, errors, ETags and query counts.

The figures laid down by ``lay_down_figures`` (also used by the export, CKAN and DCAT tests):

* outpatient-services-per-day (level, 0 decimals, suppressed below 10) for IR, IR-07 and IR-23 in
  1402-12, 1403-01 and 1403-02; IR-07 in 1403-02 is suppressed (stored as 7, published as a gap);
  IR-23 has 1100 twice, so sorting by value has a tie;
* bed-occupancy (rate, ×100, 1 decimal) for the same areas and periods with numerators and
  denominators; national values like 75.4545 are published as 75.5.

1403-02 comes from release 2 (provisional), the rest from release 1 (final).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from tabyin.portal.enums import FigureStatus
from tabyin.portal.models import Dataset, Observation, Release
from tabyin.portal.versions import data_version_bump
from tests.portal.factories import install_catalog, observe, release

AREAS = ("IR", "IR-07", "IR-23")
PERIODS = ("1402-12", "1403-01", "1403-02")
OUTPATIENT = {
    "IR": (1500, 1620, 1157),
    "IR-07": (500, 520, 7),
    "IR-23": (1000, 1100, 1100),
}
BEDS = {  # (numerator, denominator) per period; value = numerator / denominator × 100
    "IR": ((830, 1100), (841, 1100), (852, 1100)),
    "IR-07": ((80, 100), (81, 100), (82, 100)),
    "IR-23": ((750, 1000), (760, 1000), (770, 1000)),
}


def lay_down_figures() -> dict[str, Release]:
    install_catalog()
    services = Dataset.objects.get(slug="services")
    final = release(services)
    provisional = release(services, status=FigureStatus.PROVISIONAL)
    for area in AREAS:
        for index, period in enumerate(PERIODS):
            rel, status = (
                (provisional, FigureStatus.PROVISIONAL) if index == 2 else (final, FigureStatus.FINAL)
            )
            observe(
                "outpatient-services-per-day",
                area,
                period,
                OUTPATIENT[area][index],
                status=status,
                suppressed=(area, period) == ("IR-07", "1403-02"),
                in_release=rel,
            )
            num, den = BEDS[area][index]
            value = (Decimal(num) / Decimal(den) * 100).quantize(Decimal("0.0001"))
            observe(
                "bed-occupancy",
                area,
                period,
                value,
                numerator=num,
                denominator=den,
                status=status,
                in_release=rel,
            )
    return {"final": final, "provisional": provisional}


@pytest.fixture
def figures(org: None) -> dict[str, Release]:
    return lay_down_figures()


@pytest.fixture(autouse=True)
def _fresh_data_version(db: None) -> Iterator[None]:
    caches["shared"].clear()  # the global, catalogue and per-dataset counters (portal.versions)
    yield
    caches["shared"].clear()


def get(client: Client, url: str, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    return response, (json.loads(response.content) if response.content else None)


def walk(client: Client, url: str) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        response, body = get(client, next_url)
        assert response.status_code == 200, body
        rows.extend(body["results"])
        pages += 1
        next_url = body["next"]
        assert pages < 100
    return rows, pages


def key(row: dict[str, Any]) -> tuple[str, str, str]:
    return row["indicator"], row["area"], row["period"]


# --- rows ---------------------------------------------------------------------------------------------


def test_a_row_has_ascii_codes_iso_dates_and_numbers_with_the_indicators_decimals(figures: Any) -> None:
    response, body = get(
        Client(), "/api/v1/datasets/services/rows?indicator=bed-occupancy&area=IR&period=1403-01"
    )
    assert response.status_code == 200
    assert body == {
        "dataset": "services",
        "sort": "period",
        "size": 100,
        "next": None,
        "results": [
            {
                "indicator": "bed-occupancy",
                "area": "IR",
                "area_name_fa": "کل کشور",
                "area_name_en": "Whole country",
                "period": "1403-01",
                "period_start": "2024-03-20",
                "value": 76.5,
                "numerator": 841,
                "denominator": 1100,
                "status": "final",
                "suppressed": False,
                "release": 1,
            }
        ],
    }


def test_a_suppressed_figure_is_null_with_suppressed_true_and_no_numerator(figures: Any) -> None:
    _, body = get(
        Client(),
        "/api/v1/datasets/services/rows?province=IR-07&period=1403-02&indicator=outpatient-services-per-day",
    )
    assert body["results"] == [
        {
            "indicator": "outpatient-services-per-day",
            "area": "IR-07",
            "area_name_fa": "فارس",
            "area_name_en": "Fars",
            "period": "1403-02",
            "period_start": "2024-04-20",
            "value": None,
            "numerator": None,
            "denominator": None,
            "status": "provisional",
            "suppressed": True,
            "release": 2,
        }
    ]


def test_filters_combine(figures: Any) -> None:
    client = Client()
    _, body = get(
        client,
        "/api/v1/datasets/services/rows?area=IR-23,IR-07&period__gte=1403-01&period__lte=1403-01"
        "&indicator=outpatient-services-per-day&_sort=area",
    )
    assert [(r["area"], r["value"]) for r in body["results"]] == [("IR-07", 520), ("IR-23", 1100)]
    _, body = get(
        client, "/api/v1/datasets/services/rows?status=provisional&_sort=-area&indicator=bed-occupancy"
    )
    assert [(r["area"], r["period"], r["value"]) for r in body["results"]] == [
        ("IR-23", "1403-02", 77.0),
        ("IR-07", "1403-02", 82.0),
        ("IR", "1403-02", 77.5),
    ]
    _, body = get(
        client, "/api/v1/datasets/services/rows?period=1402-12,1403-02&area=ir&indicator=bed-occupancy"
    )
    assert [r["period"] for r in body["results"]] == ["1402-12", "1403-02"]


def test_persian_digits_in_parameters_are_read_as_ascii(figures: Any) -> None:
    client = Client()
    _, persian = get(client, "/api/v1/datasets/services/rows?period__gte=۱۴۰۳-۰۲&_size=۲")
    _, ascii_ = get(client, "/api/v1/datasets/services/rows?period__gte=1403-02&_size=2")
    assert persian["results"] == ascii_["results"]
    assert len(persian["results"]) == 2
    assert persian["size"] == 2


def _expected_order(sort: str) -> list[tuple[str, str, str]]:
    rows = list(Observation.objects.select_related("indicator").filter(indicator__dataset__slug="services"))

    def shown(o: Observation) -> Decimal | None:
        return None if o.suppressed else o.value

    field = sort.lstrip("-")
    descending = sort.startswith("-")
    if field == "value":
        present = sorted(
            (o for o in rows if shown(o) is not None), key=lambda o: (shown(o), o.pk), reverse=descending
        )
        gaps = sorted((o for o in rows if shown(o) is None), key=lambda o: o.pk, reverse=descending)
        ordered = present + gaps
    else:
        ordered = sorted(rows, key=lambda o: (getattr(o, field), o.pk), reverse=descending)
    return [(o.indicator.code, o.area, o.period) for o in ordered]


@pytest.mark.parametrize("sort", ["period", "-period", "value", "-value", "area", "-area"])
@pytest.mark.parametrize("size", [1, 4, 18])
def test_keyset_paging_walks_every_row_once_in_order(figures: Any, sort: str, size: int) -> None:
    rows, pages = walk(Client(), f"/api/v1/datasets/services/rows?_sort={sort}&_size={size}")
    assert [key(r) for r in rows] == _expected_order(sort)
    assert len(set(map(key, rows))) == 18
    assert pages == -(-18 // size)  # a full last page already says next: null


def test_paging_keeps_filters_and_ends_with_null_next(figures: Any) -> None:
    client = Client()
    _, first = get(client, "/api/v1/datasets/services/rows?area=IR-23&_sort=-value&_size=2")
    assert first["next"].startswith("http://testserver/api/v1/datasets/services/rows?")
    assert "area=IR-23" in first["next"] and "_sort=-value" in first["next"] and "_size=2" in first["next"]
    rows, _ = walk(client, "/api/v1/datasets/services/rows?area=IR-23&_sort=-value&_size=2")
    assert [r["value"] for r in rows] == [1100, 1100, 1000, 77.0, 76.0, 75.0]


def test_the_value_sort_puts_suppressed_figures_last_so_their_place_reveals_nothing(figures: Any) -> None:
    for sort in ("value", "-value"):
        rows, _ = walk(
            Client(), f"/api/v1/datasets/services/rows?_sort={sort}&indicator=outpatient-services-per-day"
        )
        assert rows[-1]["suppressed"] is True
        assert all(r["value"] is not None for r in rows[:-1])


# --- errors ---------------------------------------------------------------------------------------------


PERIOD = "A period is a Jalali month written YYYY-MM with a month from 01 to 12, e.g. 1403-11."
AREA = "An area is IR for the whole country or a province code from IR-00 to IR-30."
LIMIT = "This number is larger than the limit of 1000."
BAD_REQUESTS = [
    ("perod=1403-01", "unknown_parameter", "perod", "This parameter is not known here."),
    ("_size=1001", "too_large", "_size", LIMIT),
    ("_size=1000000000", "too_large", "_size", LIMIT),
    ("_size=10**9", "invalid_integer", "_size", "This parameter takes a whole number."),
    ("_size=0", "too_small", "_size", "This number is smaller than the minimum of 1."),
    ("period__gte=1402-13", "invalid_period", "period__gte", PERIOD),
    ("period=1402-1", "invalid_period", "period", PERIOD),
    ("_sort=;drop", "invalid_sort", "_sort", "Sort by period, -period, value, -value, area or -area."),
    (
        "_after=garbage",
        "invalid_cursor",
        "_after",
        "This cursor is not valid; start again from the first page.",
    ),
    ("area=IR-999", "invalid_area", "area", AREA),
    ("area=IR-23&area=IR-07", "repeated_parameter", "area", "Give this parameter only once."),
    ("area=IR&province=IR", "conflicting_parameters", "province", "Give either area or province, not both."),
    ("status=draft", "invalid_status", "status", "The status is either provisional or final."),
    (
        "indicator=pensioners",
        "unknown_indicator",
        "indicator",
        "This dataset has no indicator with that code.",
    ),
    ("area=IR%00", "invalid_parameter", "area", "This parameter has a value that is not valid."),
]


@pytest.mark.parametrize(("query", "code", "parameter", "message"), BAD_REQUESTS)
def test_bad_requests_are_400_with_one_error_shape(
    figures: Any, query: str, code: str, parameter: str, message: str
) -> None:
    response, body = get(Client(), f"/api/v1/datasets/services/rows?{query}")
    assert response.status_code == 400
    error = body["error"]
    assert (error["code"], error["message"], error["parameter"]) == (code, message, parameter)
    assert set(error) == {"code", "message", "message_fa", "parameter"}
    assert error["message_fa"]  # the Persian text (English until the catalogue has it)


def _cursor(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor({"s": "-value", "k": "1100", "i": 3}),  # made for another order
        _cursor({"s": "period", "k": "1403-01", "i": "3"}),  # id is not a number
        _cursor({"s": "period", "k": 1403, "i": 3}),  # key of the wrong type
        _cursor({"s": "period", "k": "1403-01"}),  # no id
        _cursor(["period"]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "a" * 500,
        "%%%",
    ],
)
def test_tampered_cursors_are_400(figures: Any, cursor: str) -> None:
    response, body = get(Client(), f"/api/v1/datasets/services/rows?_sort=period&_after={cursor}")
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "cursor", [_cursor({"s": "value", "k": "NaN", "i": 3}), _cursor({"s": "value", "k": "1e999", "i": 3})]
)
def test_value_cursors_must_hold_finite_numbers(figures: Any, cursor: str) -> None:
    response, body = get(Client(), f"/api/v1/datasets/services/rows?_sort=value&_after={cursor}")
    assert (response.status_code, body["error"]["code"]) == (400, "invalid_cursor")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/datasets/nope",
        "/api/v1/datasets/nope/rows",
        "/api/v1/datasets/%00/rows",
        "/api/v1/datasets/a%20b",
        "/api/v1/indicators/nope",
    ],
)
def test_unknown_things_are_404_with_the_same_shape(figures: Any, url: str) -> None:
    response, body = get(Client(), url)
    assert response.status_code == 404
    assert body["error"]["code"] == "not_found"
    assert set(body["error"]) == {"code", "message", "message_fa", "parameter"}


# --- aggregates ---------------------------------------------------------------------------------------


def test_aggregates_by_period_recompute_rates_from_summed_numerators(figures: Any) -> None:
    _, body = get(Client(), "/api/v1/datasets/services/aggregates?by=period&indicator=bed-occupancy")
    # Provinces only (national rows would count twice): 1402-12 is (80 + 750) / (100 + 1000) × 100 = 75.45…,
    # not the average of 80.0 and 75.0.
    header = {k: v for k, v in body.items() if k != "results"}
    assert header == {
        "dataset": "services",
        "indicator": "bed-occupancy",
        "kind": "rate",
        "factor": 100,
        "decimals": 1,
        "by": "period",
    }
    first = body["results"][0]
    assert first == {
        "area": None,
        "area_name_fa": None,
        "area_name_en": None,
        "period": "1402-12",
        "period_start": "2024-02-20",
        "value": 75.5,
        "numerator": 830,
        "denominator": 1100,
        "rows": 2,
        "suppressed_rows": 0,
    }
    assert [(r["period"], r["value"], r["numerator"], r["denominator"]) for r in body["results"]] == [
        ("1402-12", 75.5, 830, 1100),
        ("1403-01", 76.5, 841, 1100),
        ("1403-02", 77.5, 852, 1100),
    ]


def test_aggregates_by_area_sum_levels_and_leave_suppressed_figures_out(figures: Any) -> None:
    _, body = get(
        Client(), "/api/v1/datasets/services/aggregates?by=area&indicator=outpatient-services-per-day"
    )
    assert [
        (r["area"], r["area_name_en"], r["value"], r["rows"], r["suppressed_rows"]) for r in body["results"]
    ] == [
        ("IR", "Whole country", 4277, 3, 0),
        ("IR-07", "Fars", 1020, 3, 1),
        ("IR-23", "Tehran", 3200, 3, 0),
    ]


def test_aggregates_need_a_known_grouping_and_indicator(figures: Any) -> None:
    client = Client()
    cases = {
        "by=area": ("missing_parameter", "indicator"),
        "indicator=bed-occupancy": ("missing_parameter", "by"),
        "by=month&indicator=bed-occupancy": ("invalid_group", "by"),
        "by=area&indicator=pensioners": ("unknown_indicator", "indicator"),
        "by=area&indicator=bed-occupancy,x": ("invalid_code", "indicator"),
    }
    for query, (code, parameter) in cases.items():
        response, body = get(client, f"/api/v1/datasets/services/aggregates?{query}")
        assert (response.status_code, body["error"]["code"], body["error"]["parameter"]) == (
            400,
            code,
            parameter,
        )


# --- catalogue endpoints --------------------------------------------------------------------------------


def test_datasets_search_with_persian_spelling_variants_and_theme_facets(figures: Any) -> None:
    client = Client()
    _, body = get(client, "/api/v1/datasets")
    assert body["count"] == 5
    assert [d["slug"] for d in body["results"]] == [
        "services",
        "coverage",
        "pensions",
        "finances",
        "e-services",
    ]
    assert body["facets"]["theme"][0] == {
        "code": "services",
        "name_fa": "خدمات درمانی",
        "name_en": "Services and treatment",
        "count": 1,
    }
    services = body["results"][0]
    assert services["first_period"] == "1402-12" and services["latest_period"] == "1403-02"
    assert services["latest_release"] == 2
    assert services["links"]["csv"] == "http://testserver/data/services.csv"
    assert services["links"]["rows"] == "http://testserver/api/v1/datasets/services/rows"
    # Arabic yeh and kaf, no ZWNJ: the stored title has Persian letters and «بیمه‌ای».
    _, body = get(client, "/api/v1/datasets?q=پوشش بيمه اي")
    assert [d["slug"] for d in body["results"]] == ["coverage"]
    _, body = get(client, "/api/v1/datasets?q=services&theme=e-services")
    assert [d["slug"] for d in body["results"]] == ["e-services"]
    assert {f["code"]: f["count"] for f in body["facets"]["theme"]} == {"services": 1, "e-services": 1}


def test_a_dataset_lists_its_indicators_and_published_releases(figures: Any) -> None:
    _, body = get(Client(), "/api/v1/datasets/services")
    assert [i["code"] for i in body["indicators"]] == [
        "bed-occupancy",
        "inpatient-services-per-day",
        "outpatient-services-per-day",
    ]
    beds = body["indicators"][0]
    assert (beds["kind"], beds["factor"], beds["decimals"], beds["latest_period"]) == (
        "rate",
        100,
        1,
        "1403-02",
    )
    assert beds["links"]["csv"] == "http://testserver/data/services/bed-occupancy.csv"
    assert [(r["number"], r["status"]) for r in body["releases"]] == [(2, "provisional"), (1, "final")]


def test_indicators_and_explanations_and_revisions(figures: Any, hq_analyst: Any) -> None:
    from tabyin.portal.models import Explanation, Indicator, Revision

    beds = Indicator.objects.get(code="bed-occupancy")
    published = Explanation.objects.create(
        thread=1,
        indicator=beds,
        area="",
        period="",
        kind="caveat",
        state="published",
        title_fa="ت",
        body_fa="ب",
        author=hq_analyst,
    )
    Explanation.objects.create(
        thread=2,
        indicator=beds,
        area="IR-07",
        kind="weakness",
        state="draft",
        title_fa="x",
        body_fa="y",
        author=hq_analyst,
    )
    obs = Observation.objects.get(indicator=beds, area="IR", period="1403-01")
    Revision.objects.create(
        observation=obs,
        release=figures["provisional"],
        old_value=Decimal("76.0000"),
        new_value=Decimal("76.4545"),
        old_status="provisional",
        new_status="final",
        reason="late returns",
    )
    client = Client()
    _, body = get(client, "/api/v1/indicators?dataset=services")
    assert [i["code"] for i in body] == [
        "bed-occupancy",
        "inpatient-services-per-day",
        "outpatient-services-per-day",
    ]
    _, body = get(client, "/api/v1/explanations?indicator=bed-occupancy&area=IR-23")
    assert [(e["id"], e["area"], e["kind"]) for e in body["results"]] == [(published.pk, None, "caveat")]
    _, body = get(client, "/api/v1/explanations?kind=weakness")
    assert body == {"next": None, "results": []}
    _, body = get(client, "/api/v1/revisions?indicator=bed-occupancy&since=2000-01-01")
    assert [
        (r["area"], r["period"], r["old_value"], r["new_value"], r["release"]) for r in body["results"]
    ] == [("IR", "1403-01", 76.0, 76.5, 2)]
    _, body = get(client, "/api/v1/revisions?since=2999-01-01T00:00:00Z")
    assert body["results"] == []
    response, body = get(client, "/api/v1/revisions?since=yesterday")
    assert (response.status_code, body["error"]["code"]) == (400, "invalid_datetime")


# --- caching ---------------------------------------------------------------------------------------------


def test_etag_304_and_a_new_etag_when_the_data_version_changes(
    figures: Any, django_assert_num_queries: Any
) -> None:
    client = Client()
    first = client.get("/api/v1/datasets/services/rows?_size=5")
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Access-Control-Allow-Origin"] == "*"
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    with django_assert_num_queries(1):
        again = client.get("/api/v1/datasets/services/rows?_size=5", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert client.get("/api/v1/datasets/services/rows?_size=6")["ETag"] != etag  # the URL is in the tag
    data_version_bump("services")  # what publishing a release of this dataset does
    changed = client.get("/api/v1/datasets/services/rows?_size=5", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_errors_carry_no_etag(figures: Any) -> None:
    response = Client().get("/api/v1/datasets/nope")
    assert response.status_code == 404
    assert "ETag" not in response


# --- query counts ---------------------------------------------------------------------------------------


def _more_figures() -> None:
    services = Dataset.objects.get(slug="services")
    rel = release(services)
    for n in range(20):
        observe("inpatient-services-per-day", f"IR-{n:02d}", "1403-01", 10 + n, in_release=rel)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/datasets", 4),  # datasets + themes, their indicators, period ranges
        ("/api/v1/datasets/services", 5),  # dataset, indicators, period ranges, releases
        ("/api/v1/datasets/services/rows?_size=1000", 5),  # dataset, indicators, area names, rows
        ("/api/v1/datasets/services/rows?_sort=-value&_size=3", 5),
        ("/api/v1/datasets/services/aggregates?by=area&indicator=inpatient-services-per-day", 5),
        ("/api/v1/indicators", 3),  # indicators with dataset and theme, period ranges
        ("/api/v1/indicators/bed-occupancy", 3),
        ("/api/v1/explanations", 2),
        ("/api/v1/revisions?indicator=bed-occupancy", 3),  # the code is checked, then the page
    ],
)
def test_query_counts_do_not_grow_with_rows(
    figures: Any, django_assert_num_queries: Any, settings: Any, url: str, queries: int
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries, not the cache layer's
    client = Client()
    client.get(url)  # the cache layer's indicator → dataset map, read once per catalogue version
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _more_figures()
    caches["shared"].set("portal:data-version", 2)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_openapi_is_served_and_the_docs_page_needs_no_cdn(db: None) -> None:
    client = Client()
    response, schema = get(client, "/api/v1/openapi.json")
    assert response.status_code == 200
    assert schema["info"]["title"] == "Tabyin public API"  # one document for every app's routes
    rows = schema["paths"]["/api/v1/datasets/{slug}/rows"]["get"]
    names = {p["name"] for p in rows["parameters"]}
    assert {
        "_size",
        "_after",
        "_sort",
        "period__gte",
        "period__lte",
        "area",
        "province",
        "indicator",
    } <= names
    _, index = get(client, "/api/v1/")
    assert index["docs"] == "http://testserver/api/v1/docs"
    assert index["ckan"] == "http://testserver/api/3/action/package_list"
    assert index["dcat"] == "http://testserver/catalog.jsonld"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "GET /api/v1/datasets/{slug}/rows" in html
    assert "<code>_size</code>" in html
    # Nothing to run (the shell's optional pwa.js aside), nothing fetched from another host.
    assert "<script" not in html.replace('<script src="/static/tabyin/js/pwa.js"', "", 1)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
