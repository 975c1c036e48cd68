"""Alert latency: from calling ``ingest`` with the post that trips a rule to the webhook arriving.

    .venv/bin/python benchmarks/bench_monitor_alert_latency.py [--trials N] [--channels N] [--postgres URL]

Embedded mode as deployed: background work on the in-process thread pool (``TABYIN_TASKS_EAGER``
false), SQLite in a throwaway data directory (``--postgres`` or $TABYIN_BENCH_POSTGRES also runs a
scratch database on that server). A REACH rule ("a story reaching N channels", N = --channels)
delivers to a signed webhook served by a local HTTP thread that checks the signature. Each trial
ingests one batch of N posts of a new story from N channels and waits for the request: ingest →
commit → ``evaluate_alerts`` → alert row → ``deliver_alert`` → POST. Target: p95 ≤ 5 s.

Figures only: nothing is asserted (a missed or badly signed webhook is counted and printed).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SECRET = "bench-secret"  # noqa: S105 (the local receiver's, this run only)
WAIT_SECONDS = 30.0
# Words to build texts that share nothing across trials, so each trial is a new story.
WORDS = [
    "مستمری",
    "بازنشستگان",
    "حقوق",
    "بیمه",
    "درمان",
    "دارو",
    "بیمارستان",
    "شعبه",
    "کارگر",
    "کارفرما",
    "حق",
    "بیمه",
    "پرداخت",
    "تعویق",
    "افزایش",
    "کاهش",
    "قطع",
    "وصل",
    "دفترچه",
    "نسخه",
    "الکترونیک",
    "پزشک",
    "خانواده",
    "آزمایش",
    "جراحی",
    "دندان",
    "عینک",
    "سمعک",
    "وام",
    "ازدواج",
    "بیکاری",
    "حادثه",
    "ازکارافتادگی",
    "فوت",
    "بازمانده",
    "مسکن",
    "اجاره",
    "سفر",
    "زیارت",
    "تهران",
    "اصفهان",
    "شیراز",
    "تبریز",
    "مشهد",
    "اهواز",
    "کرمان",
    "رشت",
    "ساری",
    "یزد",
    "قم",
    "اراک",
    "زنجان",
    "همدان",
    "سنندج",
    "ارومیه",
    "بندرعباس",
    "بوشهر",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        self.bad_signatures = 0
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                arrived = time.perf_counter()
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-Tabyin-Timestamp"]
                good = (
                    "sha256="
                    + hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                )
                self.send_response(204)
                self.end_headers()
                story = json.loads(body)["story"]["id"]
                with outer.cond:
                    if not hmac.compare_digest(good, self.headers["X-Tabyin-Signature"]):
                        outer.bad_signatures += 1
                    outer.arrivals[story] = arrived
                    outer.cond.notify_all()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, story_id: int, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while story_id not in self.arrivals:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.arrivals[story_id]


def _worker(trials: int, channels: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from tabyin.core import background
    from tabyin.monitor.ingest.services import ingest
    from tabyin.monitor.models import Alert, AlertRule, WatchQuery
    from tabyin.monitor.pipeline.types import RawPost

    assert not settings.TABYIN_TASKS_EAGER and not settings.SCALED
    call_command("migrate", interactive=False, verbosity=0)
    background.discover()
    receiver = Receiver()
    # The organization's name (entity words): alerts fire only on stories about the organization.
    query = WatchQuery.objects.create(name="تأمین اجتماعی", kind="organization", expression="تامین اجتماعی")
    AlertRule.objects.create(
        name="bench reach",
        kind="reach",
        query=query,
        threshold=channels,
        channels=["in_app", "webhook"],
        webhook_url=receiver.url,
        webhook_secret=SECRET,
        escalate_after_minutes=0,
    )
    rng = random.Random(1405)
    latencies: list[float] = []
    ingest_times: list[float] = []
    missed = 0
    for trial in range(trials + 1):  # trial 0 warms up (index, matcher, classifier, imports)
        words = " ".join(rng.sample(WORDS, 14))
        text = f"فوری: سازمان تامین اجتماعی {words} (گزارش {trial})"
        now = timezone.now()
        items = [
            RawPost(
                source=f"telegram:bench{c}",
                post_id=str(trial),
                text=text,
                published_at=now,
                source_name=f"c{c}",
            )
            for c in range(channels)
        ]
        started = time.perf_counter()
        summary = ingest(items)
        ingest_times.append(time.perf_counter() - started)
        story_ids = set(summary.story_ids.values())
        if len(story_ids) != 1:
            print(f"  trial {trial}: {len(story_ids)} stories (texts clustered apart?)", flush=True)
        arrived = receiver.wait(min(story_ids), WAIT_SECONDS)
        if trial == 0:
            continue
        if arrived is None:
            missed += 1
        else:
            latencies.append(arrived - started)
    alerts = Alert.objects.count()
    threads = settings.TABYIN_TASK_THREADS
    print(f"trials {trials} (+1 warm-up), {channels} channels per story, {threads} task threads")
    print(f"alerts stored {alerts}, webhooks received {len(receiver.arrivals)}, missed {missed}")
    print(f"bad signatures {receiver.bad_signatures}")
    if latencies:
        p50, p95, top = statistics.median(latencies), percentile(latencies, 95), max(latencies)
        print(
            f"ingest → webhook received: p50 {p50:.3f} s, p95 {p95:.3f} s, max {top:.3f} s (target p95 ≤ 5 s)"
        )
        timed = ingest_times[1:]
        alone = f"p50 {statistics.median(timed):.3f} s, p95 {percentile(timed, 95):.3f} s"
        print(f"ingest call alone:         {alone}")
    receiver.server.shutdown()


def run(label: str, database_url: str, trials: int, channels: int) -> int:
    print(f"\n== {label} ==", flush=True)
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-alerts-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tabyin.config.settings",
            "TABYIN_DATA_DIR": data_dir,
            "TABYIN_TASKS_EAGER": "false",
        }
        env.pop("REDIS_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
        code = [sys.executable, __file__, "--worker", "--trials", str(trials), "--channels", str(channels)]
        return subprocess.call(code, env=env, cwd=Path(__file__).resolve().parents[1])


def _scratch_postgres(url: str) -> tuple[str, str]:
    import psycopg

    name = f"tabyin_bench_alerts_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, url.rsplit("/", 1)[0] + "/" + name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--trials", type=int, default=60, help="timed trials (at least 50 for a p95)")
    parser.add_argument("--channels", type=int, default=5, help="channels per story (the REACH threshold)")
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL server URL")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.trials, args.channels)
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    run("SQLite (embedded)", "", args.trials, args.channels)
    postgres = args.postgres or os.environ.get("TABYIN_BENCH_POSTGRES") or ""
    if postgres:
        name, url = _scratch_postgres(postgres)
        try:
            run("PostgreSQL", url, args.trials, args.channels)
        finally:
            _drop_postgres(postgres, name)


if __name__ == "__main__":
    main()
