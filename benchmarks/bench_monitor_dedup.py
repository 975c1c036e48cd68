"""Near-duplicate step of the monitor: repost detection quality, speed and memory of the index.

    .venv/bin/python benchmarks/bench_monitor_dedup.py [--posts N]

(1) Quality: the labelled set of benchmarks/monitor_repost_set.py (real Persian texts, seeded
    synthetic reposts, hard negatives) through canonical -> signatures -> NearDupIndex.assign in
    the set's shuffled order; pairwise precision and recall.
(2) Speed on the same texts: canonical per post, signatures in batches of 1,000, assign per post
    and assign_many in batches of 1,000 (as ingestion calls it; the same stories as assign).
    Wall-clock and process CPU time are both printed: on a shared machine CPU time is the fairer
    one-core figure (the load average is printed too).
(3) Memory: N (default 200,000) distinct stories, the worst case (every post its own story),
    assigned to one index; tracemalloc around building it, beside the index's nbytes() estimate.
    Signatures are seeded random (memory does not depend on the text, and computing 200,000
    real ones would only lengthen the run); assign's rate while filling it (tracemalloc off) too.
Figures only: nothing is asserted (tests/monitor/test_dedup_quality.py asserts the quality).
"""

import argparse
import os
import platform
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np

from monitor_repost_set import build, score
from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import K, signatures
from tabyin.monitor.pipeline.index import BANDS, MATCH, ROWS, NearDupIndex

WINDOW = timedelta(days=7)


def timed(func: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000, help="distinct stories for the memory figure")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, load average {os.getloadavg()}")
    print(f"K={K}, bands {BANDS}x{ROWS}, match >= {MATCH}/{K} equal positions")

    labelled = build()
    print(f"\n(1) labelled set: {labelled.describe()}")
    wall_c, cpu_c, texts = timed(lambda: [canonical(text) for text in labelled.texts])
    batches = range(0, len(texts), 1000)
    wall_s, cpu_s, sigs = timed(lambda: np.concatenate([signatures(texts[i : i + 1000]) for i in batches]))
    index = NearDupIndex(WINDOW)
    wall_a, cpu_a, stories = timed(
        lambda: [index.assign(sigs[r], at)[0] for r, at in enumerate(labelled.times)]
    )
    scores = score(labelled, stories)
    batched = NearDupIndex(WINDOW)
    wall_m, cpu_m, pairs = timed(
        lambda: [
            pair
            for i in batches
            for pair in batched.assign_many(sigs[i : i + 1000], labelled.times[i : i + 1000])
        ]
    )
    assert [key for key, _ in pairs] == stories
    print(
        f"    precision {scores.precision:.4f}, recall {scores.recall:.4f} "
        f"(true pairs {scores.true_pairs}, predicted {scores.predicted_pairs}, "
        f"correct {scores.correct_pairs}, "
        f"left out {scores.excluded_pairs}); hard-negative base pairs merged: {scores.hard_negative_merges} "
        f"of {len(labelled.hard_negatives)}; stories {len(index)}"
    )
    n = len(texts)
    print("\n(2) per post, wall / CPU:")
    print(f"    canonical           {1e6 * wall_c / n:7.1f} / {1e6 * cpu_c / n:7.1f} us")
    print(f"    signatures (1,000s) {1e6 * wall_s / n:7.1f} / {1e6 * cpu_s / n:7.1f} us")
    print(f"    assign              {1e6 * wall_a / n:7.1f} / {1e6 * cpu_a / n:7.1f} us")
    print(f"    assign_many (1,000s){1e6 * wall_m / n:7.1f} / {1e6 * cpu_m / n:7.1f} us")
    total = (cpu_c + cpu_s + min(cpu_a, cpu_m)) / n
    print(f"    together            {1e6 * total:7.1f} us CPU -> {1 / total:,.0f} posts/s on one core")

    rng = np.random.default_rng(20240320)
    random_sigs = rng.integers(0, 2**32, size=(args.posts, K), dtype=np.uint32)
    at = labelled.times[0]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    big = NearDupIndex(WINDOW)
    for row in random_sigs:
        big.assign(row, at)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(f"\n(3) {len(big):,} distinct stories in one index:")
    print(
        f"    tracemalloc {held / len(big):,.0f} bytes/post ({held / 2**20:,.1f} MiB); "
        f"nbytes() {big.nbytes() / len(big):,.0f}"
    )
    again = NearDupIndex(WINDOW)
    wall_b, cpu_b, _ = timed(lambda: [again.assign(row, at) for row in random_sigs])
    print(
        f"    assign while filling it (tracemalloc off, growth included) {1e6 * wall_b / len(again):.1f} / "
        f"{1e6 * cpu_b / len(again):.1f} us wall/CPU"
    )


if __name__ == "__main__":
    main()
