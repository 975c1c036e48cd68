"""Stance quality on the Persian stance set (non-commercial: read here, never shipped).

The split, the scoring and both baselines are in benchmarks/bench_monitor_stance.py, which prints
the same figures. On the held-out half (groups the rules were never tuned on) the shipped rules
must beat the majority class and bag-of-words logistic regression in macro-F1.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "persian" / "persian_stance" / "headline_claim.jsonl"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_monitor_stance", ROOT / "benchmarks" / "bench_monitor_stance.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_scores_per_class_and_macro() -> None:
    bench = _bench()
    result = bench.scores(
        ["agree", "agree", "disagree", "discuss"], ["agree", "discuss", "disagree", "discuss"]
    )
    assert result["per_class"]["agree"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    assert result["per_class"]["discuss"]["precision"] == 0.5
    assert result["per_class"]["unrelated"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert result["macro_f1"] == pytest.approx((2 / 3 + 1 + 2 / 3 + 0) / 4)


@pytest.mark.skipif(not DATA.is_file(), reason="shared Persian data not present")
def test_the_shipped_rules_beat_both_baselines_on_the_held_out_groups() -> None:
    bench = _bench()
    rows = bench.load(DATA)
    tuning, held_out = bench.split(rows)
    assert (len(tuning), len(held_out)) == (865, 741)
    assert not {r["group_id"] for r in tuning} & {r["group_id"] for r in held_out}
    result = bench.evaluate(tuning, {"held out": held_out})["held out"]
    shipped = result["tabyin stance"]["macro_f1"]
    assert round(shipped, 3) == 0.537
    assert shipped > result["bag-of-words LR"]["macro_f1"] + 0.05
    assert shipped > result["majority"]["macro_f1"]
    # Denials are what ingestion acts on: most of them are found.
    assert result["tabyin stance"]["per_class"]["disagree"]["recall"] > 0.6
