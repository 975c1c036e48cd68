"""Comprehension polls: answers per second on embedded SQLite (the issue's target: 1,000/s).

    PYTHONPATH=src .venv/bin/python benchmarks/reception_polls.py [--service N] [--view N]

A throwaway data directory with the production settings (SQLite in WAL mode, synchronous=NORMAL),
migrated, the organization seeded, one open poll of three questions (multiple choice, clarity,
open). Then, one answer at a time as the public would send them, each in its own transaction:

(a) through the service ``response_submit`` (validation, the once-per-browser check, one
    response row and its answers) — the database's share of the work;
(b) through the public view with Django's test client, each answer from a new browser (no
    cookie): form parsing and validation, the service, the signed cookie and the redirect; no
    network, no web server, one thread.

Prints answers per second and p50/p95 latency for each, with the load average (the machine is
shared). Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _report(label: str, durations: list[float], wall: float) -> None:
    print(
        f"{label}: {len(durations)} answers in {wall:.2f} s = {len(durations) / wall:,.0f} answers/s; "
        f"p50 {statistics.median(durations) * 1000:.2f} ms, p95 {_percentile(durations, 95) * 1000:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", type=int, default=3000)
    parser.add_argument("--view", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-polls-") as scratch:
        os.environ["TABYIN_DATA_DIR"] = str(Path(scratch))
        os.environ["DJANGO_SETTINGS_MODULE"] = "tabyin.config.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from tabyin.core import services as core_services
        from tabyin.core.enums import Role
        from tabyin.core.models import OrgUnit, User
        from tabyin.reception.polls import selectors, services
        from tabyin.reception.polls.enums import PollState, QuestionKind
        from tabyin.reception.polls.models import Response

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
        # As the public view has it: the questions prefetched once per request.
        poll = selectors.public_poll(poll_id=poll.pk)
        assert poll is not None
        provinces = list(OrgUnit.objects.filter(kind="province").values_list("iso_code", flat=True))

        durations: list[float] = []
        started = time.perf_counter()
        for i in range(args.service):
            answers = {
                "q1": str(i % 3),
                "q2": str(1 + i % 5),
                "q3": "نمودار را نفهمیدم" if i % 4 == 0 else "",
            }
            t0 = time.perf_counter()
            services.response_submit(
                poll=poll, token=f"s{i}", answers=answers, province_iso=provinces[i % 31]
            )
            durations.append(time.perf_counter() - t0)
        _report("(a) service response_submit", durations, time.perf_counter() - started)

        url = reverse("reception:poll", args=[poll.pk])
        durations = []
        started = time.perf_counter()
        for i in range(args.view):
            data = {"q1": str(i % 3), "q2": str(1 + i % 5), "q3": "", "province": provinces[i % 31]}
            t0 = time.perf_counter()
            response = Client().post(url, data)
            durations.append(time.perf_counter() - t0)
            if response.status_code != 302:
                sys.exit(f"answer {i} refused: {response.status_code}")
        _report("(b) public view, test client", durations, time.perf_counter() - started)
        load = os.getloadavg()[0]
        stored = Response.objects.count()
        print(f"stored: {stored} responses; load average {load:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
