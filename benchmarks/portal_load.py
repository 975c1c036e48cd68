"""Transparency-site load benchmark: p95 latency and throughput under 50 concurrent clients, with
the whole-response cache on and off, beside Datasette serving the same rows, all in one run.

    PYTHONPATH=src .venv/bin/python benchmarks/portal_load.py [--seconds 10] [--clients 50]
        [--modes embedded,scaled] [--baseline-src DIR]

- embedded: `tabyin serve` with its defaults (SQLite, in-memory response cache per process,
  one web process per core).
- scaled: PostgreSQL (a throwaway database on the local server, DATABASE_URL's host or
  postgres@127.0.0.1) and a private redis-server on a free port, 2 web processes.

Each mode runs on the same data with the response cache (TABYIN_RESPONSE_CACHE=true, the default)
and without it (the baseline the ratios are against). ``--baseline-src DIR`` adds, in the same run,
on the same data, the server of another source tree (``before``), for instance the commit before a
change: ``git archive <commit> src | tar -x -C /tmp/base`` then ``--baseline-src /tmp/base/src``.
Datasette serves a copy of the same SQLite file, immutable (`-i`), with the same rows in one indexed
table.

The load generator is Debian's `wrk` (apt-get install wrk): C, event-driven, two threads, so it
takes little of the machine it measures. Datasette is installed into a throwaway venv under /tmp
on first use (pip, datasette==0.65.5): it is a yardstick, not a dependency of the project, and
its own dependency set (uvicorn, jinja2, …) must not move ours. Everything runs on 127.0.0.1.
The machine is shared: each line carries the 1-minute load average read just before it. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

TABYIN = [sys.executable, "-m", "tabyin.cli"]
DATASETTE_VENV = Path("/tmp/tabyin-bench-datasette")
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P95_MS %.2f\\nP50_MS %.2f\\nP99_MS %.2f\\nRPS %.1f\\nERRORS %d\\n",
    latency:percentile(95) / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""
API_READ = "/api/v1/datasets/services/rows?area=IR-23&period__gte=1402-01&_sort=-value&_size=100"
CKAN_READ = (
    "/api/3/action/datastore_search?resource_id=services"
    "&filters=%7B%22area%22%3A%22IR-23%22%7D&sort=value%20desc&limit=100"
)
DATASETTE_READ = "/tabyin/services_rows.json?area=IR-23&period__gte=1402-01&_sort_desc=value&_size=100"
PAGES = {
    "home page": "/",
    "indicator page": "/indicators/outpatient-services-per-day/",
    "API filtered read": API_READ,
    "CKAN datastore_search": CKAN_READ,
}
# The rows of the services dataset as /api/v1 shows them, one indexed table for Datasette.
SAME_ROWS = """
CREATE TABLE services_rows AS
SELECT i.code AS indicator, o.area, o.period, o.value, o.numerator, o.denominator, o.status,
       o.suppressed
FROM portal_observation o JOIN portal_indicator i ON i.id = o.indicator_id
JOIN portal_dataset d ON d.id = i.dataset_id WHERE d.slug = 'services';
CREATE INDEX services_rows_area_period ON services_rows (area, period);
CREATE INDEX services_rows_value ON services_rows (value);
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_average() -> float:
    return os.getloadavg()[0]


def wait(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def fetch_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        found: dict[str, object] = json.load(response)
        return found


def wrk(
    url: str, seconds: int, clients: int, script: Path, headers: tuple[str, ...] = ()
) -> dict[str, float]:
    load = load_average()
    sent = [arg for header in headers for arg in ("-H", header)]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", *sent, "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = {
        k: float(v)
        for k, v in (
            line.split() for line in out.splitlines() if line[:4] in ("P95_", "P50_", "P99_", "RPS ", "ERRO")
        )
    }
    figures["LOAD"] = load
    return figures


def slow_clients(base: str, clients: int, seconds: float = 20) -> list[float | None]:
    """Latencies (ms, None for a 10 s time-out) of 10 ordinary requests made while ``clients``
    connections each send their request one byte a second (a slow phone, or slowloris)."""
    host, port = base.removeprefix("http://").split(":")
    until = time.monotonic() + seconds

    def trickle() -> None:
        with socket.create_connection((host, int(port))) as sock:
            for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200:
                if time.monotonic() > until:
                    return
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    return
                time.sleep(1)

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    latencies: list[float | None] = []
    for _ in range(10):
        begun = time.perf_counter()
        try:
            with urllib.request.urlopen(base + "/api/v1/", timeout=10) as response:  # noqa: S310
                response.read()
            latencies.append((time.perf_counter() - begun) * 1000)
        except OSError:
            latencies.append(None)
    return latencies


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def psql(command: str, *, check: bool) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", command], check=check)


def ensure_datasette() -> Path:
    exe = DATASETTE_VENV / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "datasette==0.65.5"], check=True
        )
    return exe


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"  {name:<24} p50 {r['P50_MS']:7.1f}  p95 {r['P95_MS']:7.1f}  p99 {r['P99_MS']:7.1f} ms"
        f"  {r['RPS']:8.1f} req/s"
        f"  errors {int(r['ERRORS'])}  (load {r['LOAD']:.2f})"
    )


