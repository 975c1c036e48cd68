"""Abuse limits of the public report pages: the challenge's surge, the no-JavaScript lane, the form
token, the honeypot and the body size cap. None of them keeps anything about a sender. Floods and
single use: test_abuse_flood.py."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signing
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.reports.intake import abuse
from tabyin.reports.intake import views as views_public
from tabyin.reports.models import Message, Report
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.abuse]


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    caches["default"].clear()
    caches["shared"].clear()
    yield
    caches["default"].clear()
    caches["shared"].clear()


@pytest.fixture
def routable(tehran_security: User, hq_units_with_keys: dict[str, User]) -> User:
    return tehran_security


@pytest.fixture
def instant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(abuse, "MIN_AGE_SECONDS", 0)


def url(name: str) -> str:
    with translation.override("en"):
        return reverse(f"reports:{name}")


def post_report(client: Client, guard: dict[str, str] | None = None, **overrides: Any) -> Any:
    data = {**helpers.form(**overrides), "category": "bribery", **(guard or helpers.passed())}
    return client.post(url("new"), data)


def token_made(seconds_ago: float, monkeypatch: pytest.MonkeyPatch, purpose: str = "report") -> str:
    with monkeypatch.context() as m:
        m.setattr(signing, "time", SimpleNamespace(time=lambda: time.time() - seconds_ago))
        return abuse.issue(purpose)


def code_of(client: Client, response: Any) -> str:
    page = client.get(response["Location"]).content.decode()
    return re.search(r'data-receipt="([\d ]+)"', page)[1]  # type: ignore[index]


# --- (1) Past the minute's budget challenges get harder; nobody with a solved one is refused -------


@override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=2, TABYIN_REPORTS_POW_BITS=8)
def test_past_the_budget_new_challenges_ask_for_more_work_and_nobody_is_refused(
    routable: User, instant: None
) -> None:
    client = Client()
    assert abuse.challenge(abuse.issue("report")).bits == 8
    code = code_of(client, post_report(client))
    client.post(url("follow-up"), {"code": code, **helpers.passed("lookup")})
    # A reporter's message counts like a report.
    assert client.post(url("case"), {"body": "پیام اول", **helpers.passed("message")}).status_code == 303
    assert abuse.challenge(abuse.issue("report")).bits == 8 + abuse.SURGE_BITS
    assert post_report(client).status_code == 303
    assert client.post(url("case"), {"body": "پیام دوم", **helpers.passed("message")}).status_code == 303
    assert Report.objects.count() == 2 and Message.objects.count() == 2


def test_the_surge_ends_with_the_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = abuse.Ticket(token="", purpose="report", nonce="n", solved=True, answer="1")
    with override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=1, TABYIN_REPORTS_POW_BITS=10):
        monkeypatch.setattr(abuse, "_minute", lambda: 1000)
        abuse.accepted(ticket)
        assert abuse.current_bits() == 14
        monkeypatch.setattr(abuse, "_minute", lambda: 1001)
        assert abuse.current_bits() == 10


@override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=1, TABYIN_REPORTS_NOJS_WAIT_SECONDS=0)
def test_without_javascript_past_the_budget_the_form_comes_back_kept_in_persian(
    routable: User, instant: None
) -> None:
    client = Client()
    unsolved = {abuse.TOKEN: abuse.issue("report")}
    assert post_report(client, unsolved).status_code == 303
    typed = "شرح کامل ماجرا که بدون جاوااسکریپت نوشته شد و نباید گم شود."
    data = {**helpers.form(what=typed), "category": "bribery", abuse.TOKEN: abuse.issue("report")}
    response = client.post("/reports/new/", data)
    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="fa" dir="rtl">' in page
    assert typed in page
    assert Report.objects.count() == 1
    # A solved challenge is not in that lane.
    assert post_report(client).status_code == 303


# --- (2) Wrong receipt codes: per token, and a site-wide budget only without JavaScript -------------


@override_settings(TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE=3, TABYIN_REPORTS_NOJS_WAIT_SECONDS=0)
def test_unsolved_wrong_codes_pause_that_path_until_the_minute_ends(
    routable: User, instant: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(abuse, "_minute", lambda: 5000)
    client = Client()
    code = code_of(client, post_report(client))
    for i in range(3):
        response = client.post(url("follow-up"), {"code": f"{i}" * 16, abuse.TOKEN: abuse.issue("lookup")})
        assert response.status_code == 200
        assert "That code does not open a report." in response.content.decode()
    paused = client.post(url("follow-up"), {"code": code, abuse.TOKEN: abuse.issue("lookup")})
    assert paused.status_code == 429
    assert "Too many wrong codes were typed without JavaScript" in paused.content.decode()
    assert "tabyin_v_reporter" not in paused.cookies
    monkeypatch.setattr(abuse, "_minute", lambda: 5001)
    opened = client.post(url("follow-up"), {"code": code, abuse.TOKEN: abuse.issue("lookup")})
    assert opened.status_code == 303
    assert caches["default"].get("reports-abuse:lookup-failed:5000") == 3  # a number, nothing else


# --- (3) The signed form token: not younger than 3 s, not older than 2 h, used once ---------------


def test_a_form_sent_within_three_seconds_is_refused_and_kept(routable: User) -> None:
    response = post_report(
        Client(), helpers.passed(seconds_ago=0), what="شرح کامل ماجرا که در فرم نوشته شد و نباید گم شود."
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "That was sent too quickly. Check what you typed and send it again." in page
    assert "شرح کامل ماجرا که در فرم نوشته شد و نباید گم شود." in page
    assert Report.objects.count() == 0


def _solved(token: str) -> dict[str, str]:
    found = abuse.challenge(token)
    answer = next(str(a) for a in range(1 << 20) if abuse.solved(found.nonce, found.bits, str(a)))
    return {abuse.TOKEN: token, abuse.ANSWER: answer}


def test_a_form_older_than_two_hours_forged_or_for_another_form_is_refused(
    routable: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = post_report(Client(), _solved(token_made(2 * 3600 + 5, monkeypatch)))
    assert old.status_code == 400
    assert "This form was open for more than two hours." in old.content.decode()
    forged = post_report(Client(), {abuse.TOKEN: "report.abc.8:1:forged"})
    assert forged.status_code == 400
    assert "This form could not be checked." in forged.content.decode()
    other = post_report(Client(), _solved(token_made(10, monkeypatch, purpose="lookup")))
    assert other.status_code == 400
    assert "This form could not be checked." in other.content.decode()
    settled = post_report(Client(), _solved(token_made(10, monkeypatch)))
    assert settled.status_code == 303
    assert Report.objects.count() == 1


def test_the_token_carries_no_identity() -> None:
    one, two = abuse.issue("report"), abuse.issue("report")
    purpose, nonce, bits = one.rsplit(":", 2)[0].split(".")
    assert purpose == "report" and bits == "8" and re.fullmatch(r"[0-9a-f]{32}", nonce)
    assert abuse.challenge(two).nonce != nonce  # random per form, tied to nothing


# --- (4) The honeypot ----------------------------------------------------------------------------------


def test_a_filled_honeypot_is_refused_with_a_neutral_message(routable: User, instant: None) -> None:
    response = post_report(Client(), website="http://spam.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your report could not be accepted. Check what you typed and send it again." in page
    assert "spam.example" not in page
    assert Report.objects.count() == 0


# --- (5) The body size cap, checked before the body is read ------------------------------------------


class Exploding:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("view", ["new", "case"])
def test_a_body_over_the_cap_is_413_before_reading(org: None, view: str) -> None:
    limit = abuse.body_limit()
    request = RequestFactory().generic(
        "POST",
        url(view),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(limit + 1),
        **{"wsgi.input": Exploding()},
    )
    response = getattr(views_public, view)(request)
    assert response.status_code == 413
    assert response["Cache-Control"] == "no-store"


@override_settings(TABYIN_REPORTS_MAX_FILES=1, TABYIN_REPORTS_FILE_MAX_BYTES=1024 * 1024)
def test_a_real_upload_over_the_cap_is_413_and_stores_nothing(routable: User, instant: None) -> None:
    assert abuse.body_limit() == 2 * 1024 * 1024
    data = {
        **helpers.form(),
        "category": "bribery",
        **helpers.passed(),
        "files": [SimpleUploadedFile("big.pdf", helpers.big_pdf(3 * 1024 * 1024))],
    }
    response = Client().post(url("new"), data)
    assert response.status_code == 413
    assert "Everything sent at once may be at most 2 MB." in response.content.decode()
    assert Report.objects.count() == 0


def test_a_body_under_the_cap_goes_through(routable: User, instant: None) -> None:
    data = {
        **helpers.form(),
        "category": "bribery",
        **helpers.passed(),
        "files": [SimpleUploadedFile("ok.pdf", helpers.big_pdf(2 * 1024 * 1024))],
    }
    assert Client().post(url("new"), data).status_code == 303


@pytest.mark.usefixtures("instant")
def test_an_upload_over_the_memory_threshold_never_touches_the_disk_unencrypted(
    routable: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a plain temporary file; the
    report views keep them in memory until the service has encrypted them."""
    from django.core.files import uploadedfile

    from tabyin.reports.models import ReportFile
    from tests.reports.test_public_views import submit_and_read_code

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024

    def no_temporary_file(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a reporter's upload was spooled to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", no_temporary_file)
    submit_and_read_code(Client(), files=[("large.pdf", helpers.big_pdf(200_000))])
    assert list(ReportFile.objects.values_list("size", flat=True)) == [200_000]
