"""Violation reports: submission with a 5 MB file, receipt lookups, the receipt hash's cost, replies.

    .venv/bin/python benchmarks/bench_reports.py [--submissions N] [--lookups N] [--postgres URL]

Each database runs in its own process on a throwaway data directory, with the production Argon2id
cost of the receipt hash (3 passes over 64 MB, the settings' defaults; tests/settings.py lowers it
for speed, so it is set here explicitly). ``--postgres`` (or $TABYIN_BENCH_POSTGRES) names a
server: a scratch database is created on it and dropped afterwards.

(a) a full submission through the Django test client (form token, multipart parsing, validation,
    routing, Argon2id, encryption, the encrypted file written): p50 and p95;
(b) a receipt lookup through the follow-up form, for existing and for unknown codes, interleaved
    (every lookup runs one Argon2id with the installation salt first): p50, p95 and their ratio;
(c) the Argon2id derivation itself: passes, memory, time, and the peak RSS it adds;
(d) a reporter's reply through the case page: p50 and p95.

Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FILE_BYTES = 5 * 1024 * 1024
PRODUCTION_COST = {"TABYIN_RECEIPT_HASH_OPS": "3", "TABYIN_RECEIPT_HASH_MB": "64"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _argon2_figures(runs: int = 10) -> dict[str, float]:
    """First thing in the worker, so the peak RSS it adds is not hidden by an earlier peak."""
    from django.conf import settings

    from tabyin.reports.crypto import receipts

    ops, mem = settings.TABYIN_RECEIPT_HASH_OPS, settings.TABYIN_RECEIPT_HASH_BYTES
    pepper = settings.TABYIN_RECEIPT_PEPPER
    before = _rss_mb()
    first = _timed(
        lambda: receipts.stretch(receipts.generate(), pepper, secrets.token_bytes(16), ops=ops, mem=mem)
    )[0]
    increase = _rss_mb() - before
    times = []
    for _ in range(runs):
        code, salt = receipts.generate(), secrets.token_bytes(16)
        times.append(_timed(lambda c=code, s=salt: receipts.stretch(c, pepper, s, ops=ops, mem=mem))[0])
    return {
        "ops": ops,
        "mem_mb": mem / (1024 * 1024),
        "derive_first": first,
        "derive_p50": statistics.median(times),
        "derive_max": max(times),
        "rss_before_mb": before,
        "rss_increase_mb": increase,
    }


def _worker(submissions: int, lookups: int) -> None:  # noqa: PLR0915 (one scenario, in order)
    """In a fresh process whose environment names the data directory, the database and the cost."""
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # locmem e-mail, "testserver" allowed
    from django.conf import settings
    from django.test.utils import override_settings

    # Pages name static files; without collectstatic there is no manifest, so use plain names.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages).enable()
    argon2 = _argon2_figures()

    from django.core import signing
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tabyin.core import demo as core_demo
    from tabyin.core.models import User
    from tabyin.reports.intake import abuse
    from tabyin.reports.keys import services as services_keys

    call_command("migrate", interactive=False, verbosity=0)
    core_demo.load()
    for username in ("tehran.security", "hq.security", "hq.inspection", "hq.board", "hq.custodian"):
        services_keys.keys_setup(user=User.objects.get(username=username), passphrase="bench passphrase 1405")  # noqa: S106

    class Aged(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 60)

    def passed(purpose: str) -> dict[str, str]:
        """A token served a minute ago with its challenge solved, as the page's script sends it."""
        made = Aged(salt=abuse._SIGNER_SALT).sign(f"{purpose}.{secrets.token_hex(16)}.{abuse.current_bits()}")
        found = abuse.challenge(made)
        answer = next(str(a) for a in range(1 << 30) if abuse.solved(found.nonce, found.bits, str(a)))
        return {abuse.TOKEN: made, abuse.ANSWER: answer}

    pdf = b"%PDF-1.4\n" + secrets.token_bytes(FILE_BYTES - 9)

    def submit(client: Client, guard: dict[str, str]) -> str:
        data = {
            "category": "bribery", **guard, abuse.HONEYPOT: "",
            "province": "IR-23", "place_kind": "branch", "place_name": "شعبهٔ ۱۲ تهران",
            "when": "۱۴۰۵/۰۸/۲۰", "identity_mode": "anonymous", "q_paid": "no",
            "what": "کارمند باجه برای ثبت سابقهٔ بیمه پول نقد خواست و گفت بدون آن کار انجام نمی‌شود.",
            "files": SimpleUploadedFile("evidence.pdf", pdf, content_type="application/pdf"),
        }  # fmt: skip
        response = client.post(reverse("reports:new"), data, secure=True)
        assert response.status_code == 303, response.status_code
        page = client.get(reverse("reports:receipt"), secure=True).content.decode()
        return page.split('data-receipt="', 1)[1].split('"', 1)[0]

    submit(Client(), passed("report"))  # warm-up: templates, first queries
    submit_times, codes = [], []
    for _ in range(submissions):
        client, guard = Client(), passed("report")  # solved before the clock starts, as in a browser
        start = time.perf_counter()
        codes.append(submit(client, guard))  # the POST and the receipt page after it: one visit
        submit_times.append(time.perf_counter() - start)

    def lookup(code: str) -> tuple[float, int]:
        client = Client()
        fields = {"code": code, **passed("lookup")}  # solved before the clock starts, as in a browser
        seconds, response = _timed(lambda: client.post(reverse("reports:follow-up"), fields, secure=True))
        return seconds, response.status_code

    found, missing = [], []
    for i in range(lookups):
        seconds, status = lookup(codes[i % len(codes)])
        assert status == 303, status
        found.append(seconds)
        seconds, status = lookup(f"{secrets.randbelow(10**16):016d}")
        assert status == 200, status
        missing.append(seconds)

    reader = Client()
    reader.post(reverse("reports:follow-up"), {"code": codes[0], **passed("lookup")}, secure=True)
    replies = []
    for i in range(submissions):
        reply = {"body": f"پاسخ شمارهٔ {i} به پرسش کارشناس", **passed("message"), abuse.HONEYPOT: ""}
        seconds, response = _timed(lambda r=reply: reader.post(reverse("reports:case"), r, secure=True))
        assert response.status_code == 303, response.status_code
        replies.append(seconds)

    version = (
        connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else f"{connection.pg_version // 10000}.{connection.pg_version % 100}"  # type: ignore[attr-defined]
    )
    print(json.dumps({
        "database": f"{connection.vendor} {version}",
        "argon2": argon2,
        "submit": submit_times,
        "found": found,
        "missing": missing,
        "reply": replies,
        "peak_rss_mb": _rss_mb(),
    }))  # fmt: skip


