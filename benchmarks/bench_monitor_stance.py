"""Stance (agree | disagree | discuss | unrelated): the shipped rules against two baselines.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_monitor_stance.py [--data FILE.jsonl]

Data: ../shared/data/persian/persian_stance/headline_claim.jsonl (Zarharan et al. 2019, CC BY-NC:
read here and in tests only, never shipped). Each row pairs a rumor claim with a news headline.
Rows are split by ``group_id`` (a claim with all its headlines) into a tuning half, the only part
the rules' thresholds were looked at on, and a held-out half they were never tuned on:
``sha1(group_id)`` even → tuning, odd → held-out. ``--data`` reruns it on another file of the same
format (e.g. the held-out copy kept by the data's owner); every row of such a file is held out.

Printed for each part: per-class precision, recall and F1 and the macro-F1 of
(a) the majority class of the tuning part, (b) bag-of-words logistic regression (word 1–2-grams of
claim and headline, class-balanced; fitted on the tuning part, so its tuning figure is in-sample),
(c) ``tabyin.monitor.pipeline.stance.classify`` (hand-set rules, nothing fitted). No Django.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "persian" / "persian_stance" / "headline_claim.jsonl"
LABELS = ("agree", "disagree", "discuss", "unrelated")

Row = dict[str, Any]


def load(path: Path = DATA) -> list[Row]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["label"] = str(row["stance"]).lower()
    return rows


def is_held_out(group_id: str) -> bool:
    return int(hashlib.sha1(group_id.encode()).hexdigest(), 16) % 2 == 1  # noqa: S324 (a split, not security)


def split(rows: Sequence[Row]) -> tuple[list[Row], list[Row]]:
    tuning = [r for r in rows if not is_held_out(str(r["group_id"]))]
    held_out = [r for r in rows if is_held_out(str(r["group_id"]))]
    return tuning, held_out


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Per-class precision, recall, F1 (0 where undefined) and the macro-F1 over the four classes."""
    per: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return {"per_class": per, "macro_f1": sum(v["f1"] for v in per.values()) / len(LABELS)}


def shipped(rows: Sequence[Row]) -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from tabyin.monitor.pipeline.stance import classify

    return [classify(r["claim"], r["headline"]).label.value for r in rows]


def majority(tuning: Sequence[Row], rows: Sequence[Row]) -> list[str]:
    label = Counter(r["label"] for r in tuning).most_common(1)[0][0]
    return [label] * len(rows)


def bag_of_words(tuning: Sequence[Row], rows: Sequence[Row]) -> list[str]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    claims = CountVectorizer(ngram_range=(1, 2), min_df=1)
    heads = CountVectorizer(ngram_range=(1, 2), min_df=1)
    x = hstack(
        [
            claims.fit_transform([r["claim"] for r in tuning]),
            heads.fit_transform([r["headline"] for r in tuning]),
        ]
    )
    model = LogisticRegression(max_iter=2000, class_weight="balanced")
    model.fit(x, [r["label"] for r in tuning])
    y = hstack([claims.transform([r["claim"] for r in rows]), heads.transform([r["headline"] for r in rows])])
    return [str(label) for label in model.predict(y)]


def evaluate(tuning: Sequence[Row], parts: dict[str, Sequence[Row]]) -> dict[str, dict[str, Any]]:
    """{part: {system: scores}} for the three systems, the baselines fitted on ``tuning``."""
    out: dict[str, dict[str, Any]] = {}
    for name, rows in parts.items():
        gold = [r["label"] for r in rows]
        out[name] = {
            "majority": scores(gold, majority(tuning, rows)),
            "bag-of-words LR": scores(gold, bag_of_words(tuning, rows)),
            "tabyin stance": scores(gold, shipped(rows)),
        }
    return out


def _print(result: dict[str, dict[str, Any]], sizes: dict[str, int]) -> None:
    for part, systems in result.items():
        print(f"\n== {part} ({sizes[part]} pairs) ==")
        header = "".join(f"{label:>24}" for label in LABELS)
        print(f"{'system':<18}{header}{'macro-F1':>10}")
        print(f"{'':<18}" + "".join(f"{'P / R / F1':>24}" for _ in LABELS))
        for system, s in systems.items():
            cells = "".join(
                f"{s['per_class'][label]['precision']:>8.3f}{s['per_class'][label]['recall']:>8.3f}"
                f"{s['per_class'][label]['f1']:>8.3f}"
                for label in LABELS
            )
            print(f"{system:<18}{cells}{s['macro_f1']:>10.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="another file of the same format: all of it held out")
    args = parser.parse_args()
    rows = load(DATA)
    tuning, held_out = split(rows)
    parts: dict[str, Sequence[Row]] = {"tuning part": tuning, "held-out part": held_out}
    if args.data:
        parts = {"tuning part": tuning, f"held out: {args.data.name}": load(args.data)}
    started = time.process_time()
    result = evaluate(tuning, parts)
    _print(result, {name: len(rows) for name, rows in parts.items()})
    sys.path.insert(0, str(ROOT / "src"))
    from tabyin.monitor.pipeline.stance import classify

    pairs = [(r["claim"], r["headline"]) for r in rows]
    start = time.process_time()
    for claim, headline in pairs:
        classify(claim, headline)
    rate = len(pairs) / (time.process_time() - start)
    counts = Counter(r["label"] for r in rows)
    groups = len({r["group_id"] for r in rows})
    print(f"\nlabels in the file: {dict(sorted(counts.items()))}; groups: {groups}")
    whole = time.process_time() - started
    print(f"tabyin stance: {rate:,.0f} pairs per CPU second; whole run {whole:.1f} s CPU")


if __name__ == "__main__":
    main()
