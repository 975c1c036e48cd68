"""A flood must not lock genuine reporters out (issue 15, point 3).

Found: form tokens could be reused and every post counted against one global budget, so 60
invalid posts a minute made every genuine report that minute get 429, and 60 junk receipt codes
locked every reporter out of follow-up. Here an attacker floods as it would — one token reused,
junk reports, junk receipt codes — and then a genuine reporter reports, follows up and writes back.

Tokens carry a proof-of-work challenge: the tests solve it from the page, as a browser's script
does (with ``hashlib``, independently of ``abuse.py``), at the low difficulty of tests/settings.py.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from itertools import count
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signing
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.reports.intake import abuse
from tabyin.reports.models import Message, Report
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.abuse]


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    caches["default"].clear()
    caches["shared"].clear()
    monkeypatch.setattr(abuse, "MIN_AGE_SECONDS", 0)
    yield
    caches["default"].clear()
    caches["shared"].clear()


@pytest.fixture
def routable(tehran_security: User, hq_units_with_keys: dict[str, User]) -> User:
    return tehran_security


def url(name: str) -> str:
    with translation.override("en"):
        return reverse(f"reports:{name}")


def solve(nonce: str, bits: int) -> str:
    for answer in count():
        digest = hashlib.sha256(f"{nonce}:{answer}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(answer)
    raise AssertionError("unreachable")


def challenge(page: str) -> dict[str, str]:
    """The hidden fields of a page's form as a browser with JavaScript sends them."""
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    fields = {"form_token": token[1]} if token else {}
    nonce = re.search(r'data-pow-nonce="([0-9a-f]+)"', page)
    bits = re.search(r'data-pow-bits="(\d+)"', page)
    if nonce and bits:
        fields["pow_answer"] = solve(nonce[1], int(bits[1]))
    return fields


def form_page(client: Client) -> str:
    return client.get(url("new") + "?category=bribery").content.decode()


def report(client: Client, fields: dict[str, str], **overrides: Any) -> Any:
    return client.post(url("new"), {**helpers.form(**overrides), "category": "bribery", **fields})


def code_of(client: Client, response: Any) -> str:
    page = client.get(response["Location"]).content.decode()
    return re.search(r'data-receipt="([\d ]+)"', page)[1].replace(" ", "")  # type: ignore[index]


@override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=5, TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE=5)
def test_after_a_flood_a_genuine_reporter_reports_follows_up_and_writes(routable: User) -> None:
    attacker = Client()
    reused = challenge(form_page(attacker))
    for _ in range(30):  # junk reports, one token reused
        report(attacker, reused, what="کوتاه")
    for _ in range(30):  # junk reports, a fresh token each
        report(attacker, challenge(form_page(attacker)), what="کوتاه")
    for i in range(30):  # junk receipt codes
        page = attacker.get(url("follow-up")).content.decode()
        attacker.post(url("follow-up"), {"code": f"{i:016d}", **challenge(page)})
    stored = Report.objects.count()

    reporter = Client()
    sent = report(reporter, challenge(form_page(reporter)))
    assert sent.status_code == 303, sent.content.decode()[:500]
    code = code_of(reporter, sent)
    assert Report.objects.count() == stored + 1

    follow = reporter.get(url("follow-up")).content.decode()
    opened = reporter.post(url("follow-up"), {"code": code, **challenge(follow)})
    assert opened.status_code == 303, opened.content.decode()[:500]
    case = reporter.get(url("case")).content.decode()
    wrote = reporter.post(url("case"), {"body": "پیام پیگیری من", **challenge(case)})
    assert wrote.status_code == 303
    assert Message.objects.filter(report__pk=Report.objects.order_by("-pk")[0].pk).count() == 1


def test_a_token_opens_one_report_only(routable: User) -> None:
    client = Client()
    fields = challenge(form_page(client))
    assert report(client, fields).status_code == 303
    again = report(client, fields)
    assert again.status_code == 400
    assert "This form was already sent." in again.content.decode()
    assert Report.objects.count() == 1


