"""Campaigns: one message to N newsletter subscribers (default 100,000) through the real worker.

    PYTHONPATH=src .venv/bin/python benchmarks/campaigns_fanout.py [--subscribers N]
        [--concurrency 2] [--parallel 1] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
        [--redis redis://127.0.0.1:6379/13]

Scaled mode as deployed: PostgreSQL (a scratch database, dropped at the end), Redis as the broker,
and a real ``tabyin worker`` process (Celery, prefork, ``--concurrency`` children) started here.
The organization is seeded, N confirmed subscribers written in bulk, one message approved by a
senior manager and released in this process: the release writes one ledger row per subscriber and
queues the delivery task on Redis after its transaction commits (what the approval does on the
site). The worker claims batches of 200, opens one SMTP connection per batch (STARTTLS, with a
self-signed certificate the worker is told to trust) and writes every result back. The SMTP
server is a local sink in ANOTHER process that only counts what it receives.

``--parallel K`` queues K-1 more delivery tasks for the same message and channel (claims never
overlap, ADR 0024): what one task alone does is the product's behaviour today (K = 1).

Measured: the release (rows/s, in this process); the delivery from the release's commit until
every row was tried once (e-mails/s); the worker's resident memory, sampled every 0.5 s from
/proc, as the sum over the worker and its children and as the largest single process; ``uptime``
before and after. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class _Counting(socketserver.StreamRequestHandler):
    """Just enough SMTP (with STARTTLS) for Django's backend; counts messages, keeps nothing."""

    def handle(self) -> None:
        server: Any = self.server
        self.wfile.write(b"220 bench ESMTP\r\n")
        while raw := self.rfile.readline():
            verb = raw[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-bench\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n")
            elif raw[:8].upper() == b"STARTTLS":
                self.wfile.write(b"220 go ahead\r\n")
                self.wfile.flush()
                self.connection = server.tls.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb", buffering=0)
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                with server.counter.get_lock():
                    server.counter.value += 1
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


def _smtp(port: Any, counter: Any, cert: str, key: str) -> None:
    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), _Counting) as server:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        server.tls = tls  # type: ignore[attr-defined]
        server.counter = counter  # type: ignore[attr-defined]
        port.value = server.server_address[1]
        server.serve_forever()


def _certificate(folder: Path) -> tuple[str, str]:
    cert, key = folder / "smtp.pem", folder / "smtp.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process: RSS counts pages shared with the other prefork processes in each
    of them; PSS divides them among the sharers, so PSS adds up across processes and RSS does not."""
    found = {"Rss:": 0, "Pss:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(" ")
            if name in found:
                found[name] = int(rest.split()[0])
    except OSError:
        pass
    return found["Rss:"], found["Pss:"]


def _tree(root: int) -> list[int]:
    """The worker and every process below it (Celery's prefork children)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


class _Sampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.pss, self.largest, self.stop = root, 0, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            sizes = [_memory_kb(pid) for pid in _tree(self.root)]
            self.pss = max(self.pss, sum(pss for _, pss in sizes))
            self.largest = max(self.largest, max((rss for rss, _ in sizes), default=0))
            self.stop.wait(0.5)


def _uptime() -> str:
    # Django sets TZ to the site's zone in this process; the machine's clock is read in UTC.
    return subprocess.run(
        ["uptime"], capture_output=True, text=True, check=False, env={**os.environ, "TZ": "UTC"}
    ).stdout.strip()


def _scratch_db(admin: str, name: str, *, create: bool) -> str:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + "/" + name


def _seed(n: int) -> int:
    """The organization, N confirmed subscribers and one approved message; returns its id."""
    from datetime import date

    from django.core.management import call_command
    from django.utils import timezone

    from tabyin.campaigns.enums import Channel, MessageState, Segment
    from tabyin.campaigns.outbox import services
    from tabyin.campaigns.outbox.models import Message, Subscriber
    from tabyin.campaigns.plan import services as plan
    from tabyin.core import services as core_services
    from tabyin.core.enums import Role
    from tabyin.core.models import OrgUnit, User

    call_command("migrate", interactive=False, verbosity=0)
    core_services.org_seed(name_fa="سازمان نمونه", name_en="Sample organization")
    hq = OrgUnit.objects.get(code="hq")
    analyst = User.objects.create_user(username="bench.analyst", password=None)
    manager = User.objects.create_user(username="bench.manager", password=None)
    core_services.membership_grant(actor=None, user=analyst, unit=hq, role=Role.ANALYST)
    core_services.membership_grant(actor=None, user=manager, unit=hq, role=Role.SENIOR_MANAGER)
    now = timezone.now()
    for start in range(0, n, 5000):
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    channel=Channel.NEWSLETTER, address=f"r{i}@example.org", token=f"t{i}", confirmed_at=now
                )
                for i in range(start, min(start + 5000, n))
            ]
        )
    campaign = plan.campaign_create(
        actor=analyst,
        title="سنجش",
        aim="سنجش",
        segments=[Segment.STUDENTS],
        starts_on=date(2026, 3, 21),
        ends_on=date(2026, 9, 22),
        outcome_name="—",
        treated={OrgUnit.objects.get(code="ir-23"): date(2026, 3, 21)},
        held_out=[],
        key_messages=[],
    )
    message = services.message_create(
        actor=analyst,
        campaign=campaign,
        title="بیمهٔ اختیاری، برای دانشجویان و زنان خانه‌دار هم",
        body="دانشجویان و زنان خانه‌دار می‌توانند با بیمهٔ اختیاری سابقهٔ بیمه داشته باشند. " * 4,
        channels=[Channel.NEWSLETTER],
    )
    Message.objects.filter(pk=message.pk).update(state=MessageState.APPROVED, approved_by=manager)
    return message.pk


