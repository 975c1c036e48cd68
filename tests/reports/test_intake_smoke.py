"""End to end through the services: submit, route, encrypt, read back as the unit and the reporter."""

from __future__ import annotations

import pytest

from tabyin.core.models import User
from tabyin.reports.crypto import sodium
from tabyin.reports.intake import services_reporter
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Report, ReportRecipient
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_a_bribery_report_reaches_tehran_security_and_opens_with_its_key(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    submitted = helpers.submit(files=[("رسید.pdf", helpers.PDF)])

    report = Report.objects.get()
    recipients = list(ReportRecipient.objects.filter(report=report).values_list("unit__code", "route_note"))
    # The rule's provincial violations board has no keys yet: HQ's board receives in its place.
    assert sorted(code for code, _ in recipients) == ["hq-violations-board", "ir-23-security"]
    unlocked = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    recipient = ReportRecipient.objects.get(unit__code="ir-23-security")
    unit_key = services_keys.keyring_private(
        user=tehran_security, unlocked=unlocked, keyring=recipient.keyring
    )
    content_key = sodium.unseal(unit_key, recipient.sealed_content_key)
    content = sodium.decrypt_json(content_key, report.content)
    assert content["what"].startswith("کارمند باجه")
    assert content["answers"] == {"paid": "no"}
    access = services_reporter.receipt_open(
        raw_code=" ".join(submitted.code[i : i + 4] for i in (0, 4, 8, 12))
    )
    assert access is not None and access.report_id == report.pk and access.key == content_key
    case = services_reporter.reporter_case(access=access)
    assert case.status == "received"
    assert [f.label for said in case.messages for f in said.files] == ["رسید.pdf"]


def test_a_wrong_code_opens_nothing(tehran_security: User, hq_units_with_keys: dict[str, User]) -> None:
    submitted = helpers.submit()
    wrong = ("1" if submitted.code[0] != "1" else "2") + submitted.code[1:]
    assert services_reporter.receipt_open(raw_code=wrong) is None
    persian = submitted.code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert services_reporter.receipt_open(raw_code=persian) is not None
