"""The whole monitor ingestion pipeline with storage: posts per second, and a datasketch baseline.

    .venv/bin/python benchmarks/bench_monitor_pipeline.py [--posts N] [--batch-size N] [--repeat N]
        [--postgres URL] [--no-baseline]

Each run is its own process pinned to one core, on a throwaway data directory (SQLite, the embedded
default) or a scratch PostgreSQL database (``--postgres`` or $DATABASE_URL). The posts are real
Persian texts (benchmarks/monitor_repost_set.py: ExaPPC and stance texts with synthetic repost
edits), rounds of it shifted by 2.5 days and posted by 300 channels, plus 8 % exact re-fetches, 2 %
edits and 4 % formal forwards. 12 watch queries are active, the default classifier labels.

"pipeline": ``ingest.services.ingest`` as shipped (batched numpy MinHash, banded index).
"baseline": the same ``ingest`` and storage, but the near-duplicate step is datasketch
``MinHash(num_perm=128)`` + ``MinHashLSH`` built and queried one post at a time.

Figures only: nothing is asserted. (Tests and benchmarks only: the stance texts are CC BY-NC.)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = [
    "«تامین اجتماعی»",
    "بازنشستگان | «مستمری بگیران»",
    "«حق بیمه»",
    "مستمری",
    "«بیمه بیکاری»",
    "کرونا واکسن",
    "تحریم*",
    "«حقوق بازنشستگان» -فرهنگیان",
    "بیمارستان",
    "یارانه",
    "(دلار | ارز) قیمت",
    "انتخابات آمریکا",
]


def _posts(count: int, seed: int = 1405) -> list[Any]:
    sys.path.insert(0, str(HERE))
    from monitor_repost_set import build
    from tabyin.monitor.pipeline.types import RawPost

    rng = random.Random(seed)
    posts: list[RawPost] = []
    round_ = 0
    while len(posts) < count:
        labelled = build(seed=seed + round_)
        shift = timedelta(days=2.5 * round_)
        for text, arrival in zip(labelled.texts, labelled.times, strict=True):
            at = arrival + shift
            roll = rng.random()
            if posts and roll < 0.08:
                old = rng.choice(posts)
                posts.append(
                    RawPost(old.source, old.post_id, old.text, old.published_at, views=(old.views or 0) + 7)
                )
            elif posts and roll < 0.10:
                old = rng.choice(posts)
                posts.append(RawPost(old.source, old.post_id, old.text + " (اصلاح شد)", old.published_at))
            elif posts and roll < 0.14:
                old = rng.choice(posts)
                source = f"telegram:ch{rng.randrange(300)}"
                posts.append(
                    RawPost(
                        source, str(len(posts)), old.text, at, forwarded_from=f"{old.source}/{old.post_id}"
                    )
                )
            else:
                source = f"telegram:ch{rng.randrange(300)}"
                posts.append(RawPost(source, str(len(posts)), text, at, views=rng.randrange(20_000)))
            if len(posts) == count:
                break
        round_ += 1
    return posts


class BaselineIndex:
    """datasketch MinHashLSH, one post at a time (the ``Index`` protocol of pipeline.batch), with
    the same star model (one representative a story) and window expiry as the shipped index."""

    def __init__(self, threshold: float, window: timedelta) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=128)
        self.window = window
        self.last: dict[str, Any] = {}
        self.next_key = 1

    def assign(self, signature: Any, at: Any) -> tuple[int, bool]:
        found = self.lsh.query(signature)
        if found:
            key = min(found, key=int)
            self.touch(int(key), at)
            return int(key), False
        key, self.next_key = self.next_key, self.next_key + 1
        self.lsh.insert(str(key), signature)
        self.last[str(key)] = at
        return key, True

    def add(self, story_key: int, signature: Any, at: Any) -> None:
        self.touch(story_key, at)

    def touch(self, story_key: int, at: Any) -> None:
        if str(story_key) in self.last:
            self.last[str(story_key)] = max(self.last[str(story_key)], at)

    def expire(self, now: Any) -> int:
        dead = [key for key, at in self.last.items() if at < now - self.window]
        for key in dead:
            self.lsh.remove(key)
            del self.last[key]
        return len(dead)

    def __len__(self) -> int:
        return len(self.last)


def _baseline_signatures(texts: Sequence[str]) -> list[Any]:
    from datasketch import MinHash

    from tabyin.monitor.pipeline.fingerprint import N

    out = []
    for text in texts:
        compact = text.replace(" ", "")
        minhash = MinHash(num_perm=128)
        minhash.update_batch([compact[i : i + N].encode() for i in range(max(len(compact) - N + 1, 1))])
        out.append(minhash)
    return out


# Where a batch's CPU time goes, in the order of ``ingest.services._ingest_batch``: the pure step
# (``decide``: canonical text, signatures, index, matcher, classifier; other modules) and the
# storage side around it.
STEPS = [
    "_sync_index", "_source_ids", "_lookup", "_load_old_texts", "_matcher", "_classifier", "_sources",
    "_stories", "story_deltas", "channels_present", "_write_posts", "advance_stories",
]  # fmt: skip


def _timed_steps() -> dict[str, float]:
    """Wrap the steps of one batch with CPU timers (a few µs a batch, not a post)."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    from tabyin.monitor.ingest import services as services_ingest

    spent: dict[str, float] = {}

    def timed(owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - began

        setattr(owner, name, wrapper)

    for name in STEPS:
        timed(services_ingest, name, name)
    timed(services_ingest.pure, "decide", "decide (pure step)")
    timed(BaseDatabaseWrapper, "commit", "commit")
    return spent


def decisions_digest() -> str:
    """SHA-256 of what the pipeline decided, read back from the database: every post's story (by
    key), version, views, labels and matches, every story's figures, every stance link. Two runs
    on the same input print the same digest exactly when their decisions are the same (a
    speed-up must not change it)."""
    import hashlib

    from tabyin.monitor.models import Match, Post, StanceLink, Story

    digest = hashlib.sha256()

    def feed(rows: Any) -> None:
        for row in rows:
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")

    post_fields = ["source__kind", "source__handle", "post_id", "story__key", "version", "views", "text"]
    post_fields += ["sentiment", "sentiment_score", "rumor_signal", "forwarded_from"]
    feed(Post.objects.order_by("source__kind", "source__handle", "post_id").values_list(*post_fields))
    feed(
        Match.objects.order_by("post__source__handle", "post__post_id", "query_id").values_list(
            "post__source__handle", "post__post_id", "query_id", "in_tags_only"
        )
    )
    story_fields = ["key", "kind", "title", "post_count", "channel_count", "total_views", "sentiment"]
    story_fields += ["negative_count", "positive_count", "rumor_count", "rumor_signal", "matches_watch"]
    story_fields += ["first_published_at", "last_post_at", "origin_post__post_id"]
    feed(Story.objects.order_by("key").values_list(*story_fields))
    feed(
        StanceLink.objects.order_by("post__source__handle", "post__post_id", "rumor__key").values_list(
            "post__source__handle", "post__post_id", "rumor__key", "stance", "score", "moved"
        )
    )
    return digest.hexdigest()


def _worker(count: int, batch_size: int, baseline: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tabyin.monitor.ingest import services as services_ingest
    from tabyin.monitor.models import Post, Story, WatchQuery
    from tabyin.monitor.pipeline import batch, canonical, classify

    call_command("migrate", interactive=False, verbosity=0)
    for n, expression in enumerate(QUERIES):
        WatchQuery.objects.create(name=f"q{n}", expression=expression)
    posts = _posts(count)
    if baseline:
        from django.conf import settings

        from tabyin.monitor.pipeline import index as near_dup

        threshold = near_dup.MATCH_J
        window = timedelta(days=settings.TABYIN_MONITOR_INDEX_WINDOW_DAYS)
        services_ingest._State.index = BaselineIndex(threshold, window)
        services_ingest._State.steps = batch.Steps(
            canonical.canonical,
            _baseline_signatures,
            lambda m: m.hashvalues.astype("<u8").tobytes(),
            classify.rumor_signal,
        )
    # The 50,000 input posts are the harness's, alive all run long; ``tabyin ingest`` streams its
    # file instead. Frozen (with Django, as that command does) so the collector's full passes do not
    # walk them: the figure is the pipeline's, not the input list's (it cost ~13 % when walked).
    spent = _timed_steps() if not baseline else {}
    gc.freeze()
    started, cpu = time.perf_counter(), time.process_time()
    summary = services_ingest.ingest(posts, batch_size=batch_size)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "posts": len(posts),
                "seconds": elapsed,
                # On a shared machine wall time includes waiting for the core; CPU time does not.
                "cpu_seconds": cpu,
                "summary": summary.as_dict(),
                "stored_posts": Post.objects.count(),
                "stories": Story.objects.count(),
                "index_entries": services_ingest.index_size() if not baseline else None,
                "steps_cpu": spent,
                "digest": decisions_digest(),
            }
        )
    )


