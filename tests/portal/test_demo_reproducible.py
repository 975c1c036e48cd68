"""Every headline figure of the demo is reproducible from the files anyone can download.

Loads the real demo (the same code path as `tabyin demo`), then recomputes each home-page figure
and its change against the previous month and the same month last year from the dataset's CSV
download alone.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from tabyin.core import demo as core_demo
from tabyin.portal import demo as portal_demo
from tabyin.portal.models import Observation, Revision
from tabyin.portal.public import selectors
from tabyin.portal.release.series import previous_month, year_earlier

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(240)]


def _download(client: Client, slug: str) -> dict[tuple[str, str, str], dict[str, str]]:
    response = client.get(f"/data/{slug}.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return {(r["indicator"], r["area"], r["period"]): r for r in csv.DictReader(io.StringIO(text))}


def test_headline_figures_come_back_from_the_downloads(settings: object) -> None:
    core_demo.load()
    summary = portal_demo.load()
    client = Client()

    headlines = selectors.headline_indicators()
    assert (
        summary
        == "catalogue: 14 indicators created, 0 kept; datasets published: 5; explanations published: 6"
    )
    assert [i.code for i in headlines] == [
        "outpatient-services-per-day",
        "inpatient-services-per-day",
        "covered-people",
        "pensioners",
        "pensions-paid",
        "resources",
        "expenditures",
    ]
    files: dict[str, dict[tuple[str, str, str], dict[str, str]]] = {}
    for indicator in headlines:
        rows = files.setdefault(indicator.dataset.slug, _download(client, indicator.dataset.slug))
        latest = selectors.national_series([indicator.pk])[indicator.pk][-1]
        row = rows[(indicator.code, "IR", latest.period)]
        value = Decimal(row["value"])
        previous = Decimal(rows[(indicator.code, "IR", previous_month(latest.period))]["value"])
        year_ago = Decimal(rows[(indicator.code, "IR", year_earlier(latest.period))]["value"])

        assert latest.period == "1405-07"
        assert row["status"] == "provisional"
        assert value == latest.value
        assert round(value / previous - 1, 4) == latest.change_prev
        assert round(value / year_ago - 1, 4) == latest.change_yoy
        # The national figure is the sum of the 31 provincial figures in the same file.
        provinces = [r for (code, area, period), r in rows.items()
                     if code == indicator.code and period == latest.period and area != "IR"]  # fmt: skip
        assert len(provinces) == 31
        assert sum(Decimal(r["value"]) for r in provinces) == value


def test_demo_is_idempotent_and_shows_a_revision() -> None:
    core_demo.load()
    portal_demo.load()
    count = Observation.objects.count()

    again = portal_demo.load()

    assert (
        again == "catalogue: 0 indicators created, 14 kept; datasets published: 0; explanations published: 0"
    )
    assert Observation.objects.count() == count == 17931
    revisions = sorted(
        (r.observation.area, r.observation.period, r.reason)
        for r in Revision.objects.select_related("observation")
    )
    assert revisions == [
        ("IR", "1405-05", portal_demo.CORRECTION_REASON),
        ("IR-23", "1405-05", portal_demo.CORRECTION_REASON),
    ]