def test_a_token_allows_a_few_corrections_then_asks_for_a_new_form(routable: User) -> None:
    client = Client()
    fields = challenge(form_page(client))
    for _ in range(abuse.TRIES["report"]):
        refused = report(client, fields, what="کوتاه")
        assert refused.status_code == 400
    spent = report(client, fields)
    assert spent.status_code == 400
    assert "This form was sent too many times." in spent.content.decode()
    # What the person typed comes back with a fresh form, and that one goes through.
    assert report(client, challenge(spent.content.decode())).status_code == 303


def test_a_corrected_form_keeps_its_token_and_its_solved_challenge(routable: User) -> None:
    client = Client()
    fields = challenge(form_page(client))
    back = report(client, fields, what="کوتاه").content.decode()
    assert f'value="{fields["form_token"]}"' in back
    assert f'name="pow_answer" value="{fields["pow_answer"]}"' in back
    assert report(client, fields).status_code == 303


def test_a_wrong_answer_counts_as_unsolved(routable: User) -> None:
    client = Client()
    page = form_page(client)
    fields = challenge(page)
    nonce = re.search(r'data-pow-nonce="([0-9a-f]+)"', page)[1]  # type: ignore[index]
    wrong = next(
        str(a) for a in count() if hashlib.sha256(f"{nonce}:{a}".encode()).digest()[0] != 0
    )  # at 8 bits, a first byte that is not zero fails
    for answer in (wrong, "not a number", ""):
        response = report(client, {**fields, "pow_answer": answer})
        assert response.status_code == 400
        assert "Please wait" in response.content.decode()
    assert Report.objects.count() == 0


def _aged(fields: dict[str, str], seconds: float, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The same form as if it had been served ``seconds`` ago (a person writing without JavaScript)."""
    with monkeypatch.context() as m:
        m.setattr(signing, "time", SimpleNamespace(time=lambda: time.time() - seconds))
        m.setattr(abuse, "time", SimpleNamespace(time=lambda: time.time() - seconds))
        return {"form_token": abuse.issue("report")}


@override_settings(TABYIN_REPORTS_NOJS_WAIT_SECONDS=30)
def test_without_javascript_a_form_goes_through_after_the_wait(
    routable: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    fresh = {"form_token": abuse.issue("report")}
    early = report(client, fresh, what="شرح کامل ماجرا که بدون جاوااسکریپت نوشته شد و باید بماند.")
    page = early.content.decode()
    assert early.status_code == 400
    assert "Please wait" in page
    assert "شرح کامل ماجرا که بدون جاوااسکریپت نوشته شد و باید بماند." in page
    assert report(client, _aged(fresh, 31, monkeypatch)).status_code == 303


@override_settings(TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE=3, TABYIN_REPORTS_NOJS_WAIT_SECONDS=0)
def test_junk_codes_without_a_solved_challenge_pause_only_that_path(routable: User) -> None:
    client = Client()
    code = code_of(client, report(client, challenge(form_page(client))))
    for i in range(4):
        client.post(url("follow-up"), {"code": f"{i:016d}", "form_token": abuse.issue("lookup")})
    paused = client.post(url("follow-up"), {"code": code, "form_token": abuse.issue("lookup")})
    assert paused.status_code == 429
    page = client.get(url("follow-up")).content.decode()
    assert client.post(url("follow-up"), {"code": code, **challenge(page)}).status_code == 303


def test_a_lookup_token_allows_a_few_wrong_codes(routable: User) -> None:
    client = Client()
    page = client.get(url("follow-up")).content.decode()
    fields = challenge(page)
    for i in range(abuse.TRIES["lookup"]):
        wrong = client.post(url("follow-up"), {"code": f"{i:016d}", **fields})
        assert "That code does not open a report." in wrong.content.decode()
    spent = client.post(url("follow-up"), {"code": "9" * 16, **fields})
    assert "This form was sent too many times." in spent.content.decode()


def test_the_challenge_script_is_our_own_static_file_and_no_page_has_inline_script(org: None) -> None:
    client = Client()
    for page in (form_page(client), client.get(url("follow-up")).content.decode()):
        assert '<script src="/static/tabyin/js/reports-pow.js" defer></script>' in page
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
