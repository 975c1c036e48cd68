"""Time to score one scorecard period: 31 provinces × 16 main × 60 sub-indicators, 1,000 draws.

    .venv/bin/python benchmarks/bench_scorecard.py [--runs N] [--naive-runs N] [--draws N]

The engine (tabyin.scorecard.scoring.score, robustness vectorised with numpy) is timed on a
synthetic period shaped like the default framework: every kind of indicator and every
normalization rule, about 5 % of values not reported and 5 % not applicable. The baseline, measured
in the same run, is the same robustness analysis done naively: a Python loop over the draws, each
calling the non-robust scoring (``score`` with ``draws=0``) with perturbed weights and the
alternative normalization. It takes its random factors from the same generator in the same order
as the engine, so the two rank intervals can be compared too (they differ only where the naive
loop's per-draw rounding of sub and main scores moves a tie). Figures only: nothing is asserted.
"""

import argparse
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from tabyin.scorecard.scoring import (
    MINMAX,
    NUMERIC_KINDS,
    TARGET,
    Band,
    Entry,
    MainSpec,
    Method,
    ProvinceInput,
    ProvinceScore,
    SubSpec,
    score,
)

BANDS = [Band("leading", 80.0), Band("active", 60.0), Band("developing", 40.0), Band("weak", 0.0)]
# (kind, direction, normalization, target, low, high): the range values are drawn from.
KINDS = [
    ("rate", "higher", "scale", None, 20.0, 100.0),
    ("rate", "higher", "target", 90.0, 20.0, 100.0),
    ("count", "higher", "target", 12.0, 0.0, 30.0),  # e.g. press releases per 100,000 covered
    ("count", "higher", "minmax", None, 0.0, 50.0),
    ("duration", "lower", "target", 48.0, 2.0, 200.0),  # hours to answer a rumor
    ("duration", "lower", "minmax", 24.0, 2.0, 200.0),
    ("yes_no", "higher", "scale", None, 0.0, 1.0),
    ("rubric", "higher", "scale", None, 1.0, 5.0),
]


def synthetic_period(
    seed: int = 1404, n_provinces: int = 31, n_mains: int = 16, n_subs: int = 60
) -> tuple[list[MainSpec], list[SubSpec], list[ProvinceInput]]:
    rng = random.Random(seed)
    mains = [MainSpec(f"M{i:02d}", rng.choice([1.0, 1.0, 1.5, 2.0])) for i in range(n_mains)]
    subs = []
    for j in range(n_subs):
        kind, direction, rule, target, _, _ = KINDS[j % len(KINDS)]
        weight = rng.choice([0.5, 1.0, 1.0, 2.0])
        subs.append(SubSpec(f"S{j:02d}", mains[j % n_mains].code, kind, direction, rule, weight, target))
    provinces = []
    for i in range(n_provinces):
        skill = rng.uniform(0.2, 0.9)  # provinces differ in general level, so ranks are not all noise
        entries = {}
        for j, s in enumerate(subs):
            status = rng.choices(["reported", "not_reported", "not_applicable"], [90, 5, 5])[0]
            _, _, _, _, low, high = KINDS[j % len(KINDS)]
            x = min(1.0, max(0.0, rng.gauss(skill if s.direction == "higher" else 1 - skill, 0.2)))
            value = round(low + x * (high - low), 4)
            if s.kind in ("yes_no", "rubric"):
                value = float(round(value))
            entries[s.code] = Entry(status, value if status == "reported" else None)
        provinces.append(ProvinceInput(f"IR-{i:02d}", entries, ("large", "medium", "small")[i % 3]))
    return mains, subs, provinces


def median_seconds(func: Callable[[], object], runs: int) -> float:
    func()  # warm-up: imports, numpy's first calls
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def alternative(spec: SubSpec) -> SubSpec:
    """The other normalization, by the rule the engine's robustness analysis documents."""
    if spec.kind not in NUMERIC_KINDS:
        return spec
    if spec.normalization == TARGET:
        return replace(spec, normalization=MINMAX)
    usable = spec.target is not None and (spec.target > 0 or spec.direction != "higher")
    return replace(spec, normalization=TARGET) if spec.normalization == MINMAX and usable else spec