def _scratch_database(url: str, drop: str = "") -> str:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = drop.rsplit("/", 1)[-1] if drop else f"tabyin_bench_monitor_{os.getpid()}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(url: str, count: int, batch_size: int, baseline: bool) -> dict[str, Any] | None:
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-monitor-") as data_dir:
        scratch = _scratch_database(url) if url else ""
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TABYIN_", "REDIS_URL"))
        }
        env |= {"TABYIN_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "tabyin.config.settings"}
        env["TABYIN_TASKS_EAGER"] = "true"
        if scratch:
            env["DATABASE_URL"] = scratch
        code = (
            f"import os, sys; os.sched_setaffinity(0, {{sorted(os.sched_getaffinity(0))[0]}}); "
            f"sys.path.insert(0, {str(HERE)!r}); import bench_monitor_pipeline as b; "
            f"b._worker({count}, {batch_size}, {baseline})"
        )
        try:
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
            )
        finally:
            if scratch:
                _scratch_database(url, drop=scratch)
    if done.returncode != 0:
        print(f"failed:\n{done.stderr[-3000:]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL server URL")
    parser.add_argument("--no-baseline", action="store_true", help="skip the datasketch baseline")
    parser.add_argument("--repeat", type=int, default=3, help="pipeline runs per database (median shown)")
    args = parser.parse_args()
    postgres = args.postgres or os.environ.get("DATABASE_URL", "")
    print(f"Python {platform.python_version()}, one core of {os.cpu_count()}, {platform.machine()}")
    print(f"{args.posts} posts, batches of {args.batch_size}")
    for label, url in [("SQLite", "")] + ([("PostgreSQL", postgres)] if postgres else []):
        runs = [got for _ in range(args.repeat) if (got := run(url, args.posts, args.batch_size, False))]
        if not runs:
            continue
        got = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
        rate = got["posts"] / got["seconds"]
        walls = ", ".join(f"{r['posts'] / r['seconds']:,.0f}" for r in runs)
        cpus = ", ".join(f"{r['posts'] / r['cpu_seconds']:,.0f}" for r in runs)
        print(f"\n{label}: pipeline {rate:,.0f} posts/s, the median of {len(runs)} runs ({walls})")
        cpu_rates = sorted(r["posts"] / r["cpu_seconds"] for r in runs)
        print(f"  posts per CPU-second: {cpus} (wall time on a shared machine includes waiting)")
        print(f"  median posts per CPU-second: {cpu_rates[len(cpu_rates) // 2]:,.0f}")
        print(
            f"  {json.dumps(got['summary'])}; {got['stories']} stories; index entries {got['index_entries']}"
        )
        digests = sorted({r["digest"] for r in runs})
        print(f"  decisions digest (posts, stories, labels, matches, links): {', '.join(digests)}")
        if len(digests) > 1:
            print("  THE RUNS DISAGREE: the pipeline is not deterministic on this input")
        steps = got["steps_cpu"]
        print("  CPU µs a post by step (median run):")
        for name, seconds in sorted(steps.items(), key=lambda kv: -kv[1]):
            print(f"    {name:<20} {seconds / got['posts'] * 1e6:7.1f}")
        rest = got["cpu_seconds"] - sum(steps.values())
        print(f"    {'rest (validation, summary, loop)':<20} {rest / got['posts'] * 1e6:7.1f}")
        if args.no_baseline:
            continue
        base = run(url, args.posts, args.batch_size, baseline=True)
        if base is None:
            continue
        base_rate = base["posts"] / base["seconds"]
        print(
            f"{label}: baseline (datasketch MinHash+LSH per post) {base_rate:,.0f} posts/s "
            f"({base['seconds']:.1f} s)"
        )
        print(f"  {json.dumps(base['summary'])}; {base['stories']} stories")
        print(f"  baseline posts per CPU-second: {base['posts'] / base['cpu_seconds']:,.0f}")
        print(f"  pipeline (median) / baseline: {rate / base_rate:.2f}×")


if __name__ == "__main__":
    main()
