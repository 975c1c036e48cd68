"""The briefs' staff pages: who may read and build them, the brief as sent with a policy that lets
its own inline stylesheet through, the PDF download."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import AuditEntry, User
from tabyin.monitor.models import Brief
from tests import factories
from tests.conftest import verified_client
from tests.monitor.test_brief_content import DAY, at

pytestmark = pytest.mark.django_db

HTML = (
    '<!doctype html><html lang="fa" dir="rtl"><head><style>body { color: #111; }</style></head>'
    "<body>بریف</body></html>"
)


@pytest.fixture
def briefs(org: None) -> list[Brief]:
    sent = {"sent_at": at(1, "07:01"), "recipients": 3}
    return [
        Brief.objects.create(day=DAY, html=HTML, pdf=b"%PDF-1.7 brief", created_at=at(1, "07:00"), **sent),
        Brief.objects.create(day=date(2025, 12, 4), html="x", pdf=b"%PDF-old", created_at=at(0, "07:00")),
    ]


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


def test_a_manager_reads_the_list(briefs: list[Brief], manager: User) -> None:
    response = verified_client(manager).get(reverse("monitor:briefs"))

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<tr data-day="') == 2
    assert body.index('data-day="2025-12-05"') < body.index('data-day="2025-12-04"')
    assert 'href="/staff/monitor/briefs/2025-12-05/"' in body
    assert 'href="/staff/monitor/briefs/2025-12-05/pdf/"' in body
    assert "۱۴ آذر ۱۴۰۴" in body
    assert 'data-testid="build"' in body


def test_the_brief_page_is_the_html_as_sent(briefs: list[Brief], hq_analyst: User) -> None:
    response = verified_client(hq_analyst).get(reverse("monitor:brief", args=["2025-12-05"]))

    assert response.status_code == 200
    assert response.content.decode() == HTML
    digest = base64.b64encode(hashlib.sha256(b"body { color: #111; }").digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in policy
    assert "script-src 'none'" in policy
    assert "'unsafe-inline'" not in policy


def test_the_pdf_is_a_download_with_an_ascii_name(briefs: list[Brief], manager: User) -> None:
    response = verified_client(manager).get(reverse("monitor:brief-pdf", args=["2025-12-05"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="tabyin-brief-2025-12-05.pdf"'
    assert response.content == b"%PDF-1.7 brief"


@pytest.mark.parametrize("path", ["2025-12-06/", "2025-12-06/pdf/", "2025-13-40/", "1404-09-14/pdf/"])
def test_a_day_without_a_brief_is_not_found(briefs: list[Brief], manager: User, path: str) -> None:
    assert verified_client(manager).get(f"/staff/monitor/briefs/{path}").status_code == 404


def test_an_analyst_builds_todays_brief_now(org: None, hq_analyst: User) -> None:
    with time_machine.travel(at(0, "10:50"), tick=False):
        response = verified_client(hq_analyst).post(reverse("monitor:brief-build"))

    brief = Brief.objects.get()
    assert (brief.day, brief.created_at, brief.sent_at) == (DAY, at(0, "10:50"), None)
    assert response.status_code == 302
    assert response["Location"] == "/staff/monitor/briefs/2025-12-05/"
    entry = AuditEntry.objects.get(object_type="monitor.brief")
    assert (entry.actor, entry.action, entry.object_id) == (hq_analyst, AuditAction.CREATE, str(brief.pk))


def test_building_is_a_post(org: None, manager: User) -> None:
    assert verified_client(manager).get(reverse("monitor:brief-build")).status_code == 405
    assert Brief.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [("briefs", [], "get"), ("brief", ["2025-12-05"], "get"), ("brief-pdf", ["2025-12-05"], "get"),
     ("brief-build", [], "post")],
)  # fmt: skip
def test_a_provincial_officer_is_refused(
    briefs: list[Brief], tehran_officer: User, name: str, args: list[str], method: str
) -> None:
    response = getattr(verified_client(tehran_officer), method)(reverse(f"monitor:{name}", args=args))

    assert response.status_code == 403
    assert Brief.objects.count() == 2


def test_an_administrator_reads_but_does_not_build(briefs: list[Brief], hq_admin: User) -> None:
    client = verified_client(hq_admin)

    list_page = client.get(reverse("monitor:briefs"))
    assert list_page.status_code == 200
    assert 'data-testid="build"' not in list_page.content.decode()
    assert client.post(reverse("monitor:brief-build")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(briefs: list[Brief], client: Any) -> None:
    response = client.get(reverse("monitor:brief", args=["2025-12-05"]))

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=%2Fstaff%2Fmonitor%2Fbriefs%2F2025-12-05%2F"
