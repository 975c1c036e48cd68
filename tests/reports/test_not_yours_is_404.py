"""Issue 15.6b: staff get one answer, 404, for "no such report" and "not yours", on every URL that
carries a report number; otherwise the status code tells a curious colleague or an administrator
which report numbers exist (and so how many reports arrive, and when)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.reports.models import Report, ReportFile
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers
from tests.reports.test_case_services import CANARY, report_for_tehran

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _urls(pk: int, file_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("reports:case", args=[pk])),
        ("post", reverse("reports:case-action", args=[pk])),
        ("get", reverse("reports:staff-file", args=[pk, file_id])),
        ("get", reverse("reports:identity-request", args=[pk])),
        ("post", reverse("reports:identity-request", args=[pk])),
    ]


def _answers(client: Client, pk: int, file_id: int) -> list[int]:
    data = {"action": "hold", "hold-on": "on", "hold-reason": "x", "identity-reason": "x"}
    return [getattr(client, method)(url, data).status_code for method, url in _urls(pk, file_id)]


def _unlocked_client(user: User) -> Client:
    client = verified_client(user)
    client.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    return client


@pytest.mark.parametrize(
    ("username", "unit_code"), [("t.insp", "ir-23-inspection"), ("g.sec", "ir-01-security")]
)
def test_another_units_handler_cannot_tell_a_report_from_a_missing_one(
    tehran_security: User, username: str, unit_code: str
) -> None:
    report, _code = report_for_tehran(files=[("evidence.pdf", helpers.PDF)])
    file_id = ReportFile.objects.get().pk
    other = factories.persona(username, unit_code, Role.CASE_HANDLER)
    helpers.keys_for(other)
    client = _unlocked_client(other)
    missing = Report.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    assert _answers(client, report.pk, file_id) == [404] * 5
    assert _answers(client, missing, file_id) == [404] * 5
    page = client.get(reverse("reports:case", args=[report.pk])).content.decode()
    assert CANARY not in page
    assert Report.objects.get().legal_hold is False


def test_an_administrator_and_a_custodian_get_404_for_any_report_number(
    tehran_security: User, hq_admin: User, custodian: User
) -> None:
    report, _code = report_for_tehran(files=[("evidence.pdf", helpers.PDF)])
    file_id = ReportFile.objects.get().pk
    for user in (hq_admin, custodian):
        client = verified_client(user)
        assert _answers(client, report.pk, file_id) == [404] * 5, user.username
        assert _answers(client, report.pk + 1000, file_id) == [404] * 5, user.username


def test_the_receiving_unit_still_reads_its_report(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    client = _unlocked_client(tehran_security)
    assert client.get(reverse("reports:case", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:case", args=[report.pk + 1000])).status_code == 404
