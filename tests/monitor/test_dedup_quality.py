"""Repost detection quality on the labelled set built from real Persian texts (a quality assertion).

The set and its scoring are in benchmarks/monitor_repost_set.py (shared with the benchmark, which
prints the same figures). Pairwise precision and recall must both reach 0.97.
"""

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest

from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import signatures
from tabyin.monitor.pipeline.index import NearDupIndex

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data" / "persian"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "monitor_repost_set", ROOT / "benchmarks" / "monitor_repost_set.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (DATA / "persian_stance").is_dir(), reason="shared Persian data not present")
def test_pairwise_precision_and_recall_reach_097() -> None:
    builder = _builder()
    labelled = builder.build()
    assert (labelled.n_bases, len(labelled.texts)) == (3464, 10354)
    sigs = signatures([canonical(text) for text in labelled.texts])
    index = NearDupIndex(timedelta(days=7))
    stories = [index.assign(sigs[row], at)[0] for row, at in enumerate(labelled.times)]
    scores = builder.score(labelled, stories)
    assert scores.true_pairs == 13724
    assert scores.precision >= 0.97, scores
    assert scores.recall >= 0.97, scores
