"""Freshness at scale: post appears on a channel → post stored, with 1,000 channels and 200 feeds
polled by one worker. Prints p50/p95 of that delay and the requests per minute.

    .venv/bin/python benchmarks/bench_monitor_freshness.py [--channels 1000] [--feeds 200]
        [--posts 600] [--warmup 60] [--window 240] [--drain 150]

Real time, no fake clock. A local server (127.0.0.1, ephemeral port, its own process) serves
Telegram preview pages (``/s/<channel>``, the markup of the recorded
``sources/telegram/samples/akhbarefori.html``: newest 20 posts, ``?before=``) and RSS 2.0 feeds
(the structure of the recorded ``sources/rss/samples/isna.xml``), each with an ETag and a
Last-Modified and a 304 for a matching conditional request. Every source starts with 3 posts;
``--posts`` new posts then appear at random moments of the window (after ``--warmup`` seconds)
on random sources, their texts ExaPPC sentences (Apache-2.0).

The worker is what embedded mode runs: this process sets up a scratch SQLite data directory,
creates the sources (channels on host ``t.me``, feeds on 20 hosts of 10), and starts the embedded
scheduler (``background.start_embedded_scheduler``): ``poll_due`` every 10 s, the polls on the
task pool's ``TABYIN_TASK_THREADS`` (2) threads, ingestion and alert evaluation after each batch,
exactly as shipped. ``TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE`` is raised to 900: 1,000 channels
on one host polled every 100 s are 600 requests a minute to that host (the default budget, 20,
would poll each channel every 50 minutes).

Measured: for each new post, ``Post.first_seen_at`` (the start of the batch that stored it) minus
the moment the server started showing it. That is detection up to ingestion, not up to the alert:
alert evaluation runs after the batch's commit (bench_monitor_alert_latency.py: p95 0.03 s).
Posts never stored within the run count as missed (and are reported). Figures only.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
PAIRS = HERE.parent.parent / "shared" / "data" / "persian" / "exappc_paraphrase" / "pairs.jsonl"
PAGE_SIZE = 20
INITIAL = 3
FEED_HOSTS = 20


# ---------------------------------------------------------------------------------------- schedule


def texts(count: int) -> list[str]:
    found: list[str] = []
    with PAIRS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            found += [row["sentence1"], row["sentence2"]]
            if len(found) >= count:
                break
    # Reused texts (a smaller file) are still separate posts of their channels.
    return [found[i % len(found)] for i in range(count)]


def schedule(channels: int, feeds: int, posts: int, warmup: float, window: float) -> dict[str, Any]:
    """Who posts what when (seconds after the start), the same for the server and the measurement."""
    rng = random.Random(1405)
    names = [f"chan{i}" for i in range(channels)] + [f"feed{i}" for i in range(feeds)]
    pool = texts(len(names) * INITIAL + posts)
    events: list[tuple[str, int, float, str]] = []  # (source name, post id, appears at, text)
    at = 0
    for name in names:
        for n in range(INITIAL):
            events.append((name, 1000 + n, -3600.0 + 600 * n, pool[at]))
            at += 1
    following = dict.fromkeys(names, 1000 + INITIAL)
    for appear in sorted(warmup + rng.random() * window for _ in range(posts)):
        name = rng.choice(names)
        events.append((name, following[name], appear, pool[at]))
        following[name] += 1
        at += 1
    return {"names": names, "events": events}


# ------------------------------------------------------------------------------------------ server

TG_HEAD = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"></head>
<body class="widget_frame_base tgme_widget body_widget_post emoji_image nodark">
<section class="tgme_channel_history js-message_history">
"""
TG_POST = """
        <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{name}/{id}">
          <div class="tgme_widget_message_bubble">
            <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{name}"><span dir="auto">{title}</span></a></div>
            <div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
            <div class="tgme_widget_message_footer compact js-message_footer">
              <div class="tgme_widget_message_info short js-message_info">
                <span class="tgme_widget_message_views">{views}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/{name}/{id}"><time datetime="{iso}" class="time">{hm}</time></a></span>
              </div>
            </div>
          </div>
        </div></div>
"""  # noqa: E501 (the recorded markup, one element a line)
TG_TAIL = """</section>
<div class="tgme_channel_info_header_title"><span dir="auto">{title}</span></div>
</body></html>
"""
RSS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>{title}</title><link>https://{name}.example</link><description>{title}</description>
<language>fa</language><lastBuildDate>{built}</lastBuildDate>
"""
RSS_ITEM = """<item><title>{title}</title><link>https://{name}.example/news/{id}/</link>
<description><![CDATA[<p>{text}</p>]]></description><pubDate>{date}</pubDate>
<guid isPermaLink="false">{name}-{id}</guid></item>
"""


def serve(plan_path: str, start: float) -> None:
    """The server process: pages by the schedule on the wall clock, 304 for unchanged ones."""
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    by_source: dict[str, list[tuple[int, float, str]]] = {}
    for name, post_id, appear, text in plan["events"]:
        by_source.setdefault(name, []).append((post_id, start + appear, text))
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/counts":
                with lock:
                    self._send(200, json.dumps(counts).encode(), "application/json", {})
                return
            kind, _, name = parts.path.strip("/").partition("/")
            name = name.removesuffix(".xml")
            now = time.time()
            shown = [p for p in by_source.get(name, []) if p[1] <= now]
            if kind not in ("s", "feed") or not shown:
                self._send(404, b"not found", "text/plain", {})
                return
            newest = shown[-1]
            etag = f'"{name}-{newest[0]}"'
            modified = format_datetime(datetime.fromtimestamp(newest[1], UTC), usegmt=True)
            before = parse_qs(parts.query).get("before")
            minute = int((now - start) // 60)
            if not before and self.headers.get("If-None-Match") == etag:
                with lock:
                    counts[f"{minute}:304"] += 1
                self._send(304, b"", "", {"ETag": etag, "Last-Modified": modified})
                return
            with lock:
                counts[f"{minute}:200"] += 1
            if kind == "s":
                if before:
                    shown = [p for p in shown if p[0] < int(before[0])]
                body = self._telegram(name, shown[-PAGE_SIZE:])
                self._send(200, body, "text/html; charset=utf-8", {"ETag": etag, "Last-Modified": modified})
            else:
                body = self._rss(name, shown[-PAGE_SIZE:], modified)
                self._send(200, body, "application/rss+xml", {"ETag": etag, "Last-Modified": modified})

        def _telegram(self, name: str, posts: list[tuple[int, float, str]]) -> bytes:
            title = f"کانال {name}"
            out = [TG_HEAD.format(title=title)]
            for post_id, appear, text in posts:
                when = datetime.fromtimestamp(appear, UTC)
                out.append(
                    TG_POST.format(name=name, id=post_id, title=title, text=escape(text), views=100,
                                   iso=when.isoformat(timespec="seconds"), hm=when.strftime("%H:%M"))
                )  # fmt: skip
            out.append(TG_TAIL.format(title=title))
            return "".join(out).encode()

        def _rss(self, name: str, posts: list[tuple[int, float, str]], built: str) -> bytes:
            title = f"خبرگزاری {name}"
            out = [RSS_HEAD.format(title=title, name=name, built=built)]
            for post_id, appear, text in reversed(posts):
                date = format_datetime(datetime.fromtimestamp(appear, UTC), usegmt=True)
                out.append(
                    RSS_ITEM.format(
                        title=escape(text[:80]), name=name, id=post_id, text=escape(text), date=date
                    )
                )
            out.append("</channel></rss>\n")
            return "".join(out).encode()

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


# ------------------------------------------------------------------------------------------ worker


def report(plan: dict[str, Any], start: float, counts: dict[str, int], args: Any, *, cpu: float) -> None:
    from tabyin.monitor.models import Post

    kind_of = {name: "telegram" if name.startswith("chan") else "rss" for name in plan["names"]}
    # A feed item's post id is its guid.
    appeared = {
        (
            f"{kind_of[name]}:{name}",
            str(post_id) if kind_of[name] == "telegram" else f"{name}-{post_id}",
        ): start + at
        for name, post_id, at, _ in plan["events"]
        if at >= 0
    }
    seen = {
        (f"{kind}:{handle}", post_id): first_seen.timestamp()
        for kind, handle, post_id, first_seen in Post.objects.values_list(
            "source__kind", "source__handle", "post_id", "first_seen_at"
        )
    }
    delays = sorted(seen[key] - at for key, at in appeared.items() if key in seen)
    missed = len(appeared) - len(delays)
    ranked = delays + [float("inf")] * missed

    def pct(share: float) -> float:
        return ranked[min(len(ranked) - 1, int(share * len(ranked)))]

    minutes = int((args.warmup + args.window + args.drain) // 60)
    measured = range(1, max(minutes, 2))  # whole minutes after the first round's burst
    per_minute = [sum(v for k, v in counts.items() if k.split(":")[0] == str(m)) for m in measured]
    not_modified = [counts.get(f"{m}:304", 0) for m in measured]
    print(f"new posts: {len(appeared)}, stored: {len(delays)}, missed: {missed}")
    print(
        f"detection delay (appears → stored): p50 {pct(0.50):.1f} s, p95 {pct(0.95):.1f} s, "
        f"max {ranked[-1]:.1f} s, mean {statistics.fmean(delays):.1f} s"
    )
    print(
        f"requests per minute (minutes {measured.start}–{measured.stop - 1}): "
        f"{', '.join(map(str, per_minute))}; median {statistics.median(per_minute):.0f}, "
        f"of which 304: median {statistics.median(not_modified):.0f}"
    )
    first = sum(v for k, v in counts.items() if k.startswith("0:"))
    print(f"first minute (every source's first poll): {first} requests")
    print(f"worker CPU: {cpu:.1f} s over {time.time() - start + 5:.0f} s of real time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--posts", type=int, default=600, help="new posts over the window")
    parser.add_argument("--warmup", type=float, default=60, help="seconds before the first new post")
    parser.add_argument("--window", type=float, default=240, help="seconds over which new posts appear")
    parser.add_argument("--drain", type=float, default=150, help="seconds after the window")
    parser.add_argument("--budget", type=int, default=900, help="requests per minute per host")
    parser.add_argument("--serve", nargs=2, metavar=("PLAN", "START"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], float(args.serve[1]))
        return

    scratch = Path(tempfile.mkdtemp(prefix="tabyin-freshness-"))
    plan = schedule(args.channels, args.feeds, args.posts, args.warmup, args.window)
    (scratch / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    os.environ.update(
        TABYIN_DATA_DIR=str(scratch / "data"),
        DJANGO_SETTINGS_MODULE="tabyin.config.settings",
        TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE=str(args.budget),
        TABYIN_LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "REDIS_URL", "TABYIN_TASKS_EAGER"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    from tabyin.core import background
    from tabyin.monitor.models import Post, Source

    call_command("migrate", interactive=False, verbosity=0)
    start = time.time() + 5  # the scheduler's first round is FIRST_RUN_DELAY (5 s) after it starts
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(scratch / "plan.json"), str(start)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        base = f"http://127.0.0.1:{port}"
        Source.objects.bulk_create(
            [
                Source(kind="telegram", handle=name, url=f"{base}/s/{name}", host="t.me")
                if name.startswith("chan")
                else Source(kind="rss", handle=name, url=f"{base}/feed/{name}.xml",
                            host=f"feedhost{int(name[4:]) % FEED_HOSTS}.example")
                for name in plan["names"]
            ]
        )  # fmt: skip
        gc.freeze()
        cpu = time.process_time()
        background.start_embedded_scheduler()
        total = args.warmup + args.window + args.drain
        print(
            f"{args.channels} channels (host t.me) + {args.feeds} feeds ({FEED_HOSTS} hosts), "
            f"{args.posts} new posts over {args.window:.0f} s after {args.warmup:.0f} s; "
            f"running {total:.0f} s of real time…",
            flush=True,
        )
        time.sleep(max(0.0, start + total - time.time()))
        cpu = time.process_time() - cpu
        # Stop polling before the scratch directory goes (polls in flight would find no tables).
        if background._State.scheduler is not None:
            background._State.scheduler.stopped.set()
        if background._State.executor is not None:
            background._State.executor.shutdown(wait=True, cancel_futures=True)
        with __import__("urllib.request").request.urlopen(f"{base}/counts") as answer:
            counts: dict[str, int] = json.loads(answer.read())
    finally:
        server.terminate()
        server.wait()

    report(plan, start, counts, args, cpu=cpu)
    print(f"sources: {Source.objects.count()}, posts stored: {Post.objects.count()}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
