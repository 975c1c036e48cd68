"""Jury arithmetic of the ideas app (issue 18): the two targets, timed.

    PYTHONPATH=src .venv/bin/python benchmarks/ideas_jury.py [--runs N] [--entries N] [--jurors N]

1. Assignment: 3 jurors to each of 5,000 entries from 60 jurors (target < 2 s). Entries come from
   the 31 provinces and about 400 units; jurors from 31 provinces and their own units, each with 5
   named conflicts, and one juror in twenty also an author; every conflict kind is in play.
2. Ranking with normalization: from the 60,000 rubric scores (3 jurors × 4 criteria per entry) to
   the final order: rubric totals, per-juror standardization, entry scores, tie-break data and the
   sorted ranking (target < 1 s). The ICC of the same scores is timed beside it, for information.

Each figure is the median of --runs runs (and the slowest run), wall clock, with the median CPU
time of the process beside it; the machine's load averages (1, 5, 15 minutes, as ``uptime``) are
printed before and after, since other work on the machine slows every wall-clock figure (on a
loaded 2-core machine the process gets a fraction of a core: the CPU time is the steadier figure).

The assignment's result is checked too: with the default sizes and seeds its SHA-256 must equal
``EXPECTED_ASSIGNMENT``, the digest of what the code gave before the greedy pass's shuffle was
written out for speed (commit 322a27b). Figures only otherwise: no time is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tabyin.ideas.jury.agreement import icc
from tabyin.ideas.jury.assign import assign_jurors
from tabyin.ideas.jury.inputs import PublishedInputs, recompute
from tabyin.ideas.jury.types import Criterion, Entry, Juror, Score

PROVINCES = [f"IR-{i:02d}" for i in range(31)]
EXPECTED_ASSIGNMENT = "13e761969f2d3ae78c554a11d907c79570cacdd009c8997995ff27dca9352577"
CRITERIA = [
    Criterion("novelty", 3.0, 10.0),
    Criterion("feasibility", 2.0, 10.0),
    Criterion("impact", 2.0, 10.0),
    Criterion("clarity", 1.0, 5.0),
]


def contest(n_entries: int, n_jurors: int, seed: int) -> tuple[list[Entry], list[Juror]]:
    rng = random.Random(seed)
    entries = []
    for i in range(n_entries):
        province = rng.choice(PROVINCES)
        entries.append(Entry(f"e{i}", province, f"{province}-b{rng.randrange(13)}", f"p{i}"))
    jurors = []
    for i in range(n_jurors):
        province = rng.choice(PROVINCES)
        named = frozenset(f"e{rng.randrange(n_entries)}" for _ in range(5))
        jurors.append(Juror(f"p{i * 20}", province, f"{province}-b{rng.randrange(13)}", named))
    return entries, jurors


def scores_for(panels: dict[str, tuple[str, ...]], seed: int) -> list[Score]:
    rng = random.Random(seed)
    severity = {j: rng.uniform(-2, 1) for panel in panels.values() for j in panel}
    scores = []
    for entry_id, panel in panels.items():
        merit = rng.uniform(3, 9)
        for juror_id in panel:
            for c in CRITERIA:
                raw = merit * c.max_value / 10 + severity[juror_id] + rng.gauss(0, 1)
                scores.append(Score(juror_id, entry_id, c.key, max(0.0, min(c.max_value, round(raw)))))
    return scores


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, float, float]:
    """Median and slowest wall-clock seconds, and the median CPU seconds of this process (which
    a busy machine inflates less than the wall clock)."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), max(walls), statistics.median(cpus)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--jurors", type=int, default=60)
    args = parser.parse_args()
    entries, jurors = contest(args.entries, args.jurors, seed=1)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, {_load()}")

    median, slowest, cpu = timed(args.runs, lambda: assign_jurors(entries, jurors, seed=0))
    panels = assign_jurors(entries, jurors, per_entry=3, seed=0)
    loads: dict[str, int] = {}
    for panel in panels.values():
        for j in panel:
            loads[j] = loads.get(j, 0) + 1
    print(
        f"assignment: 3 jurors × {len(entries):,} entries from {len(jurors)} jurors: "
        f"median {median:.3f} s, slowest {slowest:.3f} s, CPU {cpu:.3f} s (target < 2 s); "
        f"loads {min(loads.values())}–{max(loads.values())}"
    )
    if (args.entries, args.jurors) == (5000, 60):
        digest = hashlib.sha256(json.dumps(panels, sort_keys=True).encode()).hexdigest()
        same = "the same as before" if digest == EXPECTED_ASSIGNMENT else "DIFFERENT from before"
        print(f"assignment sha256 {digest[:16]}…: {same}")

    scores = scores_for(panels, seed=2)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    submitted = {e.id: start + timedelta(seconds=i * 37) for i, e in enumerate(entries)}

    inputs = PublishedInputs(tuple(CRITERIA), tuple(scores), submitted)
    median, slowest, cpu = timed(args.runs, lambda: recompute(inputs))
    print(
        f"ranking with normalization: {len(entries):,} entries, {len(scores):,} scores: "
        f"median {median:.3f} s, slowest {slowest:.3f} s, CPU {cpu:.3f} s (target < 1 s)"
    )
    median, slowest, cpu = timed(args.runs, lambda: icc(scores, CRITERIA))
    print(
        f"ICC(1) with its interval, same scores: median {median:.3f} s, slowest {slowest:.3f} s, "
        f"CPU {cpu:.3f} s"
    )
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
