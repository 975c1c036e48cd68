"""Throughput of tabyin's Persian normaliser against hazm's, on the same real text in the same run.

    .venv/bin/python benchmarks/bench_normalize.py [--rounds N]

Input: every text field of the shared Persian sets that are present (ExaPPC paraphrase pairs,
ParsiNLU sentiment reviews, Persian stance claims and headlines; the non-commercial sets are used
here for measurement only). hazm runs with only the rules comparable to ours switched on (the
configuration tests/core/test_persian_text.py compares against); its default configuration, which
also re-tokenises and re-spaces, is timed too for context. Figures only: nothing is asserted.
"""

import argparse
import json
import platform
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

from hazm import Normalizer

from tabyin.core.persian_text import normalize

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "persian"
SOURCES = {
    "exappc_paraphrase/pairs.jsonl": ("sentence1", "sentence2"),
    "parsinlu_sentiment/reviews.jsonl": ("review",),
    "persian_stance/headline_claim.jsonl": ("claim", "headline"),
}


def load_lines() -> list[str]:
    lines: list[str] = []
    for relative, fields in SOURCES.items():
        path = DATA / relative
        if not path.is_file():
            print(f"missing, skipped: {path.resolve()}")
            continue
        before = len(lines)
        with path.open(encoding="utf-8") as handle:
            for row in map(json.loads, handle):
                lines.extend(row[field] for field in fields)
        print(f"{relative}: {len(lines) - before} lines")
    return lines


def best_rate(func: Callable[[str], str], lines: Sequence[str], rounds: int) -> float:
    """Lines per second of the fastest round (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for line in lines:
            func(line)
        best = min(best, time.perf_counter() - start)
    return len(lines) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per normaliser (best is kept)")
    args = parser.parse_args()

    lines = load_lines()
    if not lines:
        raise SystemExit(f"no input found under {DATA.resolve()}")
    comparable = Normalizer(
        correct_spacing=False,
        remove_diacritics=True,
        remove_specials_chars=False,
        decrease_repeated_chars=False,
        persian_style=False,
        persian_numbers=True,
        unicodes_replacement=False,
        seperate_mi=False,
    )
    default = Normalizer()
    for func in (normalize, comparable.normalize, default.normalize):  # warm caches and lazy loads
        func(lines[0])

    chars = sum(map(len, lines))
    print(f"\n{len(lines)} lines, {chars / len(lines):.0f} characters per line on average")
    print(f"Python {platform.python_version()}, hazm {version('hazm')}, best of {args.rounds} rounds\n")
    ours = best_rate(normalize, lines, args.rounds)
    theirs = best_rate(comparable.normalize, lines, args.rounds)
    full = best_rate(default.normalize, lines, max(1, args.rounds // 2))
    print(f"{'tabyin normalize':<40}{ours:>12,.0f} lines/s")
    print(f"{'hazm Normalizer (comparable flags)':<40}{theirs:>12,.0f} lines/s")
    print(f"{'hazm Normalizer() (defaults, context)':<40}{full:>12,.0f} lines/s")
    print(f"\nratio tabyin / hazm (comparable flags): {ours / theirs:.1f}x")
    print(f"ratio tabyin / hazm (defaults):         {ours / full:.1f}x")


if __name__ == "__main__":
    main()