class Mode:
    """One runtime mode: its environment, its data loaded once, its web server started on demand."""

    def __init__(self, name: str, work: Path, base_env: dict[str, str]) -> None:
        self.name, self.work, self.env = name, work / name, dict(base_env)
        self.env["TABYIN_DATA_DIR"] = str(self.work / "data")
        self.cleanup: list[subprocess.Popen[bytes]] = []
        self.database = ""

    def prepare(self) -> None:
        if self.name == "scaled":
            port = free_port()
            redis = start(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                          self.env, self.work.parent / "redis.log")  # fmt: skip
            self.cleanup.append(redis)
            self.database = f"tabyin_bench_{os.getpid()}"
            psql(f"CREATE DATABASE {self.database}", check=True)
            self.env |= {
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database}",
                "REDIS_URL": f"redis://127.0.0.1:{port}/0",
                "TABYIN_SECRET_KEY": "bench-" + "x" * 50,
                "TABYIN_RECEIPT_PEPPER": "bench-" + "y" * 40,
                "TABYIN_WEB_WORKERS": "2",
            }
        self.work.mkdir(parents=True)
        done = subprocess.run(
            [*TABYIN, "demo", "--no-serve", "--port", str(free_port())],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.exit(f"tabyin demo failed ({self.name}): {done.stdout[-2000:]}{done.stderr[-2000:]}")

    def serve(self, *, cached: bool, src: str | None = None) -> tuple[subprocess.Popen[bytes], str]:
        port = free_port()
        env = self.env | {"TABYIN_RESPONSE_CACHE": "true" if cached else "false"}
        if src:
            env["PYTHONPATH"] = src
        web = start([*TABYIN, "serve", "--port", str(port)], env, self.work / "web.log")
        base = f"http://127.0.0.1:{port}"
        wait(f"{base}/healthz")
        for path in PAGES.values():  # warm: the first render of each page is not what we measure
            for _ in range(4):
                wait(base + path)
        return web, base

    def finish(self) -> None:
        for proc in self.cleanup:
            stop(proc)
        if self.database:
            psql(f"DROP DATABASE IF EXISTS {self.database}", check=False)


def start_datasette(
    modes: list[Mode], work: Path, base_env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Datasette on a copy of the embedded demo's SQLite file (the figures the scaled demo loads)."""
    first = next((m for m in modes if m.name == "embedded"), None)
    if first is None:
        first = Mode("embedded", work, base_env)
        first.prepare()
    db_copy = work / "tabyin.db"
    src, dst = sqlite3.connect(first.work / "data" / "tabyin.sqlite3"), sqlite3.connect(db_copy)
    src.backup(dst)
    # Out of WAL mode and closed: an immutable open (-i) reads the main file only.
    dst.executescript(SAME_ROWS + "PRAGMA journal_mode=DELETE;")
    src.close()
    dst.close()
    ds_port = free_port()
    datasette_proc = start(
        [str(ensure_datasette()), "serve", "-i", str(db_copy), "-p", str(ds_port),
         "--setting", "num_sql_threads", "4"],
        base_env, work / "datasette.log",
    )  # fmt: skip
    ds_url = f"http://127.0.0.1:{ds_port}{DATASETTE_READ}"
    wait(ds_url)
    return datasette_proc, ds_url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--modes", default="embedded,scaled")
    parser.add_argument("--slow-clients", type=int, default=12, help="0 to skip the slow-client probe")
    parser.add_argument("--baseline-src", default="", help="also measure this source tree's server")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="tabyin-load-"))
    script = work / "p95.lua"
    script.write_text(WRK_SCRIPT)
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    modes = [Mode(name, work, base_env) for name in args.modes.split(",")]
    results: dict[str, dict[str, dict[str, float]]] = {}
    slow: dict[str, list[float | None]] = {}
    before_slow: dict[str, list[float | None]] = {}
    datasette_proc = None
    try:
        for mode in modes:
            mode.prepare()
        datasette_proc, ds_url = start_datasette(modes, work, base_env)
        theirs = fetch_json(ds_url)
        results["datasette"] = {"Datasette same read": wrk(ds_url, args.seconds, args.clients, script)}
        configs = [("uncached", False, None), ("cached", True, None)]
        if args.baseline_src:
            configs.insert(1, ("before", True, args.baseline_src))
        for mode in modes:
            for config, cached, src in configs:
                web, base = mode.serve(cached=cached, src=src)
                try:
                    probe = slow if config == "cached" else before_slow if config == "before" else None
                    results[f"{mode.name}-{config}"] = measure(
                        mode, base, theirs=theirs, args=args, script=script, slow=probe
                    )
                finally:
                    stop(web)
    finally:
        if datasette_proc is not None:
            stop(datasette_proc)
        for mode in modes:
            mode.finish()
    report(results, args, modes)
    for label, probes in (("before", before_slow), ("now", slow)):
        for name, latencies in probes.items():
            shown = ", ".join("time-out" if ms is None else f"{ms:.0f}" for ms in latencies)
            print(f"{name} ({label}): 10 requests beside {args.slow_clients} clients sending a byte a second"
                  f" (ms): {shown}")  # fmt: skip


