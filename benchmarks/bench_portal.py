"""Transparency-site load benchmark: p95 latency under 50 concurrent clients, and API reads per
second side by side with Datasette serving the same table in the same run.

    .venv/bin/python benchmarks/bench_portal.py [--seconds 20] [--clients 50]

Needs Debian's `wrk` (apt-get install wrk) and installs Datasette into a throwaway venv under
/tmp on first use (benchmark only; it is not a project dependency). Everything runs on
127.0.0.1. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABYIN = [sys.executable, "-m", "tabyin.cli"]
DATASETTE_VENV = Path("/tmp/tabyin-bench-datasette")
WRK_P95 = """
done = function(summary, latency, requests)
  io.write(string.format("P95_MS %.2f\\nP50_MS %.2f\\nRPS %.1f\\nERRORS %d\\n",
    latency:percentile(95) / 1000, latency:percentile(50) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def wrk(url: str, seconds: int, clients: int, script: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {
        k: float(v)
        for k, v in (
            line.split() for line in out.splitlines() if line[:4] in ("P95_", "P50_", "RPS ", "ERRO")
        )
    }


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def ensure_datasette() -> Path:
    exe = DATASETTE_VENV / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "datasette==0.65.5"], check=True
        )
    return exe


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="tabyin-bench-"))
    data = work / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env["TABYIN_DATA_DIR"] = str(data)
    subprocess.run([*TABYIN, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    script = work / "p95.lua"
    script.write_text(WRK_P95)

    # Datasette serves a copy of the very same SQLite file, read-only and immutable (its fastest mode).
    db_copy = work / "tabyin.db"
    with sqlite3.connect(data / "tabyin.sqlite3") as src, sqlite3.connect(db_copy) as dst:
        src.backup(dst)
    port, ds_port = free_port(), free_port()
    web = start([*TABYIN, "serve", "--port", str(port)], env, work / "web.log")
    datasette = start(
        [str(ensure_datasette()), "serve", "-i", str(db_copy), "-p", str(ds_port),
         "--setting", "num_sql_threads", "4"],
        env, work / "datasette.log",
    )  # fmt: skip
    base, ds = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ds_port}"
    targets = {
        "home page": f"{base}/",
        "indicator page": f"{base}/indicators/outpatient-services-per-day/",
        "API filtered read": (
            f"{base}/api/v1/datasets/services/rows?area=IR-23&period__gte=1402-01&_sort=-value&_size=100"
        ),
        "Datasette same read": (
            f"{ds}/tabyin/portal_observation.json?area=IR-23&period__gte=1402-01&_sort_desc=value&_size=100"
        ),
    }
    try:
        wait(f"{base}/healthz")
        wait(f"{ds}/-/versions.json")
        for url in targets.values():
            wait(url)
        results = {name: wrk(url, args.seconds, args.clients, script) for name, url in targets.items()}
    finally:
        stop(web)
        stop(datasette)
    print(f"machine: {os.cpu_count()} cores; mode: embedded default (SQLite); clients: {args.clients}")
    for name, r in results.items():
        print(
            f"{name:<22} p50 {r['P50_MS']:8.1f} ms   p95 {r['P95_MS']:8.1f} ms   "
            f"{r['RPS']:8.1f} req/s   errors {int(r['ERRORS'])}"
        )
    ours, theirs = results["API filtered read"]["RPS"], results["Datasette same read"]["RPS"]
    print(f"API reads per second, Tabyin / Datasette: {ours / theirs:.2f}x")


if __name__ == "__main__":
    main()
