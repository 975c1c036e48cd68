"""`tabyin ingest` starts without what it does not use; tasks register on first need.

What the command imports is checked, not how long it takes (the time is a figure:
benchmarks/bench_monitor_startup.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tabyin.core import background
from tabyin.monitor import task_refs
from tests.cli_helpers import clean_env, run

# Each of these cost `tabyin ingest` from a tenth to half a second at start-up, for nothing.
NOT_FOR_INGEST = [
    "trafilatura",  # polling adapters (web articles)
    "httpx",  # polling and the bot/webhook senders, needed only when something is sent
    "openpyxl",  # portal release validation, via the admin modules
    "weasyprint",
    "celery",
    "redis",  # the transient errors of scaled mode's tasks, asked for by Celery's configuration only
    "playwright",
    "sklearn",
    "tabyin.monitor.sources.tasks",
    "tabyin.portal.admin",
    "tabyin.reports.keys.views",
]

# This checkout's code, whichever install the interpreter has.
SRC = str(Path(__file__).resolve().parents[2] / "src")

PROBE = """
import json, sys
from tabyin.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    assert not done.code, done.code
print("MODULES", json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.cli
@pytest.mark.timeout(300)
def test_ingest_imports_none_of_what_it_does_not_use(tmp_path: Path) -> None:
    data = tmp_path / "data"
    migrated = run("manage", "migrate", "--verbosity", "0", TABYIN_DATA_DIR=str(data), PYTHONPATH=SRC)
    assert migrated.returncode == 0, migrated.stderr
    at = datetime(2026, 11, 1, 8, tzinfo=UTC)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps(
                {
                    "source": f"telegram:chan{i % 3}",
                    "post_id": str(i),
                    "url": "",
                    "text": f"خبر شماره {i} دربارهٔ حقوق بازنشستگان و تأمین اجتماعی",
                    "published_at": (at + timedelta(minutes=i)).isoformat(),
                },
                ensure_ascii=False,
            )
            for i in range(5)
        )
    )

    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(data), "ingest", str(feed)],
        env=clean_env(PYTHONPATH=SRC),
        capture_output=True,
        text=True,
        timeout=200,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 5
    [listing] = [row for row in done.stderr.splitlines() if row.startswith("MODULES ")]
    modules = set(json.loads(listing.removeprefix("MODULES ")))
    # The batch touched stories, so the alert task ran: its ref imported that one tasks module.
    assert "tabyin.monitor.alerts.tasks" in modules
    loaded = sorted(m for m in NOT_FOR_INGEST if m in modules or any(k.startswith(m + ".") for k in modules))
    assert loaded == []


def test_a_ref_is_registered_by_its_own_module_and_a_name_by_discovery() -> None:
    assert background.is_registered(task_refs.poll_source) is True
    assert background.is_registered("monitor.poll_due") is True
    assert background.is_registered("monitor.no_such_task") is False
    assert background.is_registered("tabyin.monitor.sources.tasks.poll_due") is False  # names are fixed


def test_listing_the_tasks_discovers_every_app() -> None:
    names = background.registered()

    assert "core.heartbeat" in names
    assert "monitor.poll_due" in names
    assert background.schedule()["monitor.poll_due"].every == timedelta(seconds=10)
