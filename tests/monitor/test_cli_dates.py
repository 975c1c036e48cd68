"""`tabyin ingest` run for real refuses publication dates outside the sane window, line by line."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import tabyin
from tests.cli_helpers import run as run_tabyin

pytestmark = [pytest.mark.cli, pytest.mark.timeout(200)]
# The command runs the code under test even when the installed package points at another checkout.
HINT = " (a Jalali date? write it in the Gregorian calendar)"
SRC = str(Path(tabyin.__file__).resolve().parents[1])


def run(*args: str, **env: str) -> Any:
    return run_tabyin(*args, PYTHONPATH=SRC, **env)


def line(post_id: str, published_at: str, **extra: object) -> str:
    return json.dumps(
        {
            "source": "rss:isna",
            "post_id": post_id,
            "text": f"خبر شماره {post_id} دربارهٔ مستمری",
            "published_at": published_at,
            **extra,
        },
        ensure_ascii=False,
    )


def test_dates_outside_the_window_are_refused_and_the_rest_goes_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("manage", "migrate", "--verbosity", "0", TABYIN_DATA_DIR=str(data)).returncode == 0
    ahead = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                line("1", "2025-03-01T08:00:00+00:00"),
                # The case: a Jalali date written as if it were Gregorian.
                line("2", "1403-03-12T12:30:00+03:30"),
                line("3", ahead.isoformat()),
                line("4", "1999-12-31T23:59:00+00:00"),
                line("5", "2025-03-01T09:00:00+03:30"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    result = run("ingest", str(feed), TABYIN_DATA_DIR=str(data))

    assert result.returncode == 0, result.stderr
    assert [row for row in result.stderr.splitlines() if row.startswith("line ")] == [
        f"line 2: published_at 1403-03-12T12:30:00+03:30 is before 2000{HINT}",
        f"line 3: published_at {ahead.isoformat()} is more than 24 hours in the future",
        "line 4: published_at 1999-12-31T23:59:00+00:00 is before 2000",
    ]
    assert json.loads(result.stdout)["posts_read"] == 5
    assert json.loads(result.stdout)["errors"] == 3
    with sqlite3.connect(data / "tabyin.sqlite3") as db:
        stored = db.execute("SELECT post_id, date_unknown FROM monitor_post ORDER BY post_id").fetchall()
    assert stored == [("1", 0), ("5", 0)]

    # The window is a setting.
    again = run("ingest", str(feed), TABYIN_DATA_DIR=str(data), TABYIN_MONITOR_DATE_MIN_YEAR="1990")
    assert [row for row in again.stderr.splitlines() if row.startswith("line ")] == [
        f"line 2: published_at 1403-03-12T12:30:00+03:30 is before 1990{HINT}",
        f"line 3: published_at {ahead.isoformat()} is more than 24 hours in the future",
    ]
