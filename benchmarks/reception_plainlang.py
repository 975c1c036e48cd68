"""Speed of the plain-language check on a 2,000-word text (target: under 200 ms).

    PYTHONPATH=src:. python benchmarks/reception_plainlang.py [--runs 50]

The text is built from the project's own sample sentences (tests/reception/readability_texts.py,
all three registers, so every rule fires) repeated to 2,000 words. Times ``checker.analyze`` with
the shipped list of terms (what ``selectors.check_text`` runs after its one query for the list),
and separately the first call, which also builds the term index. Prints median and p95.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from tests.reception.readability_texts import GROUPS

from tabyin.reception.plainlang.checker import analyze
from tabyin.reception.plainlang.jargon import Lexicon, lexicon_for, read_file

TARGET_MS = 200.0


def text_of(words: int) -> str:
    pool = [t for texts in GROUPS.values() for t in texts]
    pool.append("مبلغ ۲٫۵ میلیون برای 300 نفر و SSO در ۱۴ روز پرداخت گردید و نامه نوشته شد.")
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        text = pool[i % len(pool)]
        out.append(text)
        count += len(text.split())
        i += 1
        if i % 5 == 0:
            out.append("\n")
    return " ".join(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    text = text_of(2000)
    started = time.perf_counter()
    entries = read_file()
    Lexicon(entries)
    build_ms = 1000 * (time.perf_counter() - started)
    lexicon = lexicon_for(entries)
    report = analyze(text, lexicon)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        analyze(text, lexicon)
        timings.append(1000 * (time.perf_counter() - started))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(f"text: {report.readability.words} words, {len(text)} characters, {len(report.findings)} findings")
    print(f"term list: {len(entries)} entries, read and indexed in {build_ms:.1f} ms (once per list version)")
    print(
        f"analyze, {args.runs} runs: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
        f"(target < {TARGET_MS:.0f} ms)"
    )
    return 0 if p95 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
