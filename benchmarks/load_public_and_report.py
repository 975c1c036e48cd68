"""Bounded load test of the public site and the report form, against the real server.

    PYTHONPATH=src .venv/bin/python benchmarks/load_public_and_report.py [--seconds 20]
        [--readers 8] [--reporters 2] [--reports 40] [--pow-bits 12] [--mode embedded|scaled]
        [--data-dir DIR]

Loads the demo (`tabyin demo --no-serve`; or reuses --data-dir when it already holds one), starts
`tabyin serve` with 2 web processes on a free port (embedded: SQLite; scaled: a throwaway
PostgreSQL database on the local server and a private redis-server on a free port, plus one
`tabyin worker`), then for at most --seconds runs:

- ``readers`` threads, each in turn: the home page, an indicator page, a search, an API read;
- ``reporters`` threads, each: GET the report form, solve its proof-of-work challenge as our
  script does in the browser (SHA-256 of ``nonce:answer`` with ``bits`` leading zero bits), wait
  until the form is 3 s old as a person typing would (``abuse.MIN_AGE_SECONDS``; not timed), POST
  it, follow the redirect to the receipt page — until --reports reports are in or the time is up
  (a report begun is still finished).

Prints per endpoint: requests, throughput, p50/p95/p99 latency and errors (any status other than
the expected one, any time-out), the number of reports the server confirmed and the number the
database gained. Asserts nothing (tests/core/test_load_benchmark.py runs a few seconds of it and
checks that nothing failed and that every report arrived). The proof-of-work difficulty is
--pow-bits (TABYIN_REPORTS_POW_BITS; production's default costs a browser about a second, which
would measure our solver, not the server). Local only: everything is on 127.0.0.1.
"""

# ruff: noqa: S310  (every address is http://127.0.0.1:<port> of the server this script started)

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

TABYIN = [sys.executable, "-m", "tabyin.cli"]
FORM_AGE = 3.2  # abuse.MIN_AGE_SECONDS and a margin
READS = {
    "home page": "/",
    "indicator page": "/indicators/outpatient-services-per-day/",
    "search": "/search/?q=" + urllib.parse.quote("بیمه"),
    "API read": "/api/v1/datasets/services/rows?area=IR-23&period__gte=1402-01&_sort=-value&_size=100",
}
FORM = "/reports/new/?category=bribery"
REPORT = {
    "category": "bribery",
    "province": "IR-23",
    "place_kind": "branch",
    "place_name": "شعبهٔ ۱۲ تهران",
    "when": "۱۴۰۵/۰۸/۲۰",
    "what": "کارمند باجه برای ثبت سابقهٔ بیمه پول نقد خواست و گفت بدون آن کار انجام نمی‌شود.",
    "who": "متصدی باجهٔ ۳",
    "identity_mode": "anonymous",
    "q_paid": "no",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def solve(nonce: str, bits: int) -> str:
    for answer in count():
        digest = hashlib.sha256(f"{nonce}:{answer}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(answer)
    raise AssertionError("unreachable")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reports: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, seconds: float, ok: bool, note: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds)
            self.errors.setdefault(name, 0)
            if not ok:
                self.errors[name] += 1
                if len(self.notes) < 10:
                    self.notes.append(f"{name}: {note}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _open(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> tuple[int, str, str]:
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode(), response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")


def timed(tally: Tally, name: str, opener: urllib.request.OpenerDirector, request: urllib.request.Request,
          expect: int) -> tuple[bool, str, str]:  # fmt: skip
    begun = time.perf_counter()
    try:
        status, body, location = _open(opener, request)
    except OSError as error:
        tally.record(name, time.perf_counter() - begun, False, type(error).__name__)
        return False, "", ""
    ok = status == expect
    tally.record(name, time.perf_counter() - begun, ok, f"HTTP {status}")
    return ok, body, location


def reader(base: str, until: float, tally: Tally) -> None:
    opener = urllib.request.build_opener()
    while time.monotonic() < until:
        for name, path in READS.items():
            if time.monotonic() >= until:
                return
            timed(tally, name, opener, urllib.request.Request(base + path), 200)


def reporter(base: str, until: float, tally: Tally, quota: list[int]) -> None:
    # No new report after the window closes, but a report begun is finished: with --reports no
    # more than the reporters, every one starts at once and the count is exactly --reports.
    while time.monotonic() < until:
        with tally.lock:
            if quota[0] <= 0:
                return
            quota[0] -= 1
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        ok, page, _ = timed(tally, "report form GET", opener, urllib.request.Request(base + FORM), 200)
        if not ok:
            continue
        # The form's age counts from when the server signed it, at the latest when its page arrived.
        asked = time.monotonic()
        fields = dict(REPORT)
        for name in ("csrfmiddlewaretoken", "form_token"):
            found = re.search(rf'name="{name}" value="([^"]+)"', page)
            fields[name] = found[1] if found else ""
        nonce = re.search(r'data-pow-nonce="([0-9a-f]+)"', page)
        bits = re.search(r'data-pow-bits="(\d+)"', page)
        if nonce and bits:
            fields["pow_answer"] = solve(nonce[1], int(bits[1]))
        time.sleep(max(0.0, FORM_AGE - (time.monotonic() - asked)))
        post = urllib.request.Request(
            base + "/reports/new/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": base + FORM, "Origin": base},
        )
        ok, _, location = timed(tally, "report POST", opener, post, 303)  # See Other: the receipt
        if not ok:
            continue
        ok, receipt, _ = timed(tally, "receipt page", opener, urllib.request.Request(base + location), 200)
        if ok and "data-receipt=" in receipt:
            with tally.lock:
                tally.reports += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*TABYIN, *args], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_http(url: str, seconds: float = 120, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit code {process.returncode}) before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def report_count(env: dict[str, str]) -> int:
    code = "from tabyin.reports.models import Report; print(Report.objects.count())"
    done = subprocess.run([*TABYIN, "manage", "shell", "-c", code], env=env, capture_output=True, text=True,
                          check=True)  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


