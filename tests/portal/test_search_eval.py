"""The search on the demo corpus: exact top results for a representative part of the evaluation
set (tests/portal/data/search_queries.tsv), the same on SQLite (FTS5) and PostgreSQL (tsvector).

The whole set is scored by benchmarks/portal_search_eval.py (recall@5 and MRR, against the old
LIKE search); here every row of the set must at least parse, and the chosen queries must give
exactly these pages in this order, on both databases.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.db import connection

from tabyin.core.enums import Role
from tabyin.portal import demo
from tabyin.portal.models import Explanation
from tabyin.portal.search import selectors as search
from tests import factories
from tests.portal.factories import install_catalog

QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.tsv"

# query -> the first pages, in order (judged by hand; the set's expected pages are among them).
TOP: dict[str, list[str]] = {
    "تهران": ["province:IR-23"],
    "بازنشستگی": ["theme:pensions", "indicator:pensioners", "indicator:pensions-paid"],
    "حقوق بازنشستگی": ["theme:pensions", "indicator:pensions-paid", "indicator:pensioners"],
    "کارفرما": ["theme:finances", "indicator:government-debt", "indicator:main-insured"],
    "مستمری بگیران": ["indicator:pensioners", "explanation:support-ratio", "explanation:pensions-paid"],
    "جمعیت تحت پوشش": ["indicator:covered-people", "explanation:coverage-rate", "indicator:coverage-rate"],
    "بدهی دولت": ["indicator:government-debt", "explanation:government-debt", "dataset:finances"],
    "تبریز": ["province:IR-03"],
    "سیستان و بلوچستان": ["province:IR-11", "explanation:coverage-rate"],
    "خدمات سرپایی": [
        "indicator:outpatient-services-per-day",
        "explanation:outpatient-services-per-day",
        "theme:services",
    ],
    "تهرن": ["province:IR-23"],  # misspelt: the corrected query's pages
    "بازنش": ["theme:pensions", "indicator:main-insured", "indicator:pensioners"],  # typing
    "مستمري بگيران": ["indicator:pensioners", "explanation:support-ratio", "explanation:pensions-paid"],  # ي
    "pension": ["theme:pensions", "indicator:pensions-paid", "explanation:pensions-paid"],
}


def rows() -> list[dict[str, str]]:
    lines = [line for line in QUERIES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_evaluation_set_is_complete_and_held_out_is_a_third() -> None:
    data = rows()
    assert len(data) == 120 and len({r["query"] for r in data}) == 120
    assert sum(r["split"] == "heldout" for r in data) == 40
    assert {r["split"] for r in data} == {"tune", "heldout"}
    assert {r["source"] for r in data} == {"ref", "head", "cat", "csv", "var"}
    kinds = {e.split(":")[0] for r in data for e in r["expected"].split()}
    assert kinds == {"province", "theme", "dataset", "indicator", "explanation"}
    assert set(TOP) <= {r["query"] for r in data}


def _corpus() -> dict[str, str]:
    install_catalog()
    factories.persona("hq.analyst", "hq", Role.ANALYST)
    factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    demo._explanations()
    return {str(t): c for t, c in Explanation.objects.values_list("thread", "indicator__code").distinct()}


def _top(query: str, indicators: dict[str, str]) -> list[str]:
    hits = search.search(query).hits
    return [
        f"explanation:{indicators[h.doc.key]}" if h.doc.kind == "explanation" else str(h.doc) for h in hits
    ]


def _check(indicators: dict[str, str]) -> None:
    got = {q: _top(q, indicators)[: len(want)] for q, want in TOP.items()}
    assert got == TOP
    for r in rows():  # every query of the set runs and finds something
        assert _top(r["query"], indicators), r["query"]


@pytest.mark.django_db
def test_exact_results_on_sqlite(org: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL twin below runs in the PostgreSQL pass")
    _check(_corpus())


@pytest.mark.postgresql
@pytest.mark.django_db
def test_exact_results_on_postgresql(org: None) -> None:
    _check(_corpus())
