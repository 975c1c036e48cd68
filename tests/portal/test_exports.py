"""Downloads (CSV, XLSX, JSON, Frictionless data packages) and the catalogue pages under /data/."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.template.loader import render_to_string
from django.test import Client
from openpyxl import load_workbook

from tabyin.core.models import OrgUnit
from tabyin.portal.models import Indicator, Release
from tests.portal.test_api_v1 import lay_down_figures

HEADER = (
    "indicator,area,area_name_fa,area_name_en,period,period_start,value,numerator,denominator,status,"
    "suppressed,release"
)


@pytest.fixture
def figures(org: None) -> dict[str, Release]:
    return lay_down_figures()


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _number_or_text(cell: str) -> str:
    """Numbers compared as numbers: XLSX stores 80.0 as the number 80."""
    return str(Decimal(cell).normalize()) if re.fullmatch(r"-?\d+(\.\d+)?", cell) else cell


def _as_csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, int | float):
        return str(Decimal(str(value)).normalize())
    return str(value)


def test_csv_of_a_dataset_with_filters(figures: Any) -> None:
    response = Client().get("/data/services.csv?area=IR-23&period__gte=1402-01&period__lte=1403-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="services.csv"'
    text = body(response).decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text.split("\r\n") == [
        HEADER,
        "outpatient-services-per-day,IR-23,تهران,Tehran,1402-12,2024-02-20,1000,,,final,false,1",
        "outpatient-services-per-day,IR-23,تهران,Tehran,1403-01,2024-03-20,1100,,,final,false,1",
        "bed-occupancy,IR-23,تهران,Tehran,1402-12,2024-02-20,75.0,750,1000,final,false,1",
        "bed-occupancy,IR-23,تهران,Tehran,1403-01,2024-03-20,76.0,760,1000,final,false,1",
        "",
    ]


def test_bom_for_excel_is_opt_in(figures: Any) -> None:
    client = Client()
    with_bom = body(client.get("/data/services/bed-occupancy.csv?bom=1"))
    assert with_bom.startswith(b"\xef\xbb\xbfindicator,area,")
    assert body(client.get("/data/services/bed-occupancy.csv")).startswith(b"indicator,area,")


def test_text_cells_that_look_like_formulas_are_defused_and_numbers_are_not(figures: Any) -> None:
    OrgUnit.objects.filter(iso_code="IR-23").update(name_en="=1+1", name_fa="@SUM(A1)")
    OrgUnit.objects.filter(iso_code="IR-07").update(name_en="-2+3", name_fa="\tx")
    from tests.portal.factories import observe

    observe("government-debt", "IR", "1403-01", -5)
    client = Client()
    rows = csv_rows(body(client.get("/data/services/bed-occupancy.csv?period=1403-01")))
    names = {r[1]: (r[2], r[3]) for r in rows[1:]}
    assert names == {
        "IR": ("کل کشور", "Whole country"),
        "IR-07": ("'\tx", "'-2+3"),
        "IR-23": ("'@SUM(A1)", "'=1+1"),
    }
    debt = csv_rows(body(client.get("/data/finances/government-debt.csv")))
    assert debt[1][6] == "-5"  # a number, never prefixed
    book = load_workbook(io.BytesIO(body(client.get("/data/services/bed-occupancy.xlsx?period=1403-01"))))
    cell = next(c for row in book["data"].iter_rows(min_row=2) for c in row if c.value == "=1+1")
    assert cell.data_type == "s"  # text in XLSX, never a formula, and no apostrophe needed


def test_xlsx_has_the_same_rows_and_an_about_sheet(figures: Any) -> None:
    client = Client()
    response = client.get("/data/services.xlsx?area=IR-07")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="services.xlsx"'
    book = load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames == ["data", "about"]
    sheet = [list(r) for r in book["data"].iter_rows(values_only=True)]
    from_csv = csv_rows(body(client.get("/data/services.csv?area=IR-07")))
    assert sheet[0] == from_csv[0] == HEADER.split(",")
    assert len(sheet) == len(from_csv) == 7
    for xlsx_row, csv_row in zip(sheet[1:], from_csv[1:], strict=True):
        assert [_as_csv_text(v) for v in xlsx_row] == [_number_or_text(c) for c in csv_row]
    first_start = sheet[1][5]
    assert isinstance(first_start, datetime)  # a real date cell (Excel has no date-only type)
    assert first_start.date() == date(2024, 2, 20)
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["title_fa"] == "خدمات درمانی به تفکیک استان و ماه"
    assert about["title_en"] == "Treatment services by province and month"
    assert (
        about["licence"]
        == "Creative Commons Attribution 4.0 International https://creativecommons.org/licenses/by/4.0/"
    )
    assert about["source"] == "سازمان تأمین اجتماعی، دفتر آمار و محاسبات اقتصادی و اجتماعی"
    assert about["area"] == "IR-07"
    assert datetime.fromisoformat(about["generated_at"]).tzinfo is not None


def test_json_download_matches_the_api_rows(figures: Any) -> None:
    client = Client()
    data = json.loads(body(client.get("/data/services.json?indicator=bed-occupancy&period=1403-02")))
    api = json.loads(
        client.get("/api/v1/datasets/services/rows?indicator=bed-occupancy&period=1403-02&_sort=area").content
    )
    assert data["dataset"] == "services"
    assert data["license"]["id"] == "CC-BY-4.0"
    assert data["filters"] == {"indicator": "bed-occupancy", "period": "1403-02"}
    assert data["rows"] == api["results"]
    assert [r["value"] for r in data["rows"]] == [77.5, 82.0, 77.0]


def test_download_errors_use_the_api_error_shape(figures: Any) -> None:
    client = Client()
    response = client.get("/data/services/bed-occupancy.csv?indicator=bed-occupancy")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["parameter"] == "indicator"
    assert client.get("/data/services.csv?period__gte=1402-13").status_code == 400
    assert client.get("/data/services.csv?bom=1&bom=1").status_code == 400
    assert client.get("/data/services.json?bom=1").status_code == 400  # bom is for CSV only
    missing = client.get("/data/nope.csv")
    assert (missing.status_code, json.loads(missing.content)["error"]["code"]) == (404, "not_found")
    assert client.get("/data/services/pensioners.csv").status_code == 404


def test_downloads_have_weak_etags_and_answer_304(figures: Any, django_assert_num_queries: Any) -> None:
    client = Client()
    first = client.get("/data/services.csv")
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == "public, max-age=300"
    with django_assert_num_queries(1):
        assert client.get("/data/services.csv", headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/data/services.csv", 5),  # dataset, its indicators, area names, rows (one cursor)
        ("/data/services.json", 5),
        ("/data/services.xlsx", 5),
        ("/data/services/bed-occupancy.csv", 5),
        ("/data/services/datapackage.json", 3),
        ("/data/", 3),  # datasets, indicators, period ranges
        ("/data/services/", 6),  # dataset, indicators, period ranges, releases, revisions, area names
    ],
)
def test_download_and_page_query_counts_are_constant(
    figures: Any, django_assert_num_queries: Any, settings: Any, url: str, queries: int
) -> None:
    settings.TABYIN_RESPONSE_CACHE = False  # the view's own queries, not core.response_cache's
    client = Client()
    with django_assert_num_queries(queries):
        body(client.get(url))
    from tests.portal.factories import observe, release

    rel = release(Indicator.objects.get(code="bed-occupancy").dataset)
    for n in range(25):
        observe("inpatient-services-per-day", f"IR-{n:02d}", "1403-02", n + 10, in_release=rel)
    with django_assert_num_queries(queries):
        body(client.get(url, headers={"Cache-Control": "no-cache"}))


def test_the_data_package_validates_with_frictionless(figures: Any, tmp_path: Path) -> None:
    client = Client()
    descriptor = json.loads(client.get("/data/services/datapackage.json").content)
    resource = descriptor["resources"][0]
    assert resource["path"] == "data/services.csv"
    assert descriptor["title"] == "Treatment services by province and month"
    assert descriptor["title_fa"] == "خدمات درمانی به تفکیک استان و ماه"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert resource["schema"]["primaryKey"] == ["indicator", "area", "period"]
    assert resource["schema"]["missingValues"] == [""]
    assert {f["name"]: f["type"] for f in resource["schema"]["fields"]} == {
        "indicator": "string",
        "area": "string",
        "area_name_fa": "string",
        "area_name_en": "string",
        "period": "string",
        "period_start": "date",
        "value": "number",
        "numerator": "number",
        "denominator": "number",
        "status": "string",
        "suppressed": "boolean",
        "release": "integer",
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "services.csv").write_bytes(body(client.get("/data/services/data/services.csv")))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 1
    assert report.tasks[0].stats["rows"] == 18
    assert client.get("/data/services/data/other.csv").status_code == 404


def test_catalogue_page_lists_datasets_by_theme_with_downloads(figures: Any) -> None:
    html = Client().get("/en/data/").content.decode()
    assert html.count('<article class="card">') == 5
    assert "Treatment services by province and month" in html
    assert 'href="/en/data/services.csv"' in html
    assert 'href="/en/data/services/datapackage.json"' in html
    assert "Bed occupancy in owned hospitals (latest: Ordibehesht 1403)" in html
    assert 'rel="license"' in html


def test_dataset_page_has_json_ld_with_the_csp_nonce_and_its_releases(figures: Any) -> None:
    response = Client().get("/en/data/services/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    match = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S)
    assert nonce and match and match.group(1) == nonce.group(1)
    data = json.loads(match.group(2))
    assert (data["@type"], data["name"], data["identifier"]) == (
        "Dataset",
        "Treatment services by province and month",
        "services",
    )
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [d["contentUrl"] for d in data["distribution"]] == [
        "http://testserver/data/services.csv",
        "http://testserver/data/services.xlsx",
        "http://testserver/data/services.json",
    ]
    assert "<td>Provisional</td>" in html and "<td>Final</td>" in html
    assert 'href="/en/data/services/bed-occupancy.xlsx"' in html


def test_dataset_page_shows_the_revision_log(figures: Any) -> None:
    from tabyin.portal.models import Observation, Revision

    obs = Observation.objects.get(indicator__code="bed-occupancy", area="IR", period="1403-01")
    Revision.objects.create(
        observation=obs,
        release=figures["provisional"],
        old_value=76,
        new_value="76.4545",
        old_status="provisional",
        new_status="final",
        reason="Late returns from Fars",
    )
    html = Client().get("/en/data/services/").content.decode()
    assert "Late returns from Fars" in html
    assert "<td>76.0</td>" in html and "<td>76.5</td>" in html
    assert Client().get("/data/nope/").status_code == 404


def test_downloads_template_for_an_indicator_or_a_dataset(figures: Any) -> None:
    indicator = Indicator.objects.select_related("dataset").get(code="bed-occupancy")
    html = render_to_string("portal/data/_downloads.html", {"indicator": indicator})
    assert 'href="/data/services/bed-occupancy.csv"' in html
    assert 'href="/data/services/bed-occupancy.csv?bom=1"' in html
    assert 'href="/data/services/bed-occupancy.json"' in html
    assert "<h2" in html
    html = render_to_string("portal/data/_downloads.html", {"dataset": indicator.dataset})
    assert 'href="/data/services.xlsx"' in html and 'href="/data/services/datapackage.json"' in html
