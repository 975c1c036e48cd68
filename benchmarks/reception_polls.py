"""Comprehension polls: answers per second on embedded SQLite (the issue's target: 1,000/s).

    PYTHONPATH=src .venv/bin/python benchmarks/reception_polls.py [--service N] [--view N]

A throwaway data directory with the production settings (SQLite in WAL mode, synchronous=NORMAL),
migrated, the organization seeded, one open poll of three questions (multiple choice, clarity,
open). Then, one answer at a time as the public would send them, each in its own transaction:

(a) through the service ``response_submit`` (validation, the once-per-browser check, one
    response row and its answers) — the database's share of the work;
(b) through the public view with Django's test client, form-encoded as a browser sends the
    page's form (no CSRF check: the test client skips it), each answer from a new browser (no
    cookie) through one client (middleware loaded once, as in a server process): form parsing
    and validation, the service, the signed cookie and the redirect; no network, no web server,
    one thread.

(a0) the same answers through the code path as it was before the per-process cache (kept below as
    ``_previous_submit``: the province read per answer, the questions from the prefetch) — the
    baseline, measured in the same run on the same database.

Prints answers per second by CPU time of this process (``time.process_time``: what the answers
cost, whatever else the shared machine is doing) and by wall time, p50/p95 wall latency, and
``uptime``'s load before and after. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _report(label: str, durations: list[float], wall: float, cpu: float) -> None:
    n = len(durations)
    print(
        f"{label}: {n} answers; CPU {cpu:.2f} s = {n / cpu:,.0f} answers/s of CPU; "
        f"wall {wall:.2f} s = {n / wall:,.0f} answers/s; "
        f"p50 {statistics.median(durations) * 1000:.2f} ms, p95 {_percentile(durations, 95) * 1000:.2f} ms"
    )


def _uptime() -> str:
    return subprocess.run(
        ["uptime"], capture_output=True, text=True, check=False, env={**os.environ, "TZ": "UTC"}
    ).stdout.strip()


def _previous_submit(*, poll: Any, token: str, answers: dict[str, object], province_iso: str) -> None:
    """``services.response_submit`` as it was before ``polls.cache`` (commit 99b8f56), for the
    baseline: the province read from the database on every answer, the questions from the poll's
    prefetch."""
    from django.db import transaction
    from django.utils import timezone

    from tabyin.core import selectors as core_selectors
    from tabyin.reception.polls.models import Answer, Response
    from tabyin.reception.polls.services import _answer, question_field

    province = core_selectors.province_by_iso(province_iso) if province_iso else None
    questions = list(poll.questions.all())
    rows = [a for q in questions if (a := _answer(q, answers.get(question_field(q)))) is not None]
    when = timezone.now()
    with transaction.atomic():
        response = Response.objects.create(
            poll=poll, token=token, province=province, created_at=when, day=timezone.localdate(when)
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)


def _setup() -> tuple[Any, list[str]]:
    """Migrate the throwaway database, seed the organization and open a poll of three questions;
    the poll as the public view reads it, and the provinces' codes."""
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from tabyin.core import services as core_services
    from tabyin.core.enums import Role
    from tabyin.core.models import OrgUnit, User
    from tabyin.reception.polls import selectors, services
    from tabyin.reception.polls.enums import PollState, QuestionKind

    setup_test_environment()  # "testserver" allowed for the test client
    call_command("migrate", interactive=False, verbosity=0)
    core_services.org_seed(name_fa="سازمان نمونه", name_en="Sample organization")
    analyst = User.objects.create_user(username="bench.analyst", password=None)
    core_services.membership_grant(
        actor=None, user=analyst, unit=OrgUnit.objects.get(code="hq"), role=Role.ANALYST
    )
    poll = services.poll_create(
        actor=analyst,
        title="سنجش سرعت",
        target_path="/",
        target_title="",
        questions=[
            services.QuestionSpec(
                kind=QuestionKind.CHOICE, text="کدام؟", choices=["الف", "ب", "ج"], correct=1
            ),
            services.QuestionSpec(kind=QuestionKind.CLARITY, text="چقدر روشن بود؟"),
            services.QuestionSpec(kind=QuestionKind.OPEN, text="چه چیزی روشن نبود؟"),
        ],
    )
    services.poll_set_state(actor=analyst, poll=poll, state=PollState.OPEN)
    # As the public view reads it: the old path takes its questions from the prefetch.
    public = selectors.public_poll(poll_id=poll.pk)
    assert public is not None
    return public, list(OrgUnit.objects.filter(kind="province").values_list("iso_code", flat=True))


def _answers(i: int) -> dict[str, object]:
    return {"q1": str(i % 3), "q2": str(1 + i % 5), "q3": "نمودار را نفهمیدم" if i % 4 == 0 else ""}


def _service(label: str, submit: Any, prefix: str, *, poll: Any, provinces: list[str], n: int) -> None:
    submit(poll=poll, token=f"{prefix}-warm", answers=_answers(0), province_iso=provinces[0])
    durations: list[float] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        t0 = time.perf_counter()
        submit(poll=poll, token=f"{prefix}{i}", answers=_answers(i), province_iso=provinces[i % 31])
        durations.append(time.perf_counter() - t0)
    _report(label, durations, time.perf_counter() - started, time.process_time() - cpu_started)


def _view(poll: Any, provinces: list[str], n: int) -> None:
    from django.test import Client
    from django.urls import reverse

    url = reverse("reception:poll", args=[poll.pk])
    form = "application/x-www-form-urlencoded"  # what the page's <form method="post"> sends
    # One client, as one server process loads its middleware once; its cookies are dropped
    # before each answer, so every answer comes from a new browser.
    client = Client()
    assert client.post(url, "q1=0&q2=1&q3=", content_type=form).status_code == 302  # warm
    durations: list[float] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        data = {"q1": str(i % 3), "q2": str(1 + i % 5), "q3": "", "province": provinces[i % 31]}
        t0 = time.perf_counter()
        client.cookies.clear()
        response = client.post(url, urlencode(data), content_type=form)
        durations.append(time.perf_counter() - t0)
        if response.status_code != 302:
            sys.exit(f"answer {i} refused: {response.status_code}")
    _report(
        "(b) public view, test client",
        durations,
        time.perf_counter() - started,
        time.process_time() - cpu_started,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", type=int, default=3000)
    parser.add_argument("--view", type=int, default=1000)
    parser.add_argument("--no-baseline", action="store_true", help="skip (a0)")
    args = parser.parse_args()
    print("before:", _uptime())
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-polls-") as scratch:
        os.environ["TABYIN_DATA_DIR"] = str(Path(scratch))
        os.environ["DJANGO_SETTINGS_MODULE"] = "tabyin.config.settings"
        import django

        django.setup()
        from tabyin.reception.polls import services
        from tabyin.reception.polls.models import Response

        poll, provinces = _setup()
        common: dict[str, Any] = {"poll": poll, "provinces": provinces, "n": args.service}
        if not args.no_baseline:
            _service("(a0) service, previous code path", _previous_submit, "p", **common)
        _service("(a) service response_submit", services.response_submit, "s", **common)
        _view(poll, provinces, args.view)
        print(f"stored: {Response.objects.count()} responses; {os.cpu_count()} cores")
        print("after:", _uptime())


if __name__ == "__main__":
    main()
