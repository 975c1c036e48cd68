"""The CKAN-compatible API driven by the standard CKAN client, ckanapi, against a live server.

``RemoteCKAN`` POSTs JSON to /api/action/<name> (or GETs with ``get_only``); its command line
does the same from another process, and ``dump datasets`` spawns workers that call
``package_show`` for every name ``package_list`` gave. Nothing here is a hand-written request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotFound, SearchQueryError, ValidationError
from pytest_django.live_server_helper import LiveServer

from tabyin.portal.models import Release
from tests.portal.test_api_v1 import lay_down_figures

NAMES = ["coverage", "e-services", "finances", "pensions", "services"]
CKANAPI = Path(sys.executable).parent / "ckanapi"


@pytest.fixture
def figures(org: None, live_server: LiveServer) -> dict[str, Release]:
    return lay_down_figures()


@pytest.fixture(params=[False, True], ids=["post", "get"])
def site(request: pytest.FixtureRequest, live_server: LiveServer) -> Iterator[RemoteCKAN]:
    # Closed after each test: a kept-alive connection would outlive the live server's database
    # sharing and fail noisily when the session ends.
    with RemoteCKAN(live_server.url, get_only=request.param) as remote:
        yield remote


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(CKANAPI), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_remote_ckan_lists_shows_and_searches(figures: Any, site: RemoteCKAN) -> None:
    assert site.action.package_list() == NAMES
    assert site.action.package_list(limit=2, offset=1) == ["e-services", "finances"]
    pkg = site.action.package_show(id="services")
    assert (pkg["name"], pkg["resources"][0]["id"], pkg["organization"]["name"]) == (
        "services",
        "services",
        "publisher",
    )
    assert site.action.resource_show(id="services") == pkg["resources"][0]
    found = site.action.package_search(
        q="services", fq="organization:publisher", rows=1, sort="name asc", **{"facet.field": ["groups"]}
    )
    assert found["count"] == 2
    assert [p["name"] for p in found["results"]] == ["e-services"]
    assert found["facets"] == {"groups": {"e-services": 1, "services": 1}}
    assert [i["name"] for i in found["search_facets"]["groups"]["items"]] == ["e-services", "services"]
    status = site.action.status_show()
    assert (status["ckan_version"], status["extensions"], status["locale_default"]) == (
        "2.11.0",
        ["datastore"],
        "fa",
    )


def test_remote_ckan_groups_organizations_and_tags(figures: Any, site: RemoteCKAN) -> None:
    assert site.action.organization_list() == ["publisher"]
    assert site.action.organization_show(id="publisher")["package_count"] == 5
    groups = site.action.group_list(sort="name asc")
    assert groups == ["coverage", "e-services", "finances", "pensions", "services"]
    full = site.action.group_list(all_fields=True, sort="name asc")
    assert [(g["name"], g["package_count"]) for g in full] == [(name, 1) for name in groups]
    shown = site.action.group_show(id="services", include_datasets=True)
    assert [p["name"] for p in shown["packages"]] == ["services"]
    assert "bed-occupancy" in site.action.tag_list()
    assert site.action.tag_list(query="bed") == ["bed-occupancy"]


def test_remote_ckan_datastore_search(figures: Any, site: RemoteCKAN) -> None:
    filters = {"indicator": "bed-occupancy", "area": "IR"}
    result = site.action.datastore_search(
        resource_id="services",
        # A GET carries an object only as JSON text (requests would send the keys alone), as with CKAN.
        filters=json.dumps(filters) if site.get_only else filters,
        sort="period desc",
        fields=["period", "value"],
        limit=2,
        offset=1,
    )
    assert result["records"] == [{"period": "1403-01", "value": 76.5}, {"period": "1402-12", "value": 75.5}]
    assert result["fields"] == [{"id": "period", "type": "text"}, {"id": "value", "type": "numeric"}]
    assert (result["total"], result["limit"], result["offset"]) == (3, 2, 1)
    assert result["_links"]["next"].startswith("/api/action/datastore_search?")
    periods = site.action.datastore_search(
        resource_id="services", fields="period", distinct=True, sort="period"
    )
    assert periods["records"] == [{"period": p} for p in ("1402-12", "1403-01", "1403-02")]


def test_remote_ckan_raises_ckans_own_exceptions(figures: Any, site: RemoteCKAN) -> None:
    with pytest.raises(NotFound, match="Dataset not found"):
        site.action.package_show(id="nope")
    with pytest.raises(ValidationError) as invalid:
        site.action.datastore_search(resource_id="services", limit="many")
    assert invalid.value.error_dict == {"__type": "Validation Error", "limit": ["Must be a natural number"]}
    with pytest.raises(SearchQueryError, match="Invalid search parameters"):
        site.action.package_search(author="x")
    with pytest.raises(CKANAPIError, match="Action name not known: datastore_search_sql"):
        site.action.datastore_search_sql(sql="SELECT 1")


def test_ckanapi_command_line_action(figures: Any, live_server: LiveServer) -> None:
    done = cli("action", "package_list", "-r", live_server.url)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == NAMES
    done = cli("action", "package_search", "-r", live_server.url, "-g", 'facet.field:["tags"]', "rows:0")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["count"], result["results"]) == (5, [])
    assert result["facets"]["tags"]["bed-occupancy"] == 1
    done = cli("action", "datastore_search", "-r", live_server.url, "resource_id=services", "limit:1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 18


def test_ckanapi_dump_datasets(figures: Any, live_server: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "datasets.jsonl"
    done = cli("dump", "datasets", "--all", "-r", live_server.url, "-O", str(out), "-q")
    assert done.returncode == 0, done.stderr
    dumped = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["name"] for d in dumped] == NAMES
    assert all(d["num_resources"] == 1 for d in dumped)
