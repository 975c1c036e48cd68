"""Calibrate and validate the plain-language checker's readability score.

    PYTHONPATH=src:. python benchmarks/reception_plainlang_calibration.py

1. Scores the calibration half of the texts of known difficulty (tests/reception/readability_texts.py)
   and prints the median of each group and the band edges they suggest (midway between neighbouring
   medians); the edges in ``readability.py`` were set from this output.
2. Scores the held-out half and prints how many cross-group pairs are ordered right (an easier
   text scores higher), and how many texts fall in their group's band.
3. The same pairwise check on real outside text, when ../shared/data/persian is there: informal
   product and film reviews (ParsiNLU, CC BY-NC-SA: read here at run time, never shipped) against
   agency news items (ExaPPC, Apache-2.0).
4. For comparison, the same held-out ordering with the coefficient applied per word (the public
   implementation's reading), which leaves only sentence length.
"""

from __future__ import annotations

import json
import statistics
import sys
from itertools import combinations
from pathlib import Path

from tests.reception.readability_texts import CALIBRATION, HELD_OUT

from tabyin.reception.plainlang import readability
from tabyin.reception.plainlang.readability import Band
from tabyin.reception.plainlang.text import fold, sentences, tokens

ORDER = ["children", "news", "legal"]
EXPECTED_BAND = {"children": Band.EASY, "news": Band.MEDIUM, "legal": Band.HARD}
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "persian"


def measure(text: str) -> readability.Readability:
    folded = fold(text)
    found = readability.measure(sentences(folded, tokens(folded)))
    assert found is not None
    return found


def per_word_score(text: str) -> float:
    r = measure(text)
    return 262.835 - 0.846 * (r.syllables_per_100_words / 100) - 1.015 * r.words_per_sentence


def pairs_right(groups: dict[str, list[float]], order: list[str]) -> tuple[int, int]:
    right = total = 0
    for easier, harder in combinations(order, 2):
        for a in groups[easier]:
            for b in groups[harder]:
                total += 1
                right += a > b
    return right, total


def main() -> int:
    print("calibration half (median score, words/sentence, syllables/100 words):")
    medians = {}
    for name in ORDER:
        found = [measure(t) for t in CALIBRATION[name]]
        medians[name] = statistics.median(r.score for r in found)
        wps = statistics.median(r.words_per_sentence for r in found)
        spw = statistics.median(r.syllables_per_100_words for r in found)
        print(f"  {name:9} n={len(found)}  median {medians[name]:6.1f}  wps {wps:5.1f}  syl/100 {spw:6.1f}")
    easy_from = (medians["children"] + medians["news"]) / 2
    hard_below = (medians["news"] + medians["legal"]) / 2
    print(f"suggested band edges: easy from {easy_from:.1f}, hard below {hard_below:.1f}")
    print(f"edges in use:         easy from {readability.EASY_FROM}, hard below {readability.HARD_BELOW}")

    held = {name: [measure(t) for t in HELD_OUT[name]] for name in ORDER}
    scores = {name: [r.score for r in rs] for name, rs in held.items()}
    right, total = pairs_right(scores, ORDER)
    print(f"held-out: pairs ordered right {right}/{total} ({100 * right / total:.0f}%)")
    for name in ORDER:
        in_band = sum(r.band == EXPECTED_BAND[name] for r in held[name])
        listed = ", ".join(f"{s:.1f}" for s in scores[name])
        print(f"  {name:9} scores {listed}; in its band {in_band}/{len(held[name])}")
    naive = {name: [per_word_score(t) for t in HELD_OUT[name]] for name in ORDER}
    right_naive, _ = pairs_right(naive, ORDER)
    spread = max(max(v) for v in naive.values()) - min(min(v) for v in naive.values())
    print(
        f"per-word coefficient (for comparison): pairs right {right_naive}/{total}, "
        f"score range {min(min(v) for v in naive.values()):.1f}–{max(max(v) for v in naive.values()):.1f} "
        f"(spread {spread:.1f})"
    )

    reviews_file = SHARED / "parsinlu_sentiment" / "reviews.jsonl"
    news_file = SHARED / "exappc_paraphrase" / "pairs.jsonl"
    if reviews_file.exists() and news_file.exists():
        reviews = [json.loads(line)["review"] for line in reviews_file.open(encoding="utf-8")]
        reviews = [r for r in reviews if len(r.split()) >= 15][:200]
        items = [json.loads(line)["sentence1"] for line in news_file.open(encoding="utf-8")]
        news = [t.split(":", 1)[1] for t in items if ":" in t[:30] and len(t.split()) >= 15][:200]
        outside = {"reviews": [measure(t).score for t in reviews], "news": [measure(t).score for t in news]}
        right_o, total_o = pairs_right(outside, ["reviews", "news"])
        print(
            f"outside text: reviews n={len(reviews)} median {statistics.median(outside['reviews']):.1f}, "
            f"news n={len(news)} median {statistics.median(outside['news']):.1f}; "
            f"review above news in {right_o}/{total_o} pairs ({100 * right_o / total_o:.0f}%)"
        )
    else:
        print(f"outside text: skipped ({SHARED} not found)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