def naive_intervals(
    mains: Sequence[MainSpec], subs: Sequence[SubSpec], provinces: Sequence[ProvinceInput], method: Method
) -> list[tuple[int, int]]:
    """The robustness analysis as a loop: one full non-robust scoring per draw."""
    rng = np.random.default_rng(method.seed)  # the engine's generator, drawn in the engine's order
    d, lo, hi = method.draws, 1.0 - method.weight_spread, 1.0 + method.weight_spread
    f_sub = rng.uniform(lo, hi, (d, len(subs))).tolist()
    f_main = rng.uniform(lo, hi, (d, len(mains))).tolist()
    use_alt = (rng.random((d, len(subs))) < 0.5).tolist()
    alt = [alternative(s) for s in subs]
    ranks: list[list[int]] = [[] for _ in provinces]
    for k in range(d):
        drawn_subs = [
            replace(alt[j] if use_alt[k][j] else s, weight=s.weight * f_sub[k][j]) for j, s in enumerate(subs)
        ]
        drawn_mains = [replace(m, weight=m.weight * f_main[k][i]) for i, m in enumerate(mains)]
        drawn = score(drawn_mains, drawn_subs, provinces, BANDS, Method(draws=0))
        last = 1 + sum(r.total is not None for r in drawn)  # as the engine: no total ranks behind all
        for i, r in enumerate(drawn):
            ranks[i].append(r.rank if r.rank is not None else last)
    out = []
    for column in ranks:
        column.sort()
        # numpy's percentile methods "lower" (5th) and "higher" (95th), by hand.
        out.append((column[math.floor(0.05 * (d - 1))], column[math.ceil(0.95 * (d - 1))]))
    return out


def bench_end_to_end(postgres: str | None = None) -> None:
    """The DB-backed figure: the demo loaded into a throwaway data directory (SQLite; and
    PostgreSQL when ``postgres`` or $TABYIN_BENCH_POSTGRES is a server URL — a scratch database is
    created on it and dropped), then ``period_score`` of period «1404» (31 provinces × 60
    sub-indicators, 1,000 draws: reading the values, scoring, storing 31 results and 1,860 sub
    scores), median of 5 runs. Each database runs in its own process, since Django's settings are
    fixed per process."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    postgres = postgres or os.environ.get("TABYIN_BENCH_POSTGRES") or None
    targets = [("SQLite", "")] + ([("PostgreSQL", postgres)] if postgres else [])
    here = str(Path(__file__).resolve().parent)
    for label, url in targets:
        with tempfile.TemporaryDirectory(prefix="tabyin-bench-e2e-") as data_dir:
            scratch = _scratch_database(url) if url else ""
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env |= {"TABYIN_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "tabyin.config.settings"}
            if scratch:
                env["DATABASE_URL"] = scratch
            try:
                code = f"import sys; sys.path.insert(0, {here!r}); import bench_scorecard; "
                code += "bench_scorecard._end_to_end_worker()"
                command = [sys.executable, "-c", code]
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            finally:
                if scratch:
                    _scratch_database(url, drop=scratch)
        if done.returncode != 0:
            print(f"end to end on {label}: failed\n{done.stderr[-2000:]}")
            continue
        got = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"end to end on {label} ({got['database']}), median of {got['runs']} runs:")
        print(f"  {'demo load (2 periods through the services)':<42}{got['load_s']:>10.1f} s")
        for key, name in (("collect", "read values (collect)"), ("engine", "engine (score, 1,000 draws)"),
                          ("total", "period_score, storage included")):  # fmt: skip
            print(f"  {name:<42}{got[key] * 1000:>10.1f} ms")


def _scratch_database(url: str, drop: str = "") -> str:
    """Create (or, with ``drop``, remove) a throwaway database on the server ``url`` points at."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = drop.rsplit("/", 1)[-1] if drop else f"tabyin_bench_e2e_{os.getpid()}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _end_to_end_worker(runs: int = 5, draws: int = 1000) -> None:
    """In a fresh process whose environment names the data directory and the database."""
    import json

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tabyin.core import demo as core_demo
    from tabyin.scorecard import demo, scoring
    from tabyin.scorecard.framework.services import framework_specs
    from tabyin.scorecard.models import Framework, Period
    from tabyin.scorecard.periods.services_scoring import collect, period_score, period_seed

    call_command("migrate", interactive=False, verbosity=0)
    core_demo.load()
    start = time.perf_counter()
    demo.load()
    load_s = time.perf_counter() - start
    period = Period.objects.get(code="1404")
    framework = Framework.objects.get(pk=period.framework_id)

    def engine() -> None:
        submissions, indicators, measured = collect(period)
        mains, subs, bands = framework_specs(framework)
        inputs = []
        for s in submissions:
            entries = {}
            for i in indicators:
                if i.parent_id is not None:
                    m = measured[(s.pk, i.pk)]
                    entries[i.code] = Entry(m.status, None if m.value is None else float(m.value))
            inputs.append(ProvinceInput(s.province.iso_code, entries, s.peer_group))
        method = Method(draws=draws, seed=period_seed(period.code))
        timings.append(_seconds(lambda: scoring.score(mains, subs, inputs, bands, method)))

    timings: list[float] = []
    version = (
        connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else f"{connection.pg_version // 10000}.{connection.pg_version % 100}"  # type: ignore[attr-defined]
    )
    result = {
        "database": f"{connection.vendor} {version}",
        "runs": runs,
        "load_s": load_s,
        "collect": median_seconds(lambda: collect(period), runs),
        "total": median_seconds(lambda: period_score(actor=None, period=period, draws=draws), runs),
    }
    for _ in range(runs):
        engine()
    result["engine"] = statistics.median(timings)
    print(json.dumps(result))


