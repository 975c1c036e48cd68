"""What the fault drills run against: posts that make alerts, a webhook receiver that can hold a
request, and reads of the drill's private database."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from pathlib import Path
from typing import Any

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection

from tabyin.core.enums import Role
from tabyin.monitor.enums import QueryKind
from tabyin.monitor.models import AlertRule, WatchQuery
from tabyin.monitor.pipeline.canonical import canonical
from tabyin.monitor.pipeline.fingerprint import signatures
from tabyin.monitor.pipeline.index import NearDupIndex
from tabyin.reports.models import Category
from tests import factories
from tests.reports import helpers

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian"
ORGANIZATION = "تأمین اجتماعی"
COPIES = 4  # channels per item: over the rule's threshold of 3, so every item makes one alert
SECRET = "drill-webhook-secret"


def distinct_texts(count: int) -> list[str]:
    """Items that one process would put in different stories, each naming the organization."""
    texts: list[str] = []
    with (DATA / "exappc_paraphrase" / "pairs.jsonl").open(encoding="utf-8") as rows:
        for row in rows:
            pair = json.loads(row)
            if pair["label"] == "nonparaphrase" and len(pair["sentence1"].split()) >= 10:
                texts.append(f"{ORGANIZATION}: {pair['sentence1']}")
    candidates = list(dict.fromkeys(texts))
    index = NearDupIndex(timedelta(days=7))
    sigs = signatures([canonical(t) for t in candidates])
    seen: set[object] = set()
    chosen: list[str] = []
    at = datetime(2025, 3, 1, tzinfo=UTC)
    for row, text in enumerate(candidates):
        story = index.assign_many(sigs[row : row + 1], [at])[0][0]
        if story not in seen:
            seen.add(story)
            chosen.append(text)
        if len(chosen) == count:
            break
    return chosen


def posts(texts: list[str], *, tag: str, at: datetime) -> list[dict[str, Any]]:
    """Each text copied to ``COPIES`` channels, as JSON-able items of ``monitor.ingest_batch``."""
    return [
        {
            "source": f"telegram:{tag}ch{copy}",
            "post_id": f"{tag}{n}-{copy}",
            "text": text,
            "published_at": (at + timedelta(seconds=n + copy)).isoformat(),
        }
        for n, text in enumerate(texts)
        for copy in range(COPIES)
    ]


def seed(webhook_url: str) -> None:
    """In the test's own (shared) database, copied afterwards to the drill's private one."""
    factories.seed_org()
    if not Category.objects.exists():
        import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)
    for username, unit in [
        ("tehran.security", "ir-23-security"),
        ("hq.security", "hq-security"),
        ("hq.inspection", "hq-inspection"),
        ("hq.violations-board", "hq-violations-board"),
    ]:
        user = factories.persona(username, unit, Role.CASE_HANDLER)
        user.email = f"{username}@example.org"
        user.save(update_fields=["email"])
        helpers.keys_for(user)
    WatchQuery.objects.create(name=ORGANIZATION, kind=QueryKind.ORGANIZATION, expression=f'"{ORGANIZATION}"')
    AlertRule.objects.create(
        name="drill",
        kind="reach",
        threshold=3,
        channels=["in_app", "webhook"],
        webhook_url=webhook_url,
        webhook_secret=SECRET,
        escalate_after_minutes=0,
    )


def copy_database(target_url: str) -> None:
    """Copy the test database (schema, migrations and the seed) into the private PostgreSQL."""
    db = connection.settings_dict
    source = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", source], check=True, capture_output=True, timeout=120
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", target_url],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )


def environment(database_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TABYIN_SECRET_KEY": "drill-secret-key-not-for-production-0123456789abcdef",
        "TABYIN_OTP_KEY": str(settings.TABYIN_OTP_KEY),
        "TABYIN_DATA_DIR": str(data_dir),
        "TABYIN_WEB_WORKERS": "2",
        # Short, so that the drill sees a dead worker's task come back within seconds.
        "TABYIN_TASK_VISIBILITY_SECONDS": "6",
        "TABYIN_TASK_LOST_AFTER_SECONDS": "3",
        "TABYIN_RECEIPT_HASH_OPS": "1",
        "TABYIN_RECEIPT_HASH_MB": "8",
    }


def query(url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3) as conn:
        return list(conn.execute(sql, args).fetchall())


def value(url: str, sql: str, *args: Any) -> Any:
    return query(url, sql, *args)[0][0]


class HoldingReceiver:
    """A webhook receiver that records the delivery key of every request and can hold the next
    one unanswered (the sending worker is then mid-task) until released."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.lock = threading.Lock()
        self.hold_next = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held_key = ""
        self.held_port = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers.get("X-Tabyin-Delivery", "")
                with outer.lock:
                    outer.keys.append(key)
                    hold, outer.hold_next = outer.hold_next, False
                    if hold:
                        outer.held_key, outer.held_port = key, self.client_address[1]
                if hold:
                    outer.holding.set()
                    outer.release.wait(30)
                try:
                    self.send_response(200)
                    self.end_headers()
                except OSError:
                    pass  # the sender died while we held it

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def process_group_of_client(port: int) -> int:
    """The process group of the process whose TCP socket has this local port (the sending worker)."""
    inode = ""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            # The live socket only: a closed one that had the port (TIME_WAIT) shows inode 0.
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01" and fields[9] != "0":
                inode = fields[9]
    assert inode, f"no socket has local port {port}"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if str(fd.readlink()) == f"socket:[{inode}]":
                    return os.getpgid(int(proc.name))
        except OSError:
            continue
    raise AssertionError(f"no process holds socket {inode}")


def mail_message_ids(mail_dir: Path) -> list[str]:
    """Every Message-ID in the file mail backend's folder, one per e-mail written."""
    found = []
    for path in sorted(mail_dir.glob("*")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                found.append(line.split(":", 1)[1].strip())
    return found
