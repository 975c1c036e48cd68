"""`tabyin ingest` and `tabyin stories` run for real: bad lines, idempotency, a kill mid-batch."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import TABYIN, clean_env, run

pytestmark = [pytest.mark.cli, pytest.mark.timeout(400)]
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian"
T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = tmp_path_factory.mktemp("template")
    result = run("manage", "migrate", "--verbosity", "0", TABYIN_DATA_DIR=str(template))
    assert result.returncode == 0, result.stderr
    return template


def data_dir(migrated: Path, tmp_path: Path, name: str = "data") -> Path:
    target = tmp_path / name
    shutil.copytree(migrated, target)
    return target


def line(source: str, post_id: str, text: str, minutes: float, **extra: object) -> str:
    at = (T0 + timedelta(minutes=minutes)).isoformat()
    return json.dumps(
        {"source": source, "post_id": post_id, "url": "", "text": text, "published_at": at, **extra},
        ensure_ascii=False,
    )


def stories(data: Path) -> set[frozenset[tuple[str, str]]]:
    result = run("stories", "--format", "jsonl", TABYIN_DATA_DIR=str(data))
    assert result.returncode == 0, result.stderr
    return {frozenset((s, p) for s, p in json.loads(row)["posts"]) for row in result.stdout.splitlines()}


def counts(data: Path) -> tuple[int, int, int]:
    with sqlite3.connect(data / "tabyin.sqlite3") as db:
        post, story, version = (
            int(db.execute(sql).fetchone()[0])
            for sql in (
                "SELECT count(*) FROM monitor_post",
                "SELECT count(*) FROM monitor_story",
                "SELECT count(*) FROM monitor_postversion",
            )
        )
    return post, story, version


def test_bad_lines_are_reported_with_their_number_and_the_rest_goes_on(
    migrated: Path, tmp_path: Path
) -> None:
    data = data_dir(migrated, tmp_path)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                line("telegram:a", "1", "خبر اول دربارهٔ مستمری بازنشستگان", 0, views=10),
                "{not json",
                json.dumps({"source": "telegram:a", "post_id": "2", "text": "x"}),
                "",
                line("fax:a", "3", "متن", 1),
                line(
                    "telegram:b", "9", "🔴 خبر اول دربارهٔ مستمری بازنشستگان", 2, forwarded_from="telegram:a/1"
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    result = run("ingest", str(feed), TABYIN_DATA_DIR=str(data))

    assert result.returncode == 0, result.stderr
    # (Other stderr lines are log records of the process; ours are the "line N:" ones.)
    assert "Traceback" not in result.stderr
    assert [row for row in result.stderr.splitlines() if row.startswith("line ")] == [
        "line 2: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "line 3: published_at: missing",
        "line 5: unknown source kind 'fax' (one of rss, telegram, eitaa, web, paste, tipline)",
    ]
    assert json.loads(result.stdout) == {
        "posts_read": 5,
        "new": 2,
        "duplicates": 0,
        "edited": 0,
        "stories_created": 1,
        "errors": 3,
    }
    assert stories(data) == {frozenset({("telegram:a", "1"), ("telegram:b", "9")})}


def test_a_missing_file_is_one_plain_line(migrated: Path, tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "nope.jsonl"), TABYIN_DATA_DIR=str(data_dir(migrated, tmp_path)))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert [row for row in result.stderr.splitlines() if row.startswith("tabyin")] == [
        f"tabyin: error: {tmp_path / 'nope.jsonl'}: no such file."
    ]


def test_ingesting_a_file_twice_stores_it_once(migrated: Path, tmp_path: Path) -> None:
    data = data_dir(migrated, tmp_path)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(_feed(300, seed=5)) + "\n", encoding="utf-8")

    first = run("ingest", str(feed), "--batch-size", "64", TABYIN_DATA_DIR=str(data))
    second = run("ingest", str(feed), TABYIN_DATA_DIR=str(data))

    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert one["posts_read"] == two["posts_read"] == 300 + 0
    assert one["new"] + one["duplicates"] + one["edited"] == 300
    assert one["duplicates"] > 0 and one["edited"] > 0
    assert two == {
        "posts_read": 300,
        "new": 0,
        "duplicates": 300,
        "edited": 0,
        "stories_created": 0,
        "errors": 0,
    }
    assert counts(data) == (one["new"], one["stories_created"], one["edited"])


def test_a_run_killed_mid_batch_and_rerun_loses_and_duplicates_nothing(
    migrated: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(_feed(30_000, seed=11)) + "\n", encoding="utf-8")
    clean = data_dir(migrated, tmp_path, "clean")
    reference = run("ingest", str(feed), "--batch-size", "500", TABYIN_DATA_DIR=str(clean), timeout=300)
    assert reference.returncode == 0, reference.stderr

    killed = data_dir(migrated, tmp_path, "killed")
    process = subprocess.Popen(
        [*TABYIN, "ingest", str(feed), "--batch-size", "500"],
        env=clean_env(TABYIN_DATA_DIR=str(killed)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    committed = _wait_for_posts(killed, at_least=3000, process=process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    at_kill = counts(killed)
    rerun = run("ingest", str(feed), "--batch-size", "500", TABYIN_DATA_DIR=str(killed), timeout=300)

    assert rerun.returncode == 0, rerun.stderr
    assert process.returncode == -signal.SIGKILL
    assert committed <= at_kill[0] < counts(clean)[0], "the first run was not stopped part-way"
    assert counts(killed) == counts(clean)
    assert json.loads(rerun.stdout)["new"] == counts(clean)[0] - at_kill[0]
    assert stories(killed) == stories(clean)


def _wait_for_posts(data: Path, at_least: int, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with sqlite3.connect(data / "tabyin.sqlite3", timeout=1) as db:
                found = int(db.execute("SELECT count(*) FROM monitor_post").fetchone()[0])
        except sqlite3.OperationalError:
            found = 0
        if found >= at_least:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no {at_least} committed posts before the run ended (exit {process.poll()})")


def _feed(count: int, *, seed: int) -> list[str]:
    """Real Persian texts (ExaPPC, Apache-2.0) posted, reposted with channel decorations, fetched
    again and edited, by 40 channels."""
    rng = random.Random(seed)
    texts = []
    with (DATA / "exappc_paraphrase" / "pairs.jsonl").open(encoding="utf-8") as handle:
        for row in handle:
            pair = json.loads(row)
            texts += [pair["sentence1"], pair["sentence2"]]
    texts = list(dict.fromkeys(t for t in texts if len(t.split()) >= 6))
    lines: list[str] = []
    sent: list[tuple[str, str, str]] = []
    minute = 0.0
    while len(lines) < count:
        minute += 0.5
        roll = rng.random()
        if sent and roll < 0.08:
            source, post_id, text = rng.choice(sent)
            lines.append(line(source, post_id, text, minute))  # fetched again
        elif sent and roll < 0.11:
            source, post_id, text = rng.choice(sent)
            lines.append(line(source, post_id, text + " (ویرایش شد)", minute))
        else:
            source, post_id = f"telegram:ch{rng.randrange(40)}", str(len(lines))
            if sent and roll < 0.5:
                text = f"🔴 فوری: {rng.choice(sent)[2]}\n🆔 @{source.split(':')[1]}"
            else:
                text = rng.choice(texts)
            sent.append((source, post_id, text))
            lines.append(line(source, post_id, text, minute, views=rng.randrange(1000)))
    return lines
