"""The public pages over HTTP: the receipt code never in a URL and shown once, follow-up by POST
only, private headers, files as inert attachments, spam limits, and no client trace anywhere.

Written against the URL names of the conventions (reports:new, receipt, follow-up, case,
case-file, leave) and the field names of forms.py / abuse.py.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signing
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tabyin.core.models import User
from tabyin.reports.crypto import receipts, sodium, vault
from tabyin.reports.intake import abuse, services_receipts, services_reporter
from tabyin.reports.models import Message, Report, ReportFile
from tests.reports import helpers
from tests.reports.test_protection_canary import (
    ADDRESS,
    AGENT,
    FORWARDED,
    HEADERS,
    canaries,
    code_needles,
    database_hits,
    file_hits,
    log_hits,
    needles,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english", "keys", "fresh_counters")]


@pytest.fixture
def keys(tehran_security: User, hq_units_with_keys: dict[str, User]) -> None:
    return None


@pytest.fixture
def fresh_counters() -> Iterator[None]:
    """The abuse counters are per minute for the whole site: start each test from zero."""
    caches["default"].clear()
    yield
    caches["default"].clear()


class _Aged(signing.TimestampSigner):
    """A form token issued a minute ago, as when a person has filled the form in."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 60)


def aged_token(purpose: str = "report") -> str:
    """Without a solved challenge (JavaScript off): honoured once the no-JavaScript wait is over."""
    return _Aged(salt=abuse._SIGNER_SALT).sign(f"{purpose}.{secrets.token_hex(16)}.8")


def post_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"category": "bribery", abuse.TOKEN: aged_token(), abuse.HONEYPOT: ""}
    data.update(helpers.form())
    data.update(overrides)
    return data


