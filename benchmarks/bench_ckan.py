"""CKAN-compatible API latency with the real ckanapi client on the demo data, beside the /api/v1
read of the same rows in the same run.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_ckan.py [--repeat 20]

Builds the demo in a throwaway data directory, serves it on a free port on 127.0.0.1, calls each
action ``--repeat`` times one after another (no concurrency: this is per-call cost, not load), and
times ``ckanapi dump datasets --all``. Prints figures and the load average; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ckanapi import RemoteCKAN

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portal_load import TABYIN, free_port, start, stop, wait

CKANAPI = Path(sys.executable).parent / "ckanapi"


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    call()  # warm-up: first-request imports and caches are not the per-call cost
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tabyin-bench-ckan-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env["TABYIN_DATA_DIR"] = str(work / "data")
    port = free_port()  # the demo checks its port even with --no-serve; 8000 may be taken
    subprocess.run(
        [*TABYIN, "demo", "--no-serve", "--port", str(port)], env=env, check=True, capture_output=True
    )
    web = start([*TABYIN, "serve", "--port", str(port)], env, work / "web.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait(f"{base}/healthz")
        site = RemoteCKAN(base)
        rows = site.action.datastore_search(resource_id="services", limit=0)["total"]

        def v1_page() -> None:
            url = f"{base}/api/v1/datasets/services/rows?area=IR-23&_size=100"
            with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback only)
                json.loads(response.read())

        calls: dict[str, Callable[[], Any]] = {
            "package_list": site.action.package_list,
            "package_show": lambda: site.action.package_show(id="services"),
            "package_search + 3 facets": lambda: site.action.package_search(
                q="*:*", rows=10, **{"facet.field": ["groups", "tags", "organization"]}
            ),
            "group_list all_fields": lambda: site.action.group_list(all_fields=True),
            "datastore_search 100 rows": lambda: site.action.datastore_search(
                resource_id="services", filters={"area": "IR-23"}, limit=100
            ),
            f"datastore_search distinct ({rows} rows read)": lambda: site.action.datastore_search(
                resource_id="services", fields=["area", "period"], distinct=True, limit=100
            ),
            "baseline: /api/v1 rows 100": v1_page,
        }
        results = {name: timed(call, args.repeat) for name, call in calls.items()}
        began = time.perf_counter()
        out = work / "dump.jsonl"
        path = f"{CKANAPI.parent}{os.pathsep}{env.get('PATH', '')}"
        subprocess.run(
            [str(CKANAPI), "dump", "datasets", "--all", "-r", base, "-O", str(out), "-q"],
            check=True, env={**env, "PATH": path}, capture_output=True,
        )  # fmt: skip
        dump_seconds = time.perf_counter() - began
        dumped = len(out.read_text().splitlines())
    finally:
        stop(web)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}; SQLite demo data")
    for name, (median, p95) in results.items():
        print(f"{name:<44} median {median:8.1f} ms   p95 {p95:8.1f} ms")
    print(f"ckanapi dump datasets --all: {dumped} datasets in {dump_seconds:.2f} s (process start included)")


if __name__ == "__main__":
    main()
