"""The DCAT-AP catalogue as JSON-LD and as Turtle (our own writer, read back with regexes)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tabyin.portal.api.turtle import iri, literal
from tabyin.portal.models import Dataset, Release
from tests.portal.test_api_v1 import lay_down_figures

_STRING = r'"((?:[^"\\]|\\.)*)"'


@pytest.fixture
def figures(org: None) -> dict[str, Release]:
    return lay_down_figures()


def unescape(text: str) -> str:
    escapes = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] == "u" else escapes[code]

    return re.sub(r"\\(u[0-9A-F]{4}|.)", one, text)


def blocks(turtle: str) -> dict[str, str]:
    """Subject IRI → its block of predicates (our writer puts one subject per block)."""
    found = re.findall(r"^<([^>]+)>\n(.*?) \.\n", turtle, re.S | re.M)
    return dict(found)


def test_json_ld_has_every_dataset_in_both_languages(figures: Any) -> None:
    response = Client().get("/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = json.loads(response.content)
    assert set(document["@context"]) == {"dcat", "dct", "foaf", "vcard", "skos", "xsd"}
    catalog = document["@graph"][0]
    assert catalog["@type"] == "dcat:Catalog"
    by_id = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(by_id) == set(Dataset.objects.values_list("slug", flat=True))
    for ds in Dataset.objects.all():
        titles = {t["@language"]: t["@value"] for t in by_id[ds.slug]["dct:title"]}
        assert titles == {"fa": ds.title_fa, "en": ds.title_en}
    services = by_id["services"]
    assert services["@id"] == "http://testserver/data/services/"
    assert services["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert services["dct:issued"]["@type"] == "xsd:dateTime"
    assert services["dct:temporal"]["dcat:startDate"] == {"@value": "2024-02-20", "@type": "xsd:date"}
    assert services["dct:temporal"]["dcat:endDate"] == {"@value": "2024-05-20", "@type": "xsd:date"}
    assert services["dcat:theme"] == {"@id": "http://testserver/data/#theme-services"}
    assert {"@value": "Bed occupancy in owned hospitals", "@language": "en"} in services["dcat:keyword"]
    assert services["dcat:contactPoint"]["@type"] == "vcard:Organization"
    csv_dist = services["dcat:distribution"][0]
    assert csv_dist == {
        "@id": "http://testserver/data/services.csv",
        "@type": "dcat:Distribution",
        "dct:title": [
            {"@value": "خدمات درمانی به تفکیک استان و ماه (CSV)", "@language": "fa"},
            {"@value": "Treatment services by province and month (CSV)", "@language": "en"},
        ],
        "dcat:accessURL": {"@id": "http://testserver/data/services/"},
        "dcat:downloadURL": {"@id": "http://testserver/data/services.csv"},
        "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/text/csv"},
        "dct:format": {"@id": "http://publications.europa.eu/resource/authority/file-type/CSV"},
        "dct:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
    }
    assert [d["dcat:downloadURL"]["@id"] for d in services["dcat:distribution"]] == [
        "http://testserver/data/services.csv",
        "http://testserver/data/services.xlsx",
        "http://testserver/data/services.json",
        "http://testserver/data/services/datapackage.json",
    ]
    publisher = document["@graph"][1]
    assert publisher["@type"] == "foaf:Agent"


def test_turtle_says_the_same_and_escapes_strings(figures: Any) -> None:
    Dataset.objects.filter(slug="pensions").update(title_en='Pensions "paid"\\ by month\nline two\ttab')
    turtle = Client().get("/catalog.ttl").content.decode()
    assert turtle.startswith("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    subjects = blocks(turtle)
    datasets = {s: b for s, b in subjects.items() if re.search(r"^\s+a dcat:Dataset\b", b, re.M)}
    assert set(datasets) == {f"http://testserver/data/{d.slug}/" for d in Dataset.objects.all()}
    for ds in Dataset.objects.all():
        block = datasets[f"http://testserver/data/{ds.slug}/"]
        match = re.search(rf"dct:title {_STRING}@fa , {_STRING}@en", block)
        assert match, block
        assert (unescape(match.group(1)), unescape(match.group(2))) == (ds.title_fa, ds.title_en)
        assert f'dct:identifier "{ds.slug}"' in block
    pensions = datasets["http://testserver/data/pensions/"]
    assert r'"Pensions \"paid\"\\ by month\nline two\ttab"@en' in pensions
    catalog = subjects["http://testserver/data/#catalog"]
    assert "a dcat:Catalog" in catalog
    listed = re.search(r"dcat:dataset ((?:<[^>]+>(?: , )?)+)", catalog)
    assert listed and len(re.findall(r"<[^>]+>", listed.group(1))) == 5
    csv_block = subjects["http://testserver/data/services.csv"]
    assert "dcat:downloadURL <http://testserver/data/services.csv>" in csv_block
    assert "dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv>" in csv_block
    assert re.search(r'dcat:startDate "2024-02-20"\^\^xsd:date', datasets["http://testserver/data/services/"])


def test_turtle_writer_escaping() -> None:
    assert literal('a"b\\c\nd\x01') == '"a\\"b\\\\c\\nd\\u0001"'
    assert literal("فارسی") == '"فارسی"'
    assert iri('http://x/a b<c>"') == "<http://x/a%20b%3Cc%3E%22>"


def test_catalogue_query_count_and_etag(figures: Any, django_assert_num_queries: Any) -> None:
    client = Client()
    with django_assert_num_queries(4):  # datasets + themes, indicators, period ranges
        response = client.get("/catalog.ttl")
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    with django_assert_num_queries(1):
        assert client.get("/catalog.ttl", headers={"If-None-Match": response["ETag"]}).status_code == 304