def measure(
    mode: Mode,
    base: str,
    *,
    theirs: dict[str, object],
    args: argparse.Namespace,
    script: Path,
    slow: dict[str, list[float | None]] | None,
) -> dict[str, dict[str, float]]:
    """wrk on every page of one server; with the cache on, the row check and the slow-client probe."""
    if slow is not None:
        rows, their_rows = fetch_json(base + API_READ)["results"], theirs["rows"]
        assert isinstance(rows, list) and isinstance(their_rows, list)
        print(f"{mode.name}: same rows? Tabyin {len(rows)}, Datasette {len(their_rows)}")
    figures = {name: wrk(base + path, args.seconds, args.clients, script) for name, path in PAGES.items()}
    if slow is not None and args.slow_clients:
        slow[mode.name] = slow_clients(base, args.slow_clients)
    return figures


def report(
    results: dict[str, dict[str, dict[str, float]]], args: argparse.Namespace, modes: list[Mode]
) -> None:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"\nmachine: {os.cpu_count()} cores (shared); clients: {args.clients}; {args.seconds} s a line")
    print(f"load generator: wrk -t2 -c{args.clients}; uptime at the end: {uptime}")
    ds = results["datasette"]["Datasette same read"]
    print("Datasette 0.65.5, immutable, indexed table of the same rows:")
    print(line("Datasette same read", ds))
    for mode in modes:
        off, after = results[f"{mode.name}-uncached"], results[f"{mode.name}-cached"]
        label = "SQLite, 2 processes" if mode.name == "embedded" else "PostgreSQL + Redis, 2 processes"
        print(f"\n{mode.name} ({label}), response cache OFF (baseline):")
        for name, r in off.items():
            print(line(name, r))
        before = results.get(f"{mode.name}-before")
        if before is not None:
            print(f"{mode.name}, BEFORE (--baseline-src {args.baseline_src}), response cache on:")
            for name, r in before.items():
                print(line(name, r))
        print(f"{mode.name}, NOW, response cache on:")
        for name, r in after.items():
            print(line(name, r))
        print(f"{mode.name} ratios (same run):")
        for name in after:
            a, b = after[name], off[name]
            then = f";  before: p95 {before[name]['P95_MS']:.1f} ms" if before is not None else ""
            ratio = a["RPS"] / b["RPS"]
            print(f"  {name:<24} throughput ×{ratio:6.1f} vs cache off;  p95 {a['P95_MS']:.1f} ms"
                  f" vs {b['P95_MS']:.1f} ms off{then}")  # fmt: skip
        for name in ("API filtered read", "CKAN datastore_search"):
            print(f"  {name:<24} vs Datasette: ×{after[name]['RPS'] / ds['RPS']:.2f} throughput (cache on),"
                  f" ×{off[name]['RPS'] / ds['RPS']:.2f} (cache off)  [target ≥ ×10]")  # fmt: skip
        worst = max(after[n]["P95_MS"] for n in PAGES)
        print(f"  worst p95 of the four with the cache: {worst:.1f} ms  [target ≤ 50 ms]")


if __name__ == "__main__":
    main()
