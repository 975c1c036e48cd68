"""Precision and recall of "distorted" for the key-message fidelity check, against two baselines
measured in the same run, on the tuning part and on the held-out part (never tuned on).

    PYTHONPATH=src:. /work/main/.venv/bin/python benchmarks/reception_fidelity.py [--tuning-only]

The set is built by ``reception_fidelity_set`` (read its docstring: real ExaPPC paraphrases, one
injected factual change per distorted item, the split decided by a hash of the pair's group).

Baselines: **digits** — a plain check flags a post whose set of digit strings differs from the
message's (what a reviewer with a regex would do); **overlap** — token Jaccard below a threshold,
the threshold chosen on the tuning part only (the best F1 there).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reception_fidelity_set import Item, build
from tabyin.core.persian_text import digits_to_ascii, normalize
from tabyin.reception.messages.fidelity import KeyMessageFacts, compare

Flag = Callable[[Item], bool]


def tabyin_check(item: Item) -> bool:
    return compare(KeyMessageFacts.of(item.key), item.post).distorted


def digits_baseline(item: Item) -> bool:
    def digits(text: str) -> set[str]:
        return set(re.findall(r"\d+", digits_to_ascii(text)))

    return digits(item.key) != digits(item.post)


def _tokens(text: str) -> set[str]:
    return set(normalize(text).split())


def jaccard(item: Item) -> float:
    a, b = _tokens(item.key), _tokens(item.post)
    return len(a & b) / len(a | b) if a | b else 1.0


def overlap_baseline(threshold: float) -> Flag:
    return lambda item: jaccard(item) < threshold


def scores(items: Sequence[Item], flag: Flag) -> tuple[int, int, int, int]:
    tp = fp = fn = tn = 0
    for item in items:
        said = flag(item)
        tp += said and item.distorted
        fp += said and not item.distorted
        fn += (not said) and item.distorted
        tn += (not said) and not item.distorted
    return tp, fp, fn, tn


def prf(counts: tuple[int, int, int, int]) -> tuple[float, float, float]:
    tp, fp, fn, _tn = counts
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def tune_overlap(items: Sequence[Item]) -> float:
    best = max((prf(scores(items, overlap_baseline(t / 100)))[2], t / 100) for t in range(5, 100, 5))
    return best[1]


def main() -> None:
    items = build()
    tuning = [i for i in items if not i.heldout]
    held = [i for i in items if i.heldout]
    threshold = tune_overlap(tuning)
    methods: dict[str, Flag] = {
        "tabyin facts check": tabyin_check,
        "baseline: digit-set equality": digits_baseline,
        f"baseline: token Jaccard < {threshold:.2f} (tuned)": overlap_baseline(threshold),
    }
    parts = [("tuning", tuning), ("HELD-OUT", held)]
    if "--tuning-only" in sys.argv:  # while rules are being changed: the held-out part stays unseen
        parts = parts[:1]
    for name, part in parts:
        kinds = Counter(i.change for i in part if i.distorted)
        print(
            f"\n{name}: {len(part)} items ({len(part) // 2} pairs), injected: {dict(sorted(kinds.items()))}"
        )
        print(f"{'method':48} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn  tn")
        for label, flag in methods.items():
            counts = scores(part, flag)
            p, r, f = prf(counts)
            print(f"{label:48} {p:6.3f} {r:6.3f} {f:6.3f}  " + " ".join(f"{c:3d}" for c in counts))
        per_kind = []
        for kind in sorted(kinds):
            subset = [i for i in part if i.change == kind]
            tp, _fp, fn, _tn = scores(subset, tabyin_check)
            per_kind.append(f"{kind} {tp}/{tp + fn}")
        print("  tabyin recall by injected kind: " + ", ".join(per_kind))


if __name__ == "__main__":
    main()
