"""Campaigns: one message to N newsletter subscribers (default 100,000), embedded mode.

    PYTHONPATH=src .venv/bin/python benchmarks/campaigns_fanout.py [--subscribers N] [--postgres URL]

A throwaway data directory (SQLite, or a scratch PostgreSQL database with ``--postgres``), the
organization seeded, N confirmed subscribers written in bulk, one message approved by a senior
manager. Measured, in this process:

(a) the release: one ledger row per subscriber written in chunks (``outbox.services._fan_out``);
(b) the delivery: ``services_delivery.deliver`` as the task runs it, batches of 200 claimed, one
    SMTP connection per batch, every result written back; to a real SMTP server on 127.0.0.1 that
    runs in ANOTHER process and only counts what it receives (so its memory is not ours);
(c) peak RSS of this process (``ru_maxrss``) after each step.

Embedded mode only: the deliveries run in this process as the embedded thread pool would run the
task (one task per message and channel). Scaled mode (Celery workers) is not measured here.
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import socketserver
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class _Counting(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend; counts messages, keeps nothing."""

    def handle(self) -> None:
        counter: Any = self.server.counter  # type: ignore[attr-defined]
        self.wfile.write(b"220 bench ESMTP\r\n")
        while raw := self.rfile.readline():
            verb = raw[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-bench\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                with counter.get_lock():
                    counter.value += 1
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


def _smtp(port: Any, counter: Any) -> None:
    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), _Counting) as server:
        server.counter = counter  # type: ignore[attr-defined]
        port.value = server.server_address[1]
        server.serve_forever()


def main() -> None:  # noqa: PLR0915 - one straight script, step by step
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--deliver", type=int, default=5_000, help="how many of them to deliver (timed)")
    parser.add_argument("--postgres", default=os.environ.get("TABYIN_BENCH_POSTGRES", ""))
    args = parser.parse_args()
    port, counter = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    smtp = multiprocessing.Process(target=_smtp, args=(port, counter), daemon=True)
    smtp.start()
    while not port.value:
        time.sleep(0.05)
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-campaigns-") as scratch:
        os.environ["TABYIN_DATA_DIR"] = str(Path(scratch))
        os.environ["DJANGO_SETTINGS_MODULE"] = "tabyin.config.settings"
        os.environ["TABYIN_EMAIL_URL"] = f"smtp://127.0.0.1:{port.value}"
        if args.postgres:
            os.environ["DATABASE_URL"] = args.postgres
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.utils import timezone

        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port.value, "use_tls": False, "timeout": 10},
            }
        }
        from datetime import date, timedelta

        from tabyin.campaigns.enums import Channel, Segment
        from tabyin.campaigns.outbox import services, services_delivery
        from tabyin.campaigns.outbox.models import Subscriber
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
        for start in range(0, args.subscribers, 5000):
            Subscriber.objects.bulk_create(
                [
                    Subscriber(
                        channel=Channel.NEWSLETTER,
                        address=f"r{n}@example.org",
                        token=f"t{n}",
                        confirmed_at=now,
                    )
                    for n in range(start, min(start + 5000, args.subscribers))
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
        rss_before = _rss_mb()
        from django.db import connection, transaction

        from tabyin.campaigns.enums import MessageState
        from tabyin.campaigns.outbox.models import Delivery, Message

        Message.objects.filter(pk=message.pk).update(state=MessageState.APPROVED, approved_by=manager)
        started = time.perf_counter()
        with transaction.atomic():
            services.message_release(message_id=message.pk, now=timezone.now())
            # The queued delivery task is dropped here: the delivery is measured on its own below.
            connection.run_on_commit.clear()
        release = time.perf_counter() - started
        rss_release = _rss_mb()
        later = timezone.now() + timedelta(days=1)
        first = (
            Delivery.objects.filter(message=message).order_by("pk").values_list("pk", flat=True)[args.deliver]
        )
        Delivery.objects.filter(message=message, pk__gte=first).update(next_attempt_at=later)
        started = time.perf_counter()
        totals = services_delivery.deliver(message_id=message.pk, channel=Channel.NEWSLETTER)
        deliver = time.perf_counter() - started
        rss_deliver = _rss_mb()
        received = counter.value
    smtp.terminate()
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"campaigns fan-out: {args.subscribers:,} newsletter subscribers, {database}, embedded mode")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()}"
    )
    print(
        f"(a) release: {args.subscribers:,} ledger rows in {release:.1f} s, "
        f"{args.subscribers / release:,.0f} rows/s"
    )
    print(
        f"(b) delivery of the first {args.deliver:,} to a local SMTP server (another process): "
        f"{deliver:.1f} s, "
        f"{totals['sent'] / deliver:,.0f} e-mails/s; sent {totals['sent']:,}, failed {totals['failed']:,}, "
        f"received by the server {received:,}"
    )
    print(
        f"(c) peak RSS: {rss_before:.0f} MB before, {rss_release:.0f} MB after the release, "
        f"{rss_deliver:.0f} MB after the delivery"
    )


if __name__ == "__main__":
    main()
