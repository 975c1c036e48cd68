"""The public report pages through the Django test client: the form end to end, the receipt shown
once, follow-up with the code, the conversation, downloads, and hostile input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import Author
from tabyin.reports.intake import abuse, services_reporter
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Message, Report, ReportFile, ReportRecipient
from tests import factories
from tests.reports import helpers

pytestmark = [pytest.mark.django_db]
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Counters are per minute and per process: each test starts from zero. The form's minimum
    # age is tested on its own (test_abuse.py); here forms are posted at once.
    caches["default"].clear()
    monkeypatch.setattr(abuse, "MIN_AGE_SECONDS", 0)
    yield
    caches["default"].clear()


@pytest.fixture
def routable(tehran_security: User, hq_units_with_keys: dict[str, User]) -> User:
    return tehran_security


def url(name: str, *args: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"reports:{name}", args=args)


def post_report(
    client: Client,
    *,
    category: str = "bribery",
    files: list[tuple[str, bytes]] | None = None,
    language: str = "en",
    **overrides: Any,
) -> Any:
    data: dict[str, Any] = {
        **helpers.form(**overrides),
        "category": category,
        **helpers.passed(),
    }
    if files:
        data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(url("new", language=language), data)


def submit_and_read_code(client: Client, **kwargs: Any) -> str:
    response = post_report(client, **kwargs)
    assert response.status_code == 303, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    match = re.search(r'data-receipt="(\d{4} \d{4} \d{4} \d{4})"', page)
    assert match is not None
    return match[1].replace(" ", "")


def open_case(client: Client, code: str) -> Any:
    return client.post(url("follow-up"), {"code": code, **helpers.passed("lookup")})


# --- Information pages --------------------------------------------------------------------------


def test_index_lists_the_categories_and_the_national_channels(org: None) -> None:
    response = Client().get(url("index", language="fa"))
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert page.count('class="rp-categories"') == 1
    assert "رشوه یا درخواست پول بی‌مورد" in page
    assert "<bdi>136.ir</bdi>" in page and "۱۱۱" in page
    assert 'href="/reports/new/?category=bribery"' in page


def test_protections_page_names_article_15_and_what_is_not_recorded(org: None) -> None:
    page = Client().get(url("protections")).content.decode()
    assert "Article 15" in page
    assert "Your IP address" in page
    assert "10 years" in page and "5 years" in page  # retention, by category, from the database


# --- The form -------------------------------------------------------------------------------------


def test_without_a_category_the_form_offers_the_choice_by_get(org: None) -> None:
    response = Client().get(url("new"))
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert '<form method="get" action="/en/reports/new/"' in page
    assert page.count('name="category"') == 8


def test_a_category_shows_the_full_form_which_posts_multipart(org: None) -> None:
    page = Client().get(url("new") + "?category=bribery").content.decode()
    assert '<form method="post" action="/en/reports/new/" enctype="multipart/form-data"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="q_paid"' in page and 'name="q_method"' in page
    # Without JavaScript the conditional question is visible, with a note on when to answer it.
    assert "Answer only if your answer to “Was any money paid?” is “Yes”." in page
    assert 'data-show-if="q_paid=yes"' in page
    # No custodian keyring: confidential is not offered.
    assert 'value="confidential"' not in page
    assert 'name="website"' in page  # the honeypot
    # Script only as a progressive enhancement from this site's static files, never inline.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/tabyin/js/pwa.js" data-sw="/sw.js" defer>',
        '<script src="/static/tabyin/js/reports-form.js" defer>',
        '<script src="/static/tabyin/js/reports-pow.js" defer>',
    ]


def test_confidential_is_offered_once_custodians_have_keys(custodian: User) -> None:
    assert services_keys.custodian_keyring() is not None
    page = Client().get(url("new") + "?category=bribery").content.decode()
    assert 'value="confidential"' in page


def test_an_office_from_a_poster_preselects_province_and_place(org: None) -> None:
    page = Client().get(url("new") + "?category=other&office=ir-23").content.decode()
    assert '<option value="IR-23" selected>' in page
    assert 'value="province_office" id="f-place_kind-province_office" checked' in page
    assert 'value="Provincial directorate of Tehran"' in page


def test_posting_the_form_creates_one_report_and_shows_the_code_once(routable: User) -> None:
    client = Client()
    response = post_report(client, files=[("رسید.pdf", helpers.PDF)])
    assert response.status_code == 303
    assert response["Location"] == "/en/reports/receipt/"
    assert Report.objects.count() == 1
    report = Report.objects.get()
    assert sorted(ReportRecipient.objects.filter(report=report).values_list("unit__code", flat=True)) == [
        "hq-violations-board",
        "ir-23-security",
    ]
    assert ReportFile.objects.filter(report=report).count() == 1

    first = client.get("/reports/receipt/")  # in Persian: Persian digits, grouped 4-4-4-4
    assert first["Cache-Control"] == "no-store"
    assert first["X-Robots-Tag"] == "noindex"
    page = first.content.decode()
    code = re.search(r'data-receipt="([\d ]+)"', page)[1]  # type: ignore[index]
    groups = code.split(" ")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert "".join(f"<span>{g.translate(TO_PERSIAN)}</span>" for g in groups[:1]) in page
    assert services_reporter.receipt_open(raw_code=code) is not None

    second = client.get("/reports/receipt/")
    assert code not in second.content.decode()
    assert code.replace(" ", "") not in second.content.decode()
    assert "این کد رهگیری پیش‌تر نشان داده شده است" in second.content.decode()


def test_the_code_never_appears_in_a_url_or_a_redirect(routable: User) -> None:
    client = Client()
    response = post_report(client)
    code = re.search(r'data-receipt="([\d ]+)"', client.get(response["Location"]).content.decode())[
        1
    ].replace(" ", "")  # type: ignore[index]
    locations = [response["Location"]]
    followed = open_case(client, code)
    locations.append(followed["Location"])
    assert all(code not in location and code[:4] not in location for location in locations)
    assert followed["Location"] == "/en/reports/follow-up/case/"
    # Nor in any page after the receipt.
    assert code not in client.get(followed["Location"]).content.decode()


def test_follow_up_with_persian_digits_and_spaces_opens_the_case(routable: User) -> None:
    client = Client()
    code = submit_and_read_code(client)
    typed = " ".join(code[i : i + 4] for i in range(0, 16, 4)).translate(TO_PERSIAN)
    response = open_case(client, "  " + typed + " ")
    assert response.status_code == 303
    case = client.get(response["Location"])
    page = case.content.decode()
    assert case["Cache-Control"] == "no-store"
    assert '<dd class="rp-status rp-status-received">Received</dd>' in page
    # The protections page promises these are the only cookies: the CSRF token and the vault halves.
    assert set(client.cookies) <= {"csrftoken", "tabyin_v_receipt", "tabyin_v_reporter"}
    assert client.cookies["tabyin_v_reporter"]["httponly"] is True
    assert client.cookies["tabyin_v_reporter"]["samesite"] == "Strict"
    assert "Bribery or an improper demand for money" in page
    assert '<form method="post" action="/en/reports/follow-up/case/" enctype="multipart/form-data"' in page


@pytest.mark.abuse
def test_a_wrong_code_gets_the_neutral_message_and_is_not_echoed(routable: User) -> None:
    client = Client()
    code = submit_and_read_code(client)
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    for typed in (wrong, "12345", "abcd-efgh", "<script>alert(1)</script>"):
        response = open_case(client, typed)
        page = response.content.decode()
        assert response.status_code == 200
        assert "That code does not open a report. Check the digits and try again." in page
        assert typed not in page and "alert(1)" not in page
        assert "tabyin_v_reporter" not in response.cookies


def test_without_an_open_case_the_case_page_sends_to_follow_up(org: None) -> None:
    response = Client().get(url("case"))
    assert response.status_code == 302
    assert response["Location"] == "/en/reports/follow-up/"


def test_the_reporter_writes_reads_answers_and_downloads_files(routable: User) -> None:
    client = Client()
    code = submit_and_read_code(client, files=[("رسید.pdf", helpers.PDF)])
    open_case(client, code)
    response = client.post(
        url("case"),
        {
            "body": "پاسخ من به پرسش شما",
            **helpers.passed("message"),
            "files": [SimpleUploadedFile("عکس.png", helpers.PNG)],
        },
    )
    assert response.status_code == 303
    assert response["Location"] == "/en/reports/follow-up/case/?sent=1"
    message = Message.objects.get()
    assert message.author == Author.REPORTER
    page = client.get(response["Location"]).content.decode()
    assert "Your message was sent." in page
    assert "پاسخ من به پرسش شما" in page
    file = ReportFile.objects.get(message=message)
    download = client.get(url("case-file", file.pk))
    assert download.status_code == 200
    assert download.content == helpers.PNG
    assert download["Content-Type"] == "image/png"
    assert (
        download["Content-Disposition"]
        == f'attachment; filename="report-{file.report_id}-file-{file.pk}.png"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["Cache-Control"] == "no-store"


@pytest.mark.abuse
def test_a_file_of_another_report_is_404(routable: User) -> None:
    other = helpers.submit(files=[("a.pdf", helpers.PDF)])
    client = Client()
    code = submit_and_read_code(client)
    open_case(client, code)
    foreign = ReportFile.objects.get(report=other.report)
    assert client.get(url("case-file", foreign.pk)).status_code == 404
    assert Client().get(url("case-file", foreign.pk)).status_code == 404


@pytest.mark.abuse
def test_script_and_html_render_escaped_on_the_case_page(routable: User) -> None:
    client = Client()
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> \u202egpj.exe"
    code = submit_and_read_code(client, what=hostile + " و باقی شرح ماجرا برای طول کافی")
    open_case(client, code)
    client.post(url("case"), {"body": hostile, **helpers.passed("message")})
    access = services_reporter.receipt_open(raw_code=code)
    assert access is not None
    report = Report.objects.get()
    Message.objects.create(
        report=report, author=Author.HANDLER, body=sodium.encrypt(access.key, b"<b>bold</b> & <i>x</i>")
    )
    page = client.get(url("case")).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in page
    assert "\u202e" not in page  # the bidi override was stripped on input


def test_leaving_drops_the_open_case(routable: User) -> None:
    client = Client()
    open_case(client, submit_and_read_code(client))
    response = client.post(url("leave"))
    assert response.status_code == 303 and response["Location"] == "/en/reports/"
    assert client.get(url("case")).status_code == 302


def test_a_deleted_report_says_it_was_deleted(routable: User) -> None:
    client = Client()
    open_case(client, submit_and_read_code(client))
    Report.objects.all().delete()
    response = client.get(url("case"))
    assert response.status_code == 404
    assert "It was deleted for good at the end of its retention period" in response.content.decode()


# --- Hostile and wrong input keeps what was typed and says what to fix ------------------------------


@pytest.mark.abuse
def test_a_skipped_conditional_question_is_enforced_by_the_server(routable: User) -> None:
    # The browser skipped "how was it paid?" although the answer to "was money paid?" is yes.
    response = post_report(Client(), q_paid="yes", q_amount="۱۵۰۰۰۰۰")
    page = response.content.decode()
    assert response.status_code == 400
    assert Report.objects.count() == 0
    assert '<ul class="errorlist" id="f-q_method-err"><li>Please answer this question.</li></ul>' in page
    assert 'value="۱۵۰۰۰۰۰"' in page  # what was typed is kept
    assert 'value="yes" id="f-q_paid-yes" checked' in page
    assert "شعبهٔ ۱۲ تهران" in page


@pytest.mark.abuse
def test_every_problem_is_shown_next_to_its_field(routable: User) -> None:
    response = post_report(Client(), what="کوتاه", province="XX-99", place_name="", identity_mode="named")
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="f-what-err"><li>Describe what happened in at least 20 characters.</li>' in page
    assert 'id="f-province-err"><li>Choose the province where it happened, or headquarters.</li>' in page
    assert 'id="f-place_name-err"' in page
    assert 'id="f-identity_name-err"><li>Type your name, or choose to report anonymously.</li>' in page
    assert '<a href="#f-what">' in page  # the summary links to the field
    assert "choose your files again" not in page  # no file was chosen, so none was lost


@pytest.mark.abuse
def test_a_pdf_name_with_png_or_exe_bytes_is_refused(routable: User) -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    response = post_report(Client(), files=[("report.pdf", exe)])
    page = response.content.decode()
    assert response.status_code == 400
    assert "«report.pdf» is not a PDF, photo, audio, video or Word file (judged by its content)." in page
    assert "Files are not kept when the form comes back: choose your files again." in page
    assert Report.objects.count() == 0
    # PNG bytes under a .pdf name are a PNG: accepted as what they are, never served as a PDF.
    assert post_report(Client(), files=[("report.pdf", helpers.PNG)]).status_code == 303
    assert ReportFile.objects.get().content_type == "image/png"


@pytest.mark.abuse
@override_settings(TABYIN_REPORTS_FILE_MAX_BYTES=1024 * 1024)
def test_an_oversized_file_is_refused(routable: User) -> None:
    response = post_report(Client(), files=[("big.pdf", helpers.big_pdf(1024 * 1024 + 1))])
    assert response.status_code == 400
    assert "«big.pdf» is larger than 1 MB." in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.abuse
@override_settings(TABYIN_REPORTS_MAX_FILES=2)
def test_too_many_files_are_refused(routable: User) -> None:
    files = [(f"{i}.pdf", helpers.PDF) for i in range(3)]
    response = post_report(Client(), files=files)
    assert response.status_code == 400
    assert "Attach at most 2 files." in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.abuse
def test_unknown_office_codes_and_categories_are_harmless(routable: User) -> None:
    client = Client()
    page = client.get(url("new") + "?category=nope&office=<script>").content.decode()
    assert "Choose one of the kinds of report below." in page and "<script>" not in page
    response = post_report(client, category="nope")
    assert response.status_code == 303 and response["Location"] == "/en/reports/new/"
    assert post_report(client, concerns="mayor").status_code == 400


@pytest.mark.abuse
def test_csrf_is_still_checked_on_the_exempted_views(routable: User) -> None:
    client = Client(enforce_csrf_checks=True)
    data = {**helpers.form(), "category": "bribery", **helpers.passed()}
    assert client.post(url("new"), data).status_code == 403
    assert Report.objects.count() == 0


# --- Posters ---------------------------------------------------------------------------------------


def test_posters_list_hq_and_the_31_provinces(org: None) -> None:
    page = Client().get(url("posters")).content.decode()
    assert page.count('href="/en/reports/posters/') == 32


def test_a_poster_has_a_qr_code_for_the_form_with_the_office(org: None) -> None:
    response = Client().get(url("poster", "ir-23"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "Provincial directorate of Tehran" in page
    assert "http://testserver/en/reports/new/?office=ir-23" in page
    assert Client().get(url("poster", "ir-23-security")).status_code == 404
    assert Client().get(url("poster", "nowhere")).status_code == 404


def test_a_branch_poster_fills_in_its_province_and_name(org: None) -> None:
    factories.branch("ir-23", "ir-23-b12")
    page = Client().get(url("posters")).content.decode()
    assert 'href="/en/reports/posters/ir-23-b12/"' in page
    poster = Client().get(url("poster", "ir-23-b12")).content.decode()
    assert "http://testserver/en/reports/new/?office=ir-23-b12" in poster
    form = Client().get(url("new") + "?category=other&office=ir-23-b12").content.decode()
    assert '<option value="IR-23" selected>' in form
    assert 'value="branch" id="f-place_kind-branch" checked' in form
    assert 'value="Branch ir-23-b12"' in form


def test_the_choice_keeps_the_office_for_the_next_step(org: None) -> None:
    page = Client().get(url("new") + "?office=ir-23").content.decode()
    assert '<input type="hidden" name="office" value="ir-23">' in page
    assert "Report about: Provincial directorate of Tehran" in page