def _scratch_database(url: str, drop: str = "") -> str:
    """Create (or, with ``drop``, remove) a throwaway database on the server ``url`` points at."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = drop.rsplit("/", 1)[-1] if drop else f"tabyin_bench_reports_{os.getpid()}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(label: str, url: str, submissions: int, lookups: int) -> dict[str, Any] | None:
    here = str(Path(__file__).resolve().parent)
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-reports-") as data_dir:
        scratch = _scratch_database(url) if url else ""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TABYIN_"))}
        env |= PRODUCTION_COST | {
            "TABYIN_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "tabyin.config.settings",
            "TABYIN_TASKS_EAGER": "true",
            # The site-wide spam budgets would stop a benchmark that sends dozens a minute.
            "TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE": "10000",
            "TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE": "10000",
        }
        if scratch:
            env["DATABASE_URL"] = scratch
        code = f"import sys; sys.path.insert(0, {here!r}); import bench_reports; "
        code += f"bench_reports._worker({submissions}, {lookups})"
        try:
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
            )
        finally:
            if scratch:
                _scratch_database(url, drop=scratch)
    if done.returncode != 0:
        print(f"{label}: failed\n{done.stderr[-3000:]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(label: str, got: dict[str, Any], submissions: int, lookups: int) -> None:
    ms = 1000.0
    a = got["argon2"]
    print(f"\n{label} ({got['database']})")
    print(f"  {'figure':<52}{'p50':>10}{'p95':>10}")
    rows = [
        (f"(a) submission with a 5 MB PDF, n={submissions}", got["submit"]),
        (f"(b) receipt lookup, existing code, n={lookups}", got["found"]),
        (f"(b) receipt lookup, unknown code, n={lookups}", got["missing"]),
        (f"(d) reporter reply, n={submissions}", got["reply"]),
    ]
    for name, values in rows:
        print(f"  {name:<52}{statistics.median(values) * ms:>8.1f}ms{percentile(values, 95) * ms:>8.1f}ms")
    ratio = percentile(got["missing"], 95) / percentile(got["found"], 95)
    median_ratio = statistics.median(got["missing"]) / statistics.median(got["found"])
    print(f"  (b) unknown / existing: p95 ratio {ratio:.3f}, p50 ratio {median_ratio:.3f}")
    print(
        f"  (c) Argon2id: {a['ops']} passes × {a['mem_mb']:.0f} MB; {a['derive_p50'] * ms:.1f} ms per "
        f"derivation (median of 10 after a first of {a['derive_first'] * ms:.1f} ms; "
        f"max {a['derive_max'] * ms:.1f} ms)"
    )
    print(
        f"      peak RSS +{a['rss_increase_mb']:.1f} MB for the first derivation (from "
        f"{a['rss_before_mb']:.1f} MB); worker's peak RSS at the end {got['peak_rss_mb']:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20, help="timed submissions and replies")
    parser.add_argument("--lookups", type=int, default=50, help="timed lookups of each kind")
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL server URL")
    args = parser.parse_args()
    postgres = args.postgres or os.environ.get("TABYIN_BENCH_POSTGRES") or ""
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    for label, url in [("SQLite", "")] + ([("PostgreSQL", postgres)] if postgres else []):
        got = run(label, url, args.submissions, args.lookups)
        if got is not None:
            report(label, got, args.submissions, args.lookups)


if __name__ == "__main__":
    main()
