"""Search quality on the evaluation set, the new search against the old LIKE search, same run.

    PYTHONPATH=src .venv/bin/python benchmarks/portal_search_eval.py [--misses]

Builds the demo corpus (31 provinces, the catalogue, the six demo explanations; no figures, which
only feed the facets) in a throwaway SQLite data directory, runs every query of
``tests/portal/data/search_queries.tsv`` through ``portal.search.search`` and through a copy of
the search this replaced (every word a substring of ``search_text``; indicators, then datasets,
then explanations newest first, as the old page listed them), and prints recall@5, MRR and
milliseconds per query for the tuning and the held-out part. ``--misses`` lists the tuning
queries whose expected pages are not all in the top five; held-out queries are never listed, so
they cannot be tuned on. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "portal" / "data" / "search_queries.tsv"


def load_queries() -> list[tuple[str, str, list[str]]]:
    """(split, query, expected ids) for every row of the set."""
    lines = [line for line in QUERIES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["split"], r["query"], r["expected"].split()) for r in rows]


def build_corpus() -> None:
    from django.core.management import call_command

    from tabyin.core.demo import load as core_demo
    from tabyin.portal import demo
    from tabyin.portal.catalog.services import catalog_install

    call_command("migrate", interactive=False, verbosity=0)
    core_demo()
    catalog_install()
    demo._explanations()


def doc_id(kind: str, key: str, explanation_indicator: dict[str, str]) -> str:
    return f"explanation:{explanation_indicator[key]}" if kind == "explanation" else f"{kind}:{key}"


def new_search(explanation_indicator: dict[str, str]) -> Callable[[str], list[str]]:
    from tabyin.portal.search import selectors as search

    def run(q: str) -> list[str]:
        return [doc_id(h.doc.kind, h.doc.key, explanation_indicator) for h in search.search(q).hits]

    return run


def old_search(explanation_indicator: dict[str, str]) -> Callable[[str], list[str]]:
    """The search before issue 14, as it was in portal/search.py (LIKE on search_text, AND)."""
    from django.db.models import Q

    from tabyin.core.persian_text import normalize, search_key
    from tabyin.portal.enums import ExplanationState
    from tabyin.portal.models import Dataset, Explanation, Indicator

    def run(q: str) -> list[str]:
        words = sorted({search_key(w) for w in normalize(q[:200]).split()} - {""}, key=len, reverse=True)[:8]
        if not words:
            return []
        match = Q(search_text__gt="")
        for word in words:
            match &= Q(search_text__contains=word)
        out = [f"indicator:{i.code}" for i in Indicator.objects.filter(match)[:50]]
        out += [f"dataset:{d.slug}" for d in Dataset.objects.filter(match)[:50]]
        published = Explanation.objects.filter(match, state=ExplanationState.PUBLISHED)
        out += [
            doc_id("explanation", str(e.thread), explanation_indicator)
            for e in published.order_by("-published_at", "-id")[:50]
        ]
        return out

    return run


def scores(results: list[str], expected: list[str]) -> tuple[float, float]:
    recall = len(set(results[:5]) & set(expected)) / len(expected)
    rank = next((i for i, r in enumerate(results, 1) if r in expected), 0)
    return recall, (1 / rank if rank else 0.0)


def evaluate(
    name: str, run: Callable[[str], list[str]], queries: list[tuple[str, str, list[str]]], misses: bool
) -> None:
    for split in ("tune", "heldout"):
        part = [(q, e) for s, q, e in queries if s == split]
        started = time.perf_counter()
        outcomes = [(q, e, run(q)) for q, e in part]
        elapsed = (time.perf_counter() - started) * 1000 / len(part)
        recall = sum(scores(r, e)[0] for _, e, r in outcomes) / len(part)
        mrr = sum(scores(r, e)[1] for _, e, r in outcomes) / len(part)
        print(
            f"{name:<12} {split:<8} queries {len(part):>3}  recall@5 {recall:.3f}  MRR {mrr:.3f}  "
            f"{elapsed:.1f} ms/query"
        )
        if misses and split == "tune" and name == "new":
            for q, e, r in outcomes:
                if scores(r, e)[0] < 1:
                    print(f"    miss: {q!r} expected {e} got {r[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the tuning queries that miss")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tabyin-search-eval-") as data_dir:
        os.environ["TABYIN_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tabyin.config.settings")
        import django

        django.setup()
        build_corpus()
        from tabyin.portal.models import Explanation

        explanation_indicator = {
            str(t): c for t, c in Explanation.objects.values_list("thread", "indicator__code").distinct()
        }
        queries = load_queries()
        print(f"load average {os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}, SQLite")
        print(
            f"{len(queries)} queries: {sum(s == 'tune' for s, _, _ in queries)} tuning, "
            f"{sum(s == 'heldout' for s, _, _ in queries)} held out"
        )
        evaluate("new", new_search(explanation_indicator), queries, args.misses)
        evaluate("old (LIKE)", old_search(explanation_indicator), queries, False)


if __name__ == "__main__":
    main()