def pdf(name: str = "رسید.pdf", data: bytes = helpers.PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def send(client: Client, **overrides: Any) -> HttpResponse:
    return client.post(reverse("reports:new"), post_data(**overrides), **HEADERS)


def receipt_code(client: Client) -> str:
    page = client.get(reverse("reports:receipt"), **HEADERS).content.decode()
    found = re.search(r'data-receipt="([0-9 ]{19})"', page)
    assert found is not None, "the receipt page shows no code"
    return found[1].replace(" ", "")


def private(response: HttpResponse, *, form: bool = False) -> None:
    """Never cached; nothing told to another site. A page holding a POST form may say
    "same-origin": with "no-referrer" browsers send "Origin: null" and the CSRF check fails."""
    assert response.headers["Cache-Control"] == "no-store"
    allowed = {"no-referrer", "same-origin"} if form else {"no-referrer"}
    assert response.headers["Referrer-Policy"] in allowed


def everything_about(response: HttpResponse) -> str:
    """Status line, every header and every cookie of a response, as text."""
    cookies = "; ".join(f"{k}={m.value}" for k, m in response.cookies.items())
    return f"{response.status_code} {dict(response.headers.items())} {cookies}"


# --- the receipt --------------------------------------------------------------------------------


def test_a_submission_redirects_without_the_code_and_shows_it_once() -> None:
    client = Client()
    form = client.get(reverse("reports:new") + "?category=bribery", **HEADERS)
    assert form.status_code == 200
    private(form, form=True)
    sent = send(client, files=[pdf()])
    assert sent.status_code == 303
    assert sent.headers["Location"] == reverse("reports:receipt")
    private(sent)
    report = Report.objects.get()

    shown = client.get(reverse("reports:receipt"), **HEADERS)
    private(shown)
    page = shown.content.decode()
    code = re.search(r'data-receipt="([0-9 ]{19})"', page)
    assert code is not None
    digits = code[1].replace(" ", "")
    assert report.receipt_index == receipts.index(services_receipts.stretch(digits))
    persian = receipts.display(digits).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    groups = zip(receipts.display(digits).split(" "), persian.split(" "), strict=True)
    assert all(f"<span>{a}</span>" in page or f"<span>{p}</span>" in page for a, p in groups)
    for response in (form, sent, shown):
        assert digits not in everything_about(response)
        assert receipts.display(digits) not in everything_about(response)

    again = client.get(reverse("reports:receipt"), **HEADERS)
    private(again)
    assert digits not in again.content.decode()
    assert receipts.display(digits) not in again.content.decode()
    assert "This receipt has already been shown" in again.content.decode()


@pytest.mark.abuse
def test_a_replayed_receipt_cookie_shows_nothing() -> None:
    """The cookie copied before the page was shown (another tab, a proxy) opens nothing afterwards."""
    client = Client()
    send(client)
    stolen = client.cookies[vault.COOKIE_PREFIX + vault.RECEIPT.name].value
    receipt_code(client)
    thief = Client()
    thief.cookies[vault.COOKIE_PREFIX + vault.RECEIPT.name] = stolen
    assert "data-receipt" not in thief.get(reverse("reports:receipt")).content.decode()


@pytest.mark.abuse
@pytest.mark.parametrize("cookie", ["", "zz", "00" * 48, "00" * 47])
def test_a_forged_receipt_cookie_shows_nothing(cookie: str) -> None:
    client = Client()
    client.cookies[vault.COOKIE_PREFIX + vault.RECEIPT.name] = cookie
    response = client.get(reverse("reports:receipt"))
    assert response.status_code == 200 and "data-receipt" not in response.content.decode()


# --- follow-up ------------------------------------------------------------------------------------


def test_follow_up_by_post_opens_the_case_without_the_code_in_any_url() -> None:
    client = Client()
    send(client, files=[pdf()])
    code = receipt_code(client)
    reader = Client()
    opened = reader.post(
        reverse("reports:follow-up"), {"code": receipts.display(code), **helpers.passed("lookup")}, **HEADERS
    )
    assert opened.status_code == 303 and opened.headers["Location"] == reverse("reports:case")
    private(opened)
    case = reader.get(reverse("reports:case"), **HEADERS)
    assert case.status_code == 200
    private(case, form=True)
    for response in (opened, case):
        assert code not in everything_about(response)
    assert code not in case.content.decode() and receipts.display(code) not in case.content.decode()
    assert "رسید.pdf" in case.content.decode()


@pytest.mark.abuse
def test_a_code_in_the_query_string_opens_nothing() -> None:
    client = Client()
    send(client)
    code = receipt_code(client)
    reader = Client()
    for url in (reverse("reports:follow-up"), reverse("reports:case")):
        response = reader.get(f"{url}?code={code}", **HEADERS)
        assert response.status_code in (200, 302)
        assert vault.COOKIE_PREFIX + vault.REPORTER.name not in response.cookies
    assert reader.get(reverse("reports:case")).status_code == 302  # back to the follow-up form


@pytest.mark.abuse
@pytest.mark.parametrize("typed", ["0000 0000 0000 0000", "123", "<script>alert(1)</script>", "' OR 1=1 --"])
def test_a_wrong_or_malformed_code_gets_the_same_answer_and_is_not_echoed(typed: str) -> None:
    client = Client()
    response = client.post(
        reverse("reports:follow-up"), {"code": typed, **helpers.passed("lookup")}, **HEADERS
    )
    assert response.status_code == 200
    private(response, form=True)
    page = response.content.decode()
    assert "That code does not open a report. Check the digits and try again." in page
    # The hidden inputs carry random hex (CSRF token, proof-of-work nonce) that may hold "123" by
    # chance; what must not come back is the typed code, in the field or anywhere a person sees.
    shown = re.sub(r'<input type="hidden"[^>]*>', "", page)
    assert re.search(r'<input type="text" name="code"[^>]* value="">', page)
    assert typed not in shown and "&lt;script&gt;" not in page
    assert vault.COOKIE_PREFIX + vault.REPORTER.name not in response.cookies


@pytest.mark.abuse
def test_wrong_codes_without_a_challenge_are_throttled_without_storing_anyone(settings: Any) -> None:
    """Only the no-JavaScript path has a site-wide budget; a solved challenge is never paused."""
    settings.TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE = 3
    client = Client()
    send(client)
    code = receipt_code(client)
    wrong = {"code": "1111 1111 1111 1111", abuse.TOKEN: ""}
    statuses = [
        Client()
        .post(reverse("reports:follow-up"), {**wrong, abuse.TOKEN: aged_token("lookup")}, **HEADERS)
        .status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    paused = Client().post(
        reverse("reports:follow-up"), {"code": code, abuse.TOKEN: aged_token("lookup")}, **HEADERS
    )
    assert paused.status_code == 429 and paused.headers["Retry-After"] == "60"
    solved = Client().post(
        reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")}, **HEADERS
    )
    assert solved.status_code == 303
    wanted = [w.encode() for w in (ADDRESS, AGENT, FORWARDED)]
    assert database_hits(wanted) == [] and file_hits(wanted) == []


@pytest.mark.abuse
def test_leaving_is_post_only_and_ends_the_case_session() -> None:
    client = Client()
    send(client)
    code = receipt_code(client)
    client.post(reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")})
    assert client.get(reverse("reports:case")).status_code == 200
    assert client.get(reverse("reports:leave")).status_code == 405
    assert client.post(reverse("reports:leave")).status_code == 303
    assert client.get(reverse("reports:case")).status_code == 302


# --- files ---------------------------------------------------------------------------------------


@pytest.mark.abuse
@pytest.mark.parametrize(
    "name", ["evil\u202efdp.exe", "<img src=x onerror=alert(1)>.pdf", '"; filename="x.html']
)
def test_files_download_as_attachments_under_our_own_name(name: str) -> None:
    client = Client()
    send(client, files=[pdf(name, helpers.PDF + b"<script>alert(1)</script>")])
    code = receipt_code(client)
    client.post(reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")})
    found = ReportFile.objects.get()
    page = client.get(reverse("reports:case")).content.decode()
    assert "<img src=x" not in page and "\u202e" not in page
    response = client.get(reverse("reports:case-file", args=[found.pk]), **HEADERS)
    assert response.status_code == 200
    private(response)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="report-{found.report_id}-file-{found.pk}.pdf"'
    )
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.content == helpers.PDF + b"<script>alert(1)</script>"


@pytest.mark.abuse
def test_another_report_s_file_is_not_found() -> None:
    first, second = Client(), Client()
    send(first, files=[pdf()])
    send(second, files=[pdf()])
    code = receipt_code(first)
    first.post(reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")})
    mine = ReportFile.objects.order_by("pk")[0]
    theirs = ReportFile.objects.order_by("pk")[1]
    assert first.get(reverse("reports:case-file", args=[mine.pk])).status_code == 200
    assert first.get(reverse("reports:case-file", args=[theirs.pk])).status_code == 404
    assert Client().get(reverse("reports:case-file", args=[mine.pk])).status_code == 404


# --- spam and abuse limits ------------------------------------------------------------------------


@pytest.mark.abuse
@pytest.mark.parametrize(
    "overrides",
    [
        {abuse.HONEYPOT: "http://spam.example"},
        {abuse.TOKEN: ""},
        {abuse.TOKEN: "report-form:forged:signature"},
        {abuse.TOKEN: "fresh"},
        {abuse.TOKEN: "other-salt"},
    ],
    ids=["honeypot", "no-token", "forged-token", "too-quick", "other-salt"],
)
def test_bots_are_refused_and_nothing_is_stored(overrides: dict[str, str]) -> None:
    made = {
        "fresh": abuse.issue("report"),  # sent at once, challenge unsolved
        "other-salt": _Aged(salt="another").sign(f"report.{secrets.token_hex(16)}.8"),
    }
    token = overrides.get(abuse.TOKEN)
    if token in made:
        overrides = overrides | {abuse.TOKEN: made[token]}
    response = send(Client(), files=[pdf()], **overrides)
    assert response.status_code == 400
    private(response, form=True)
    assert not Report.objects.exists() and not ReportFile.objects.exists()


@pytest.mark.abuse
def test_an_expired_form_token_is_refused() -> None:
    class Old(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - abuse.MAX_AGE_SECONDS - 5)

    response = send(Client(), **{abuse.TOKEN: Old(salt=abuse._SIGNER_SALT).sign(f"report.{'0' * 32}.8")})
    assert response.status_code == 400
    assert "more than two hours" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.abuse
def test_a_declared_body_over_the_cap_is_refused_before_reading(settings: Any) -> None:
    response = Client().post(
        reverse("reports:new"), post_data(), CONTENT_LENGTH=str(abuse.body_limit() + 1), **HEADERS
    )
    assert response.status_code == 413
    private(response)
    assert not Report.objects.exists()


@pytest.mark.abuse
def test_submissions_over_the_site_budget_get_busy(settings: Any) -> None:
    settings.TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE = 2
    statuses = [send(Client()).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert Report.objects.count() == 2


@pytest.mark.abuse
@pytest.mark.parametrize(
    "overrides",
    [
        {"province": "IR-99", "what": "<script>alert('x')</script>"},
        {"province": "IR-99", "what": '=HYPERLINK("http://x")', "who": "<b onmouseover=alert(1)>x</b>"},
        {
            "province": "IR-99",
            "place_name": "\u202e<svg onload=alert(1)>",
            "what": "\u202e<svg onload=alert(1)>",
        },
    ],
)
def test_a_refused_form_comes_back_with_what_was_typed_escaped(overrides: dict[str, str]) -> None:
    response = send(Client(), **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    for typed in overrides.values():
        assert "<" not in typed or typed not in page
    assert "<script>alert" not in page and "<svg onload" not in page and "<b onmouseover" not in page
    assert not Report.objects.exists()


@pytest.mark.abuse
def test_a_refused_file_stores_nothing() -> None:
    response = send(Client(), files=[pdf("x.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert response.status_code == 400
    assert not Report.objects.exists() and not ReportFile.objects.exists()


@pytest.mark.abuse
def test_a_reporter_message_is_escaped_and_needs_a_token() -> None:
    client = Client()
    send(client)
    client.post(reverse("reports:follow-up"), {"code": receipt_code(client), **helpers.passed("lookup")})
    no_token = client.post(reverse("reports:case"), {"body": "سلام"})
    assert no_token.status_code == 400 and not Message.objects.exists()
    hostile = "<script>alert(1)</script>\u202e"
    sent = client.post(
        reverse("reports:case"), {"body": hostile, abuse.TOKEN: aged_token("message"), abuse.HONEYPOT: ""}
    )
    assert sent.status_code == 303 and sent.headers["Location"] == reverse("reports:case") + "?sent=1"
    page = client.get(sent.headers["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "\u202e" not in page


# --- no client trace, end to end ----------------------------------------------------------------


def _pepper() -> str:
    from django.conf import settings

    return str(settings.TABYIN_RECEIPT_PEPPER)


@pytest.mark.abuse
def test_a_whole_visit_leaves_no_address_agent_code_or_canary(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Form, submission, receipt, follow-up, a message, a file, a 404 and a 500, with every logger at
    DEBUG: the client's address, user agent, forwarded address, the receipt code and the canary are
    in no log record, no table, no file."""
    latin, persian = canaries()
    changed = []
    for name in ("django.request", "django.server", "django.security", "django", "tabyin"):
        logger = logging.getLogger(name)
        changed.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        client = Client(raise_request_exception=False)
        client.get(reverse("reports:new") + "?category=bribery", **HEADERS)
        send(client, what=f"گزارش آزمایشی {latin} {persian}", files=[pdf(f"{latin}.pdf")])
        code = receipt_code(client)
        client.post(reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")}, **HEADERS)
        client.post(
            reverse("reports:case"),
            {"body": f"پیام {latin}", abuse.TOKEN: aged_token("message"), abuse.HONEYPOT: ""},
            **HEADERS,
        )
        client.get(reverse("reports:case-file", args=[ReportFile.objects.get().pk]), **HEADERS)
        client.post(
            reverse("reports:follow-up"),
            {"code": "0000 0000 0000 0001", **helpers.passed("lookup")},
            **HEADERS,
        )
        assert client.get(reverse("reports:new") + "nothing-here/", **HEADERS).status_code == 404

        def broken(**kwargs: Any) -> None:
            raise RuntimeError("the case could not be read")

        monkeypatch.setattr(services_reporter, "reporter_case", broken)
        client.post(reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")}, **HEADERS)
        assert client.get(reverse("reports:case"), **HEADERS).status_code == 500
    finally:
        for logger, level in changed:
            logger.setLevel(level)
    assert any(r.levelno >= logging.WARNING and r.name == "django.request" for r in caplog.records)
    words = [ADDRESS, AGENT, FORWARDED, code, receipts.display(code), latin, persian]
    assert log_hits(caplog.records, words) == []
    wanted = [w.encode() for w in (ADDRESS, AGENT, FORWARDED)] + code_needles(code)
    wanted += needles(latin) + needles(persian)
    assert database_hits(wanted) == []
    assert file_hits(wanted) == []
    if connection.vendor == "sqlite":
        from tests.reports.test_protection_canary import sqlite_image

        assert [n for n in wanted if n in sqlite_image()] == []


@pytest.mark.parametrize("name", ["reports:index", "reports:protections"])
def test_information_pages_tell_no_other_site_where_readers_came_from(name: str) -> None:
    response = Client().get(reverse(name), **HEADERS)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.abuse
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("name", ["reports:follow-up", "reports:case", "reports:new", "reports:receipt"])
def test_only_get_and_post_reach_the_report_pages(name: str, method: str) -> None:
    assert getattr(Client(), method)(reverse(name), **HEADERS).status_code == 405


@pytest.mark.parametrize("where", ["follow-up", "new"])
def test_an_error_report_carries_no_code_and_no_report_text(
    where: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Django's error e-mails (AdminEmailHandler) or an error tracker would send: the POST
    body and the local variables of every frame. Nothing configures one today; adding one must
    not leak the receipt code or what the reporter wrote."""
    from django.views.debug import ExceptionReporter

    latin, _ = canaries()
    client = Client(raise_request_exception=False)
    send(client)
    code = receipt_code(client)

    def broken(*args: Any, **kwargs: Any) -> Any:  # given the peppered HMAC only, never the code
        raise RuntimeError("the hash could not be computed")

    monkeypatch.setattr(sodium, "derive", broken)
    caplog.set_level(logging.ERROR, logger="django.request")
    if where == "follow-up":
        response = client.post(reverse("reports:follow-up"), {"code": code, **helpers.passed("lookup")})
    else:
        response = send(client, what=f"گزارش آزمایشی {latin} برای خطا")
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is not None
    reporter = ExceptionReporter(record.request, *record.exc_info, is_email=True)  # type: ignore[attr-defined]
    text = reporter.get_traceback_text() + reporter.get_traceback_html()
    pepper = _pepper()
    assert [w for w in (code, receipts.display(code), latin, pepper) if w in text] == []