def _wait_ready(log: Path, worker: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None or b" ready." in log.read_bytes():
            break
        time.sleep(0.3)
    if worker.poll() is not None or b" ready." not in log.read_bytes():
        raise SystemExit("the worker did not start:\n" + log.read_text()[-3000:])


def main() -> None:  # noqa: PLR0915 - one straight script, step by step
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (tabyin worker)")
    parser.add_argument("--parallel", type=int, default=1, help="delivery tasks queued for the message")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="tabyin_campaigns_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--timeout", type=float, default=7200, help="give up after this many seconds")
    args = parser.parse_args()
    load_before = _uptime()
    scratch = Path(tempfile.mkdtemp(prefix="tabyin-bench-campaigns-"))
    cert, key = _certificate(scratch)
    port, counter = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    smtp = multiprocessing.Process(target=_smtp, args=(port, counter, cert, key), daemon=True)
    smtp.start()
    while not port.value:
        time.sleep(0.05)
    env = {
        "DATABASE_URL": _scratch_db(args.postgres, args.database, create=True),
        "REDIS_URL": args.redis,
        "TABYIN_SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
        "TABYIN_DATA_DIR": str(scratch / "data"),
        "TABYIN_EMAIL_URL": f"smtp://127.0.0.1:{port.value}",
        "DJANGO_SETTINGS_MODULE": "tabyin.config.settings",
    }
    os.environ.update(env)
    import django
    import redis

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from tabyin.campaigns import task_refs
    from tabyin.campaigns.enums import Channel, DeliveryState
    from tabyin.campaigns.outbox import services
    from tabyin.campaigns.outbox.models import Delivery

    redis.Redis.from_url(args.redis).flushdb()
    message_id = _seed(args.subscribers)
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    log = scratch / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "tabyin.cli", "worker", "--concurrency", str(args.concurrency)],
        env={**keep, **env, "PYTHONPATH": str(ROOT / "src"), "SSL_CERT_FILE": cert},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_ready(log, worker)
        sampler = _Sampler(worker.pid)
        sampler.start()
        started = time.perf_counter()
        with transaction.atomic():
            services.message_release(message_id=message_id, now=timezone.now())
            for _ in range(args.parallel - 1):
                task_refs.deliver.enqueue(message_id=message_id, channel=Channel.NEWSLETTER)
        released = time.perf_counter()
        rows = Delivery.objects.filter(message_id=message_id)
        deadline = released + args.timeout
        while rows.filter(attempts=0).exists() and time.perf_counter() < deadline:
            time.sleep(1)
        finished = time.perf_counter()
        sampler.stop.set()
        sampler.join()
        sent = rows.filter(state=DeliveryState.SENT).count()
        tried = rows.filter(attempts__gt=0).count()
        errors = list(rows.exclude(last_error="").values_list("last_error", flat=True)[:3])
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        smtp.terminate()
        from django.db import connections

        connections.close_all()
        _scratch_db(args.postgres, args.database, create=False)
    release, deliver = released - started, finished - released
    print(
        f"campaigns fan-out, scaled mode: {args.subscribers:,} newsletter subscribers, PostgreSQL, "
        f"Redis broker, tabyin worker --concurrency {args.concurrency}, {args.parallel} delivery task(s)"
    )
    print(f"machine: {os.cpu_count()} CPUs; before: {load_before}")
    print(
        f"(a) release (this process): {args.subscribers:,} ledger rows in {release:.1f} s, "
        f"{args.subscribers / release:,.0f} rows/s"
    )
    print(
        f"(b) delivery by the worker to a local SMTP server (STARTTLS, another process): "
        f"{tried:,} rows tried in {deliver:.1f} s, {tried / deliver:,.1f} e-mails/s; sent {sent:,}, "
        f"received by the server {counter.value:,}" + (f"; errors e.g. {errors}" if errors else "")
    )
    print(
        f"(c) worker memory (sampled every 0.5 s): peak PSS {sampler.pss / 1024:.0f} MB for the worker "
        f"and its {args.concurrency} children together; peak RSS of the largest single process "
        f"{sampler.largest / 1024:.0f} MB"
    )
    print(f"after: {_uptime()}")


if __name__ == "__main__":
    main()