def _seconds(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the engine (median is kept)")
    parser.add_argument("--naive-runs", type=int, default=3, help="timed runs of the naive loop (median)")
    parser.add_argument("--draws", type=int, default=1000, help="robustness draws")
    parser.add_argument(
        "--postgres", default=None, help="also time the end-to-end run on this PostgreSQL server URL"
    )
    args = parser.parse_args()

    mains, subs, provinces = synthetic_period()
    method = Method(draws=args.draws, seed=123)
    print(f"{len(provinces)} provinces × {len(mains)} main × {len(subs)} sub-indicators, {args.draws} draws")
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"median of {args.runs} (engine) and {args.naive_runs} (naive) runs\n"
    )
    results: list[ProvinceScore] = []

    def engine() -> None:
        results[:] = score(mains, subs, provinces, BANDS, method)

    publish = median_seconds(lambda: score(mains, subs, provinces, BANDS, Method(draws=0)), args.runs)
    ours = median_seconds(engine, args.runs)
    intervals: list[tuple[int, int]] = []
    naive = median_seconds(lambda: intervals.__setitem__(slice(None), naive_intervals(
        mains, subs, provinces, method)), args.naive_runs)  # fmt: skip

    print(f"{'scoring without robustness (draws=0)':<44}{publish * 1000:>10.1f} ms")
    print(f"{'engine, with robustness (numpy)':<44}{ours * 1000:>10.1f} ms")
    print(f"{'naive robustness (loop over draws)':<44}{naive * 1000:>10.1f} ms")
    print(f"\nratio naive / engine: {naive / ours:.1f}x")
    same = sum((r.rank_low, r.rank_high) == (min(a, r.rank or a), max(b, r.rank or b))
               for r, (a, b) in zip(results, intervals, strict=True))  # fmt: skip
    unstable = sum(not r.stable for r in results)
    print(
        f"rank intervals identical in both: {same} of {len(results)}; unstable ranks (engine): {unstable}\n"
    )
    bench_end_to_end(postgres=args.postgres)


if __name__ == "__main__":
    main()
