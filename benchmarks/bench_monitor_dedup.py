"""Near-duplicate step of the monitor: repost detection quality, speed and memory of the index.

    .venv/bin/python benchmarks/bench_monitor_dedup.py [--posts N]

(1) Quality on the evaluation set of benchmarks/monitor_dedup_eval.py (three sources of real Persian
    text, four edit models, hard negatives), through canonical (with the index's learnt frame
    lines) -> signatures -> assign_many in batches of 1,000 in the set's shuffled order, as
    ingestion runs it (monitor_dedup_eval.run): pairwise precision and recall on the tuning part
    and on the held-out part (never tuned on), the hard-negative base pairs merged, the left-out
    pairs put together (the claim-vs-denial ones are the stance step's work), and per edit model
    the share of reposts that joined their original's story. Then the first, single-generator set
    (benchmarks/monitor_repost_set.py) for comparison with the figures of ADR 0010.
(2) Speed on the same texts: canonical per post, signatures in batches of 1,000, assign per post
    and assign_many in batches of 1,000 (as ingestion calls it). Wall-clock and process CPU time
    are both printed: on a shared machine CPU time is the fairer one-core figure (the load average
    is printed too).
(3) Memory: N (default 200,000) distinct stories, the worst case (every post its own story),
    assigned to one index; tracemalloc around building it, beside the index's nbytes() estimate.
    Signatures are seeded random well-formed ones (memory does not depend on the text).
Figures only: nothing is asserted (tests/monitor/test_dedup_quality.py guards the quality).
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

import monitor_repost_set
from monitor_dedup_eval import PARTS, build, random_signatures, run, score
from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import WIDTH, K, L, signatures
from tabyin.monitor.pipeline.index import CONTAIN_MIN, MATCH_C, MATCH_J, REPRESENTATIVES, NearDupIndex

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
    print(
        f"bottom-{K} sketches + {L} lookup keys ({4 * WIDTH} bytes a signature); "
        f"join at Jaccard >= {MATCH_J} "
        f"or containment >= {MATCH_C} (smaller side >= {CONTAIN_MIN} elements); <= {REPRESENTATIVES} "
        "representatives a story"
    )

    labelled = build()
    print(f"\n(1) evaluation set: {labelled.describe()}")
    done = run(labelled)
    texts, sigs, stories = done.texts, done.sigs, done.stories
    (wall_c, cpu_c), (wall_s, cpu_s), (wall_m, cpu_m) = done.seconds.values()
    for part in PARTS:
        scores = score(labelled, stories, part)
        print(
            f"    {part:9} precision {scores.precision:.4f}, recall {scores.recall:.4f} (true pairs "
            f"{scores.true_pairs}, predicted {scores.predicted_pairs}, correct {scores.correct_pairs})"
        )
        print(f"              hard-negative base pairs merged: {scores.hard_negative_merges}")
        print(f"              left-out item pairs put together: {scores.left_out_together}")
        joined = ", ".join(f"{model} {share:.3f}" for model, share in scores.joined_by_model.items())
        print(f"              reposts in their original's story, by edit model: {joined}")
    index = NearDupIndex(WINDOW)
    wall_a, cpu_a, one_by_one = timed(
        lambda: [index.assign(sigs[r], at)[0] for r, at in enumerate(labelled.times)]
    )
    first = monitor_repost_set.build()
    first_sigs = signatures([canonical(text) for text in first.texts])
    first_index = NearDupIndex(WINDOW)
    first_scores = monitor_repost_set.score(
        first, [first_index.assign(first_sigs[r], at)[0] for r, at in enumerate(first.times)]
    )
    print(
        f"    the first set (one generator, denials scored as negatives): precision "
        f"{first_scores.precision:.4f}, recall {first_scores.recall:.4f} "
        f"({first_scores.true_pairs} true pairs, "
        f"{first_scores.hard_negative_merges} of {len(first.hard_negatives)} hard-negative base pairs merged)"
    )
    print(f"    assign one by one: {len(set(one_by_one))} stories, assign_many {len(set(stories))}")
    n = len(texts)
    print("\n(2) per post, wall / CPU:")
    print(f"    canonical (learnt frame lines included) {1e6 * wall_c / n:7.1f} / {1e6 * cpu_c / n:7.1f} us")
    print(f"    signatures (1,000s) {1e6 * wall_s / n:7.1f} / {1e6 * cpu_s / n:7.1f} us")
    print(f"    assign              {1e6 * wall_a / n:7.1f} / {1e6 * cpu_a / n:7.1f} us")
    print(f"    assign_many (1,000s){1e6 * wall_m / n:7.1f} / {1e6 * cpu_m / n:7.1f} us")
    total = (cpu_c + cpu_s + min(cpu_a, cpu_m)) / n
    print(f"    together            {1e6 * total:7.1f} us CPU -> {1 / total:,.0f} posts/s on one core")

    rng = np.random.default_rng(20240320)
    random_sigs = random_signatures(rng, args.posts)
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
