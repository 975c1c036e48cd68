"""The provincial officer's entry form: inputs by kind, Persian digits, every refusal in words with
what was typed kept and nothing stored, evidence upload/removal/download, submission, and the
walls around another province's data and a frozen period."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tabyin.core.models import AuditEntry
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import SubmissionState, ValueStatus
from tabyin.scorecard.models import Evidence, Period, Submission, Value
from tabyin.scorecard.review import services as services_review
from tests.scorecard.helpers import (
    PDF,
    advance,
    evaluator,
    fa,
    fill_province,
    in_persian,  # noqa: F401 - a fixture
    make_period,
    officer,
    page_text,
    shown,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_persian")]


@pytest.fixture
def period(org: None) -> Period:
    return make_period()


def url(name: str, period: Period, iso: str = "IR-23") -> str:
    return reverse(f"scorecard:{name}", kwargs={"code": period.code, "iso": iso})


def tehran(period: Period) -> Submission:
    return Submission.objects.get(period=period, province__iso_code="IR-23")


def form(**rows: dict[str, str]) -> dict[str, str]:
    """A posted form: what a browser sends for the given rows (status included)."""
    data = {"covered_population": "", "pr_staff": ""}
    for code, fields in rows.items():
        data |= {f"{code}-status": "reported"} | {f"{code}-{k}": v for k, v in fields.items()}
    return data


def step(period: Period, code: str, iso: str = "IR-23") -> str:
    return reverse("scorecard:entry-step", kwargs={"code": period.code, "iso": iso, "step": code})


def test_each_step_has_the_right_inputs_for_every_kind(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    pages = {code: client.get(step(period, code)) for code in ("M01", "M02", "M03", "M04")}
    html = {code: r.content.decode() for code, r in pages.items()}

    assert {r.status_code for r in pages.values()} == {200}
    # One main indicator a page: its two sub-indicators, nothing of the others.
    assert html["M01"].count('<fieldset class="scs-sub') == 2
    assert 'name="S01-value"' in html["M01"] and 'name="S03-value"' not in html["M01"]
    # rate: numerator, denominator or percent
    for field in ("numerator", "denominator", "value"):
        assert f'name="S02-{field}"' in html["M01"]
    # yes/no: two radios; count and duration: one value
    assert html["M01"].count('name="S01-value"') == 2
    assert 'type="radio" name="S01-value" value="1"' in html["M01"]
    assert 'name="S03-value"' in html["M02"] and 'name="S03-numerator"' not in html["M02"]
    assert 'name="S05-value"' in html["M03"]
    # rubric and computed: read-only, no input
    assert 'name="S06-value"' not in html["M03"] and 'name="S07-value"' not in html["M04"]
    assert fa("Set by the reviewers from the evidence.") in page_text(pages["M03"])
    assert fa("Computed by the platform; nothing to enter.") in page_text(pages["M04"])
    # status radios, note, evidence upload on every sub-indicator that is not computed
    assert html["M01"].count('name="S02-status"') == 3
    assert 'name="S02-note"' in html["M01"]
    assert html["M01"].count('type="file"') == 2 and html["M04"].count('type="file"') == 1
    # The denominators and "send for review" are on the overview, not on a step.
    assert 'name="covered_population"' not in html["M01"]
    text = page_text(pages["M02"])
    assert shown(fa("Step %(n)s of %(total)s", n="2", total="16")) in text
    assert fa("Save and go to %(code)s", code="M03") in text
    assert fa("Save and back to %(code)s", code="M01") in text
    assert fa("Save and send for review") not in text


def test_the_overview_has_the_denominators_the_steps_and_what_is_missing(
    period: Period, staff_client: Any
) -> None:
    response = staff_client(officer("IR-23")).get(url("entry", period))
    html, text = response.content.decode(), page_text(response)

    assert response.status_code == 200
    assert '<fieldset class="scs-sub' not in html  # no sub-indicator on the overview
    assert 'name="covered_population"' in html and 'name="pr_staff"' in html
    assert html.count('class="scs-step ') == 16
    assert step(period, "M05") in html
    missing = fa("%s: no value yet (enter it, or mark it not reported or not applicable).") % "S02"
    assert missing in text
    assert fa("Save and send for review") in text


def test_persian_digits_are_saved_as_numbers_and_only_changed_rows_are_written(
    period: Period, staff_client: Any
) -> None:
    client = staff_client(officer("IR-23"))
    data = form(S02={"value": "۸۵"}, S03={"value": "۱۲"}, S05={"value": "۱۲٫۵"}, S01={"value": "1"})
    data |= {"covered_population": "۱٬۲۰۰٬۰۰۰", "pr_staff": "۴"}

    response = client.post(url("entry", period), data)

    assert response.status_code == 302 and response["Location"] == url("entry", period)
    values = {v.indicator.code: v.value for v in Value.objects.filter(submission=tehran(period))}
    assert values == {"S01": Decimal(1), "S02": Decimal(85), "S03": Decimal(12), "S05": Decimal("12.5")}
    submission = tehran(period)
    assert (submission.covered_population, submission.pr_staff) == (1_200_000, Decimal(4))
    assert submission.state == SubmissionState.DRAFT

    # The pages show what was saved; sending it back unchanged writes nothing.
    assert 'name="S02-value" value="۸۵"' in client.get(step(period, "M01")).content.decode()
    assert 'name="S05-value" value="۱۲٫۵"' in client.get(step(period, "M03")).content.decode()
    before = AuditEntry.objects.count()
    again = {k: v.replace("۸۵", "85") for k, v in data.items()}
    client.post(url("entry", period), again)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("typed", "msgid", "params"),
    [
        (
            "0.85",
            (
                "%(label)s: %(value)s looks like a fraction. Rates are entered in percent: type %(pct)s for "
                "%(pct)s%%, or enter the numerator and the denominator."
            ),
            {"label": "S02 «زیرشاخص 2»", "value": "0.85", "pct": "85"},
        ),
        ("150", "%(label)s: %(value)s%% is more than 100%%.", {"label": "S02 «زیرشاخص 2»", "value": "150"}),
        ("هشتاد", "%(field)s: «%(raw)s» is not a number.", {"field": "S02 «زیرشاخص 2»", "raw": "هشتاد"}),
    ],
)
def test_a_refused_value_changes_nothing_and_keeps_what_was_typed(
    period: Period, staff_client: Any, typed: str, msgid: str, params: dict[str, str]
) -> None:
    client = staff_client(officer("IR-23"))
    data = form(S02={"value": typed}, S03={"value": "۱۲"}) | {"covered_population": "900000"}

    response = client.post(url("entry", period), data)

    html, text = response.content.decode(), page_text(response)
    assert response.status_code == 200
    assert fa("Nothing was saved. Please correct:") in text
    assert shown(fa(msgid, **params)) in text
    assert f'name="S02-value" value="{typed}"' in html
    assert 'name="S03-value" value="۱۲"' in html
    assert 'name="covered_population" value="900000"' in html
    assert not Value.objects.filter(submission__period=period).exists()
    assert tehran(period).covered_population is None


def test_every_message_is_shown_at_once(period: Period, staff_client: Any) -> None:
    data = form(S02={"numerator": "90", "denominator": "60"}, S03={"value": "2.5"}, S04={"value": "-3"})

    text = page_text(staff_client(officer("IR-23")).post(url("entry", period), data))

    label = "S02 «زیرشاخص 2»"
    assert (
        shown(
            fa("%s: the numerator (%s) is larger than the denominator (%s); a rate cannot pass 100%%.")
            % (label, "90", "60")
        )
        in text
    )
    assert shown(fa("%s: a count is a whole number.") % "S03 «زیرشاخص 3»") in text
    assert shown(fa("%(field)s cannot be negative.") % {"field": "S04 «زیرشاخص 4»"}) in text


def test_upload_beside_a_sub_indicator_saves_the_form_and_the_file(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    data = form(S01={"value": "1"}) | {
        "upload": "S01",
        "file-S01": SimpleUploadedFile("برنامه ۱۴۰۴.pdf", PDF, content_type="application/pdf"),
    }

    response = client.post(url("evidence-upload", period), data)

    assert response.status_code == 302 and response["Location"] == url("entry", period) + "#S01"
    evidence = Evidence.objects.get(submission=tehran(period))
    assert (evidence.indicator.code, evidence.original_name, evidence.size) == (
        "S01",
        "برنامه ۱۴۰۴.pdf",
        len(PDF),
    )
    assert Value.objects.get(submission=tehran(period)).value == Decimal(1)


def test_a_file_of_the_wrong_type_or_size_is_refused_and_nothing_is_kept(
    period: Period, staff_client: Any, settings: Any
) -> None:
    settings.TABYIN_EVIDENCE_MAX_BYTES = 1024 * 1024
    client = staff_client(officer("IR-23"))
    files_before = (
        set(default_storage.listdir("scorecard/evidence")[1])
        if default_storage.exists("scorecard/evidence")
        else set()
    )
    data = form(S02={"value": "80"}) | {
        "file-S01": SimpleUploadedFile(
            "plan.pdf", b"\x89PNG\r\n\x1a\nnot a pdf", content_type="application/pdf"
        ),
        "file-S02": SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf"),
        "file-S03": SimpleUploadedFile("ok.pdf", PDF, content_type="application/pdf"),
        "file-S04": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"),
    }

    text = page_text(client.post(url("entry", period), data))

    assert "S01: " + fa("The file's content does not match its name (%s).") % ".pdf" in text
    assert "S02: " + shown(fa("The file is larger than %d MB.") % 1) in text
    assert "S04: " + fa("Evidence must be a PDF, PNG, JPEG, XLSX, DOCX, ODT or ODS file.") in text
    assert fa("Choose the files again: a file is kept only when everything is saved.") in text
    assert not Evidence.objects.exists() and not Value.objects.exists()
    files_after = (
        set(default_storage.listdir("scorecard/evidence")[1])
        if default_storage.exists("scorecard/evidence")
        else set()
    )
    assert files_after == files_before  # the good file stored before the refusal is gone again


def test_remove_and_download_evidence(period: Period, staff_client: Any) -> None:
    user = officer("IR-23")
    evidence = services_entry.evidence_add(
        actor=user,
        submission=tehran(period),
        code="S01",
        upload=SimpleUploadedFile("نامه.pdf", PDF, content_type="application/pdf"),
    )
    client = staff_client(user)

    download = client.get(reverse("scorecard:evidence-download", kwargs={"pk": evidence.pk}))

    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''%D9%86%D8%A7%D9%85%D9%87.pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert (
        staff_client(evaluator())
        .get(reverse("scorecard:evidence-download", kwargs={"pk": evidence.pk}))
        .status_code
        == 200
    )

    removed = client.post(reverse("scorecard:evidence-delete", kwargs={"pk": evidence.pk}), form())

    assert removed.status_code == 302 and removed["Location"] == url("entry", period) + "#S01"
    assert not Evidence.objects.exists()


def test_submit_with_missing_items_saves_but_does_not_send(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))

    response = client.post(
        url("entry", period), form(S02={"value": "70"}) | {"action": "submit"}, follow=True
    )

    text = page_text(response)
    assert fa("Saved, but not sent for review yet:") in text
    assert fa("%s: evidence is required.") % "S01" not in text  # S01 has no value yet: that is said instead
    assert fa("%s: no value yet (enter it, or mark it not reported or not applicable).") % "S01" in text
    assert tehran(period).state == SubmissionState.DRAFT
    assert Value.objects.get(indicator__code="S02").value == Decimal(70)


def test_submit_when_complete_sends_for_review(period: Period, staff_client: Any) -> None:
    user = officer("IR-23")
    submission = fill_province(period, "IR-23", user, seed=3)
    services_review.submission_return(actor=evaluator(), submission=submission, comment="سند S01 خوانا نیست")
    client = staff_client(user)

    page = page_text(client.get(url("entry", period)))
    assert "سند S01 خوانا نیست" not in page  # a general comment is on the scorecard page, not per row
    response = client.post(url("entry", period), {"action": "submit"})

    assert response.status_code == 302 and response["Location"] == url("province", period)
    assert tehran(period).state == SubmissionState.SUBMITTED


def test_another_provinces_entry_is_forbidden_and_unchanged(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    isfahan = Submission.objects.get(period=period, province__iso_code="IR-04")
    evidence = services_entry.evidence_add(
        actor=officer("IR-04"), submission=isfahan, code="S01", upload=SimpleUploadedFile("a.pdf", PDF)
    )

    assert client.get(url("entry", period, "IR-04")).status_code == 403
    assert client.post(url("entry", period, "IR-04"), form(S02={"value": "90"})).status_code == 403
    assert client.post(url("evidence-upload", period, "IR-04"), form(S02={"value": "90"})).status_code == 403
    assert client.get(reverse("scorecard:evidence-download", kwargs={"pk": evidence.pk})).status_code == 403
    assert (
        client.post(reverse("scorecard:evidence-delete", kwargs={"pk": evidence.pk}), {}).status_code == 403
    )
    assert not Value.objects.exists() and Evidence.objects.count() == 1


def test_after_the_freeze_entry_is_closed_and_nothing_changes(period: Period, staff_client: Any) -> None:
    client = staff_client(officer("IR-23"))
    advance(period, "frozen")

    page = client.get(url("entry", period))
    response = client.post(url("entry", period), form(S02={"value": "90"}))

    assert fa("Data entry for this period is closed.") in page_text(page)
    assert '<fieldset class="scs-plain" disabled>' in page.content.decode()
    assert fa("Data entry for this period is closed.") in page_text(response)
    assert not Value.objects.exists()


def test_a_submission_with_the_reviewers_is_read_only(period: Period, staff_client: Any) -> None:
    user = officer("IR-23")
    fill_province(period, "IR-23", user, seed=1)
    client = staff_client(user)

    response = client.post(url("entry", period), form(S02={"value": "12"}))

    assert fa("This submission is with the reviewers; it can change only if they return it.") in page_text(
        response
    )
    assert Value.objects.get(indicator__code="S02").status == ValueStatus.REPORTED
    assert Value.objects.get(indicator__code="S02").value != Decimal(12)


def test_hq_reads_the_scorecard_page_instead(period: Period, staff_client: Any) -> None:
    response = staff_client(evaluator()).get(url("entry", period))
    assert response.status_code == 302 and response["Location"] == url("province", period)


def test_the_entry_page_makes_the_same_number_of_queries_however_much_was_entered(
    period: Period, staff_client: Any
) -> None:
    user = officer("IR-23")
    client = staff_client(user)
    # One value (an empty sheet skips the corrections' prefetch, so start from one).
    services_entry.values_save(actor=user, submission=tehran(period), rows={"S02": {"value": "50"}})
    client.get(url("entry", period))  # warm the session (the menu's work counts)
    with CaptureQueriesContext(connection) as one:
        client.get(url("entry", period))
        client.get(step(period, "M02"))
    for code in ("S02", "S03", "S04"):
        services_entry.evidence_add(
            actor=user, submission=tehran(period), code=code, upload=SimpleUploadedFile("x.pdf", PDF)
        )
    fill_province(period, "IR-23", user, seed=5)
    with CaptureQueriesContext(connection) as full:
        client.get(url("entry", period))
        client.get(step(period, "M02"))
    assert len(full) == len(one)
