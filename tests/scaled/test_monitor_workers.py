"""Two real `tabyin worker` processes ingest reposts of the same items concurrently (PostgreSQL,
Redis): every item still ends up in exactly one story.

The copies of each item are spread over many small batches, so the workers' processes handle
copies of one item at the same time, each with its own in-process index. Story assignment is
serialised by the advisory lock and each batch first loads the stories the others stored.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from django.db import connection

from tabyin.monitor.models import Post, Story
from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import signatures
from tabyin.monitor.pipeline.index import NearDupIndex
from tests.cli_helpers import start, stop

pytestmark = [pytest.mark.scaled, pytest.mark.postgresql, pytest.mark.timeout(300)]
# Its own database: the worker test (db 15) may run at the same time on another pytest-xdist worker.
REDIS_URL = "redis://127.0.0.1:6379/14"
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian"
T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
ITEMS, COPIES, BATCH = 80, 6, 4
DECORATIONS = (
    "🔴 فوری: {}",
    "{}\n🆔 @{h}",
    "#فوری {} 👇",
    "{}\nکانال ما 👇 t.me/{h}",
    "⭕️ {}",
    "خبر فوری: {} @{h}",
)


def _items() -> list[tuple[int, dict[str, Any]]]:
    texts: list[str] = []
    with (DATA / "exappc_paraphrase" / "pairs.jsonl").open(encoding="utf-8") as rows:
        for row in rows:
            pair = json.loads(row)
            if pair["label"] == "nonparaphrase":
                texts.append(pair["sentence1"])
    # Distinct items only, as one process would group them: a tweet that quotes another one whole is
    # a repost of it (containment), so such a pair is one story by design, not a race between workers.
    candidates = list(dict.fromkeys(t for t in texts if len(t.split()) >= 10))
    index = NearDupIndex(timedelta(days=7))
    seen: set[object] = set()
    chosen: list[str] = []
    sigs = signatures([canonical(t) for t in candidates])
    for row, text in enumerate(candidates):
        story = index.assign_many(sigs[row : row + 1], [T0])[0][0]
        if story not in seen:
            seen.add(story)
            chosen.append(text)
    texts = chosen[:ITEMS]
    posts = []
    for base, text in enumerate(texts):
        for copy in range(COPIES):
            handle = f"ch{copy}_{base % 7}"
            body = text if copy == 0 else DECORATIONS[copy].format(text, h=handle)
            at = T0 + timedelta(minutes=base + copy)
            posts.append(
                (
                    base,
                    {
                        "source": f"telegram:{handle}",
                        "post_id": f"{base}-{copy}",
                        "text": body,
                        "published_at": at.isoformat(),
                    },
                )
            )
    return posts


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_open_two_stories_for_one_item(tmp_path: Path) -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()
    posts = _items()
    random.Random(7).shuffle(posts)
    db = connection.settings_dict
    env: dict[str, Any] = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "TABYIN_SECRET_KEY": "scaled-test-secret-key-not-for-production-0123456789",
        "TABYIN_OTP_KEY": "scaled-test-otp-key-not-for-production-0123456789",
        "TABYIN_DATA_DIR": str(tmp_path / "data"),
    }
    workers = [start("worker", "--concurrency", "2", log=tmp_path / f"worker{n}.log", **env) for n in (1, 2)]
    try:
        _wait_until_ready(tmp_path, 2)
        sender = Celery("test", broker=REDIS_URL)
        for start_at in range(0, len(posts), BATCH):
            batch = [item for _, item in posts[start_at : start_at + BATCH]]
            sender.send_task("monitor.ingest_batch", kwargs={"items": batch})
        stored = _wait_for_posts(len(posts), timeout=180)
    finally:
        for worker in workers:
            stop(worker)

    logs = [(tmp_path / f"worker{n}.log").read_text() for n in (1, 2)]
    done = [len(re.findall(r"monitor\.ingest_batch\[[^]]+\] succeeded", log)) for log in logs]
    assert stored == len(posts), logs[0][-3000:]
    assert sum(done) == len(posts) // BATCH
    assert min(done) > 0, done  # both workers took part
    base_of = {item["post_id"]: base for base, item in posts}
    bases_by_story: dict[int, set[int]] = defaultdict(set)
    for story_id, post_id in Post.objects.values_list("story_id", "post_id"):
        bases_by_story[story_id].add(base_of[post_id])
    stories_by_base: dict[int, set[int]] = defaultdict(set)
    for story_id, bases in bases_by_story.items():
        for base in bases:
            stories_by_base[base].add(story_id)
    assert Story.objects.count() == ITEMS
    assert {base: len(ids) for base, ids in stories_by_base.items()} == dict.fromkeys(range(ITEMS), 1)
    assert sorted(Story.objects.values_list("post_count", flat=True)) == [COPIES] * ITEMS


def _wait_until_ready(tmp_path: Path, count: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        ready = [p for p in tmp_path.glob("worker*.log") if "ready." in p.read_text()]
        if len(ready) == count:
            return
        time.sleep(0.25)
    raise AssertionError("workers did not start: " + (tmp_path / "worker1.log").read_text()[-2000:])


def _wait_for_posts(expected: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    found = 0
    while time.monotonic() < deadline:
        found = Post.objects.count()
        if found >= expected:
            time.sleep(1.0)  # let any late duplicate show itself
            return Post.objects.count()
        time.sleep(0.25)
    return found
