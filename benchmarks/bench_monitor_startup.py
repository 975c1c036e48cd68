"""`tabyin ingest` of a 100-post file: process time (user + system CPU) of the real command.

    .venv/bin/python benchmarks/bench_monitor_startup.py [--runs N] [--posts N] [--src DIR]

One data directory is migrated once; each run copies it, so every run ingests 100 new posts into
a migrated, otherwise empty database (the alert evaluation after the batch included), in a fresh
process: ``python -m tabyin.cli --data-dir D ingest posts.jsonl``. The figure is the child's
``ru_utime + ru_stime`` (what ``/usr/bin/time`` reports as user + sys), printed for each run with
the median.

Bytecode: an installed package runs from compiled ``.pyc`` files (pip and uv compile them, or the
first run writes them). If this shell sets PYTHONDONTWRITEBYTECODE (so every run would compile the
whole of Django from source, about twice the time), the benchmark points PYTHONPYCACHEPREFIX at a
scratch directory instead and warms it with one unmeasured run; it says which it did.

``--src`` measures another checkout's code (e.g. ``--src /work/main/src`` for the code before).
The texts are ExaPPC sentences (Apache-2.0, /work/shared/data/persian/exappc_paraphrase).
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAIRS = HERE.parent.parent / "shared" / "data" / "persian" / "exappc_paraphrase" / "pairs.jsonl"


def write_posts(path: Path, count: int) -> None:
    texts: list[str] = []
    with PAIRS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts += [row["sentence1"], row["sentence2"]]
            if len(texts) >= count:
                break
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(texts[:count]):
            channel = f"telegram:bench{i % 25}"
            item = {
                "source": channel,
                "post_id": str(1000 + i),
                "url": f"https://t.me/bench{i % 25}/{1000 + i}",
                "text": text,
                "published_at": (start + timedelta(minutes=i)).isoformat(),
                "views": 100 + i,
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def child_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--src", default=str(HERE.parent / "src"), help="the tabyin source tree to run")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="tabyin-startup-"))
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    env["PYTHONPATH"] = args.src
    bytecode = "the interpreter's own .pyc cache"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        bytecode = "a scratch PYTHONPYCACHEPREFIX (PYTHONDONTWRITEBYTECODE is set here), warmed by one run"
    try:
        pristine = scratch / "pristine"
        tabyin = [sys.executable, "-m", "tabyin.cli"]
        subprocess.run(
            [*tabyin, "--data-dir", str(pristine), "manage", "migrate", "-v", "0"], env=env, check=True
        )
        posts = scratch / "posts.jsonl"
        write_posts(posts, args.posts)
        print(f"code: {args.src}\nbytecode: {bytecode}\nposts: {args.posts} new posts a run")
        cpus: list[float] = []
        for run in range(args.runs + 1):
            data = scratch / f"run{run}"
            shutil.copytree(pristine, data)
            cpu, wall, summary = child_cpu([*tabyin, "--data-dir", str(data), "ingest", str(posts)], env)
            shutil.rmtree(data)
            if run == 0:
                print(f"warm-up: {cpu:.3f} s CPU, {wall:.3f} s wall (not counted) {summary}")
                continue
            cpus.append(cpu)
            print(f"run {run}: {cpu:.3f} s CPU (user + sys), {wall:.3f} s wall")
        print(f"median: {statistics.median(cpus):.3f} s CPU over {len(cpus)} runs (min {min(cpus):.3f})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