class Server:
    """The demo data, the web server (2 processes) and, scaled, PostgreSQL, Redis and a worker."""

    def __init__(self, mode: str, data: Path, pow_bits: int) -> None:
        self.mode, self.data, self.work = mode, data, Path(tempfile.mkdtemp(prefix="tabyin-load-"))
        keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH"}
        self.env = {k: v for k, v in os.environ.items() if k in keep} | {
            "TABYIN_DATA_DIR": str(data),
            "TABYIN_WEB_WORKERS": "2",
            "TABYIN_REPORTS_POW_BITS": str(pow_bits),
            "TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE": "10000",
        }
        self.processes: list[subprocess.Popen[bytes]] = []
        self.database = ""
        self.base = ""

    def _psql(self, command: str, *, check: bool) -> None:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", command], check=check)

    def start(self) -> None:
        if self.mode == "scaled":
            redis_port = free_port()
            redis = ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"]
            log = (self.work / "redis.log").open("wb")
            self.processes.append(
                subprocess.Popen(redis, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            )
            self.database = f"tabyin_load_{os.getpid()}"
            self._psql(f"CREATE DATABASE {self.database}", check=True)
            self.env |= {
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database}",
                "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                "TABYIN_SECRET_KEY": "load-" + "x" * 50,
                "TABYIN_OTP_KEY": "load-" + "z" * 50,
            }
        if self.mode == "scaled" or not (self.data / "demo-credentials.txt").exists():
            done = subprocess.run(
                [*TABYIN, "demo", "--no-serve"], env=self.env, capture_output=True, text=True, check=False
            )
            if done.returncode:
                sys.exit(f"tabyin demo failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        if self.mode == "scaled":
            self.processes.append(start(["worker", "--concurrency", "1"], self.env, self.work / "worker.log"))
        port = free_port()
        web = start(["serve", "--port", str(port)], self.env, self.work / "web.log")
        self.processes.append(web)
        self.base = f"http://127.0.0.1:{port}"
        try:
            wait_http(self.base + "/healthz", process=web)
        except RuntimeError as error:
            sys.exit(f"{error}: {(self.work / 'web.log').read_text()[-2000:]}")
        for path in READS.values():  # the first render of each page is not what we measure
            wait_http(self.base + path)

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        if self.database:
            self._psql(f"DROP DATABASE IF EXISTS {self.database}", check=False)


def run_load(base: str, *, seconds: float, readers: int, reporters: int, reports: int) -> tuple[Tally, float]:
    tally = Tally()
    quota = [reports]
    until = time.monotonic() + seconds
    begun = time.monotonic()
    threads = [threading.Thread(target=reader, args=(base, until, tally)) for _ in range(readers)]
    threads += [threading.Thread(target=reporter, args=(base, until, tally, quota)) for _ in range(reporters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - begun


def summary(tally: Tally, elapsed: float, window: float) -> dict[str, object]:
    """Throughput over the load window (readers stop at its end; a report begun is finished)."""
    return {
        "seconds": round(window, 1),
        "elapsed": round(elapsed, 1),
        "load_average": round(os.getloadavg()[0], 2),
        "endpoints": {
            name: {
                "requests": len(values),
                "per_second": round(len(values) / min(window, elapsed), 1),
                "p50_ms": round(percentile(values, 0.50), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
                "errors": tally.errors[name],
            }
            for name, values in tally.latencies.items()
        },
        "errors": sum(tally.errors.values()),
        "error_samples": tally.notes,
        "reports_confirmed": tally.reports,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--reporters", type=int, default=2)
    parser.add_argument("--reports", type=int, default=40, help="stop submitting after this many")
    parser.add_argument("--pow-bits", type=int, default=12)
    parser.add_argument("--mode", choices=["embedded", "scaled"], default="embedded")
    parser.add_argument("--data-dir", type=Path, help="reuse (or make) the embedded demo here")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    data = args.data_dir or Path(tempfile.mkdtemp(prefix="tabyin-load-data-"))
    server = Server(args.mode, data, args.pow_bits)
    try:
        server.start()
        before = report_count(server.env)
        tally, elapsed = run_load(
            server.base,
            seconds=args.seconds,
            readers=args.readers,
            reporters=args.reporters,
            reports=args.reports,
        )
        gained = report_count(server.env) - before
    finally:
        server.stop()
    figures = {
        "mode": args.mode,
        "readers": args.readers,
        "reporters": args.reporters,
        "pow_bits": args.pow_bits,
    }
    figures |= summary(tally, elapsed, args.seconds) | {"reports_in_database": gained}
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(
        f"{args.mode}: {args.seconds:.0f} s ({elapsed:.1f} s with the last reports), {args.readers} readers"
        f" + {args.reporters} reporters, proof of work {args.pow_bits} bits, 2 web processes,"
        f" load average {figures['load_average']}"
    )
    endpoints: dict[str, dict[str, float]] = figures["endpoints"]  # type: ignore[assignment]
    for name, row in endpoints.items():
        print(
            f"  {name:<16} {row['requests']:6.0f} req {row['per_second']:7.1f} req/s"
            f"  p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms"
            f"  errors {row['errors']:.0f}"
        )
    print(f"  reports confirmed {tally.reports}, new in the database {gained}, errors {figures['errors']}")
    for note in tally.notes:
        print("  error:", note)


if __name__ == "__main__":
    main()
