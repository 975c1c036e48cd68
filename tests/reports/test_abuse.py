"""Abuse limits of the public report pages: global budgets, the form token, the honeypot and the
body size cap. None of them keeps anything about a sender."""

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
from tabyin.reports import abuse, views_public
from tabyin.reports.models import Message, Report
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.abuse]


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def routable(tehran_security: User, hq_units_with_keys: dict[str, User]) -> User:
    return tehran_security


@pytest.fixture
def instant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(abuse, "MIN_AGE_SECONDS", 0)


def url(name: str) -> str:
    with translation.override("en"):
        return reverse(f"reports:{name}")


def post_report(client: Client, token: str | None = None, **overrides: Any) -> Any:
    data = {**helpers.form(**overrides), "category": "bribery", abuse.TOKEN: token or abuse.form_token()}
    return client.post(url("new"), data)


def token_made(seconds_ago: float, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as m:
        m.setattr(signing, "time", SimpleNamespace(time=lambda: time.time() - seconds_ago))
        return abuse.form_token()


def code_of(client: Client, response: Any) -> str:
    page = client.get(response["Location"]).content.decode()
    return re.search(r'data-receipt="([\d ]+)"', page)[1]  # type: ignore[index]


# --- (1) A global budget of submissions and reporter messages per minute -----------------------------


@override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=2)
def test_submissions_past_the_minute_budget_get_429(routable: User, instant: None) -> None:
    client = Client()
    first = post_report(client)
    assert first.status_code == 303
    code = code_of(client, first)
    client.post(url("follow-up"), {"code": code})
    # A reporter's message counts against the same budget.
    sent = client.post(url("case"), {"body": "پیام اول", abuse.TOKEN: abuse.form_token()})
    assert sent.status_code == 303
    refused = post_report(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Cache-Control"] == "no-store"
    assert "Too many reports right now" in refused.content.decode()
    assert Report.objects.count() == 1
    assert client.post(url("case"), {"body": "پیام دوم", abuse.TOKEN: abuse.form_token()}).status_code == 429
    assert Message.objects.count() == 1


def test_the_budget_starts_again_the_next_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    with override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=1):
        monkeypatch.setattr(abuse, "_minute", lambda: 1000)
        assert abuse.submissions_allowed() is True
        assert abuse.submissions_allowed() is False
        monkeypatch.setattr(abuse, "_minute", lambda: 1001)
        assert abuse.submissions_allowed() is True


def test_the_429_page_is_in_persian_on_the_persian_site(routable: User, instant: None) -> None:
    with override_settings(TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE=1):
        abuse.submissions_allowed()
        data = {**helpers.form(), "category": "bribery", abuse.TOKEN: abuse.form_token()}
        response = Client().post("/reports/new/", data)
    assert response.status_code == 429
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


# --- (2) A global budget of wrong receipt codes ---------------------------------------------------------


@override_settings(TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE=3)
def test_wrong_codes_past_the_budget_pause_lookups_until_the_minute_ends(
    routable: User, instant: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(abuse, "_minute", lambda: 5000)
    client = Client()
    code = code_of(client, post_report(client))
    for i in range(3):
        response = client.post(url("follow-up"), {"code": f"{i}" * 16})
        assert response.status_code == 200
        assert "That code does not open a report." in response.content.decode()
    paused = client.post(url("follow-up"), {"code": code})  # even the right code waits
    assert paused.status_code == 429
    assert "Too many wrong codes were typed on this site in the last minute." in paused.content.decode()
    assert "tabyin_v_reporter" not in paused.cookies
    monkeypatch.setattr(abuse, "_minute", lambda: 5001)
    opened = client.post(url("follow-up"), {"code": code})
    assert opened.status_code == 303
    assert caches["default"].get("reports-abuse:lookup-failed:5000") == 3  # a number, nothing else


# --- (3) The signed form token: not younger than 3 s, not older than 2 h ------------------------------


def test_a_form_sent_within_three_seconds_is_refused_and_kept(routable: User) -> None:
    response = post_report(Client(), what="شرح کامل ماجرا که در فرم نوشته شد و نباید گم شود.")
    page = response.content.decode()
    assert response.status_code == 400
    assert "That was sent too quickly. Check what you typed and send it again." in page
    assert "شرح کامل ماجرا که در فرم نوشته شد و نباید گم شود." in page
    assert Report.objects.count() == 0


def test_a_form_older_than_two_hours_or_forged_is_refused(
    routable: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = post_report(Client(), token=token_made(2 * 3600 + 5, monkeypatch))
    assert old.status_code == 400
    assert "This form was open for more than two hours." in old.content.decode()
    forged = post_report(Client(), token="report-form:1:forged")
    assert forged.status_code == 400
    assert "This form could not be checked." in forged.content.decode()
    settled = post_report(Client(), token=token_made(10, monkeypatch))
    assert settled.status_code == 303
    assert Report.objects.count() == 1


def test_the_token_carries_no_identity() -> None:
    token = abuse.form_token()
    assert token.split(":")[0] == "report-form"
    assert abuse.form_token().split(":")[0] == token.split(":")[0]


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
        abuse.TOKEN: abuse.form_token(),
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
        abuse.TOKEN: abuse.form_token(),
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
