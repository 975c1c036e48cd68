"""The fidelity check against the baselines on a small fixed sample of the evaluation set (the
first 24 items the builder makes from the ExaPPC paraphrases, both parts): exact counts, so a
change to the facts or the set shows here. ``benchmarks/reception_fidelity.py`` prints the full
figures (tuning and held-out)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import reception_fidelity as bench
    from reception_fidelity_set import build, data_path
finally:
    sys.path.remove(str(ROOT / "benchmarks"))


def _sample() -> list[bench.Item]:
    try:
        data_path()
    except FileNotFoundError:
        pytest.skip("the ExaPPC sample is not beside the checkout")
    return build(limit=24)


def test_the_sample_is_fixed() -> None:
    items = _sample()
    assert len(items) == 24
    assert Counter(i.change for i in items) == Counter({"": 12, "number": 11, "negation": 1})
    assert sum(i.heldout for i in items) == 4


def test_counts_on_the_sample_against_the_baselines() -> None:
    items = _sample()
    # (tp, fp, fn, tn) of "distorted"
    assert bench.scores(items, bench.tabyin_check) == (12, 2, 0, 10)
    assert bench.scores(items, bench.digits_baseline) == (11, 2, 1, 10)
    assert bench.scores(items, bench.overlap_baseline(0.5)) == (10, 4, 2, 8)
