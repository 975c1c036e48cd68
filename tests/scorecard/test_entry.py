"""A province's data entry and HQ's review through services_entry: all-or-nothing saves with every
problem reported at once, audit rows with before and after, the submission's states, the
denominators, the required items, HQ's corrections as rows of their own; and evidence files
(told apart by their content, not their name; stored under random names; removed after commit)."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tabyin.core.models import AuditEntry, User
from tabyin.scorecard.entry import services as entry
from tabyin.scorecard.enums import SubmissionState, ValueStatus
from tabyin.scorecard.models import (
    Correction,
    Evidence,
    IndicatorScore,
    Period,
    ReviewComment,
    Submission,
    Value,
)
from tabyin.scorecard.periods import services as services_period
from tabyin.scorecard.review import services as review
from tests.scorecard.helpers import evaluator, fill_province, make_period

pytestmark = pytest.mark.usefixtures("in_english")

TEHRAN_TZ = ZoneInfo("Asia/Tehran")


def label(n: int) -> str:
    return f"S{n:02d} «زیرشاخص {n}»"


def messages(call: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


def audits(model: str, obj_id: int | None = None) -> list[AuditEntry]:
    rows = AuditEntry.objects.filter(object_type=f"scorecard.{model}")
    if obj_id is not None:
        rows = rows.filter(object_id=str(obj_id))
    return list(rows.order_by("id"))


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def period(org: None) -> Period:
    return make_period("1404")


@pytest.fixture
def tehran(period: Period) -> Submission:
    return Submission.objects.select_related("period", "province").get(period=period, province__code="ir-23")


@pytest.fixture
def hq(org: None) -> User:
    return evaluator()


# --- values ------------------------------------------------------------------------------------


def test_values_save_is_all_or_nothing_and_reports_every_problem(
    tehran_officer: User, tehran: Submission
) -> None:
    rows = {
        "S05": {"value": "24"},  # valid, and still not saved
        "S02": {"value": "0.85"},
        "S03": {"value": "2.5"},
        "S01": {"value": "شاید"},
        "S99": {"value": "1"},
        "M01": {"value": "1"},
        "S07": {"value": "50"},
        "S06": {"value": "3"},
    }
    assert messages(lambda: entry.values_save(actor=tehran_officer, submission=tehran, rows=rows)) == [
        (
            f"{label(2)}: 0.85 looks like a fraction. Rates are entered in percent: type 85 for 85%, or "
            "enter the numerator and the denominator."
        ),
        f"{label(3)}: a count is a whole number.",
        f"{label(1)}: answer yes or no.",
        "Unknown sub-indicator S99.",
        "Unknown sub-indicator M01.",
        "S07 is computed by the platform and cannot be entered.",
        f"{label(6)}: the level is set by the HQ reviewers from the evidence.",
    ]
    assert not Value.objects.exists()
    assert audits("value") == []
    tehran.refresh_from_db()
    assert tehran.state == SubmissionState.NOT_STARTED


def test_values_save_stores_and_audits_before_and_after(tehran_officer: User, tehran: Submission) -> None:
    rows = {
        "S02": {"numerator": "۴۵", "denominator": "۶۰", "note": "از سامانه"},
        "S03": {"value": "۱۲۰"},
        "S05": {"status": "not_applicable", "value": "ignored"},
    }
    assert entry.values_save(actor=tehran_officer, submission=tehran, rows=rows) == 3
    got = {v.indicator.code: v for v in Value.objects.select_related("indicator")}
    assert (got["S02"].numerator, got["S02"].denominator, got["S02"].value) == (45, 60, Decimal("75"))
    assert got["S02"].note == "از سامانه"
    assert (got["S03"].status, got["S03"].value) == (ValueStatus.REPORTED, 120)
    assert (got["S05"].status, got["S05"].value) == (ValueStatus.NOT_APPLICABLE, None)
    assert all(v.updated_by == tehran_officer for v in got.values())
    created = audits("value")
    assert [(a.action, a.actor_username, a.unit_id, a.province_id) for a in created] == [
        ("create", "tehran.officer", tehran.province_id, tehran.province_id)
    ] * 3
    assert created[1].before == {}
    assert created[1].after == {"status": "reported", "numerator": None, "denominator": None, "value": "120"}

    entry.values_save(actor=tehran_officer, submission=tehran, rows={"S03": {"value": "150"}})
    update = audits("value", got["S03"].pk)[-1]
    assert update.action == "update"
    assert set(update.before) == set(update.after) == {"value"}
    assert (Decimal(update.before["value"]), Decimal(update.after["value"])) == (120, 150)
    assert Value.objects.get(pk=got["S03"].pk).value == 150


def test_saving_the_same_value_again_changes_nothing(tehran_officer: User, tehran: Submission) -> None:
    entry.values_save(actor=tehran_officer, submission=tehran, rows={"S03": {"value": "120"}})
    before = AuditEntry.objects.count()
    assert entry.values_save(actor=tehran_officer, submission=tehran, rows={"S03": {"value": "۱۲۰"}}) == 0
    assert AuditEntry.objects.count() == before


def test_a_province_cannot_mark_a_rubric_not_applicable(tehran_officer: User, tehran: Submission) -> None:
    with pytest.raises(ValidationError):
        entry.values_save(actor=tehran_officer, submission=tehran, rows={"S06": {"status": "not_applicable"}})


# --- denominators ------------------------------------------------------------------------------


def test_denominators_with_persian_digits_are_stored_and_audited(
    tehran_officer: User, tehran: Submission
) -> None:
    entry.denominators_save(
        actor=tehran_officer, submission=tehran, covered_population="۱٬۲۵۰٬۰۰۰", pr_staff="۳٫۵"
    )
    tehran.refresh_from_db()
    assert (tehran.covered_population, tehran.pr_staff, tehran.state) == (1_250_000, Decimal("3.5"), "draft")
    (row,) = audits("submission", tehran.pk)
    assert row.after == {"covered_population": 1_250_000, "pr_staff": "3.5"}
    assert row.before["covered_population"] is None


@pytest.mark.parametrize(
    ("population", "staff", "message"),
    [
        ("0", "3", "Covered population is a whole number above zero."),
        ("-5", "3", "Covered population is a whole number above zero."),
        ("1200.5", "3", "Covered population is a whole number above zero."),
        ("abc", "3", "Covered population: «abc» is not a number."),
        ("1000", "0", "PR staff (full-time equivalent) must be above zero and at most 10,000."),
        ("1000", "20000", "PR staff (full-time equivalent) must be above zero and at most 10,000."),
        ("1000", "چند", "PR staff: «چند» is not a number."),
    ],
)
def test_bad_denominators_change_nothing(
    tehran_officer: User, tehran: Submission, population: str, staff: str, message: str
) -> None:
    call = lambda: entry.denominators_save(  # noqa: E731
        actor=tehran_officer, submission=tehran, covered_population=population, pr_staff=staff
    )
    assert messages(call) == [message]
    tehran.refresh_from_db()
    assert (tehran.covered_population, tehran.pr_staff, tehran.state) == (None, None, "not_started")
    assert audits("submission", tehran.pk) == []


def test_too_many_pr_staff_is_refused_with_a_message_that_says_so(
    tehran_officer: User, tehran: Submission
) -> None:
    call = lambda: entry.denominators_save(  # noqa: E731
        actor=tehran_officer, submission=tehran, covered_population="1000", pr_staff="20000"
    )
    assert messages(call) != ["PR staff (full-time equivalent) must be above zero."]


# --- what is missing, submitting ---------------------------------------------------------------


def test_missing_items_name_what_stops_the_submission(tehran_officer: User, tehran: Submission) -> None:
    missing = entry.missing_items(tehran)
    assert missing[:5] == [
        "S01: no value yet (enter it, or mark it not reported or not applicable).",
        "S02: no value yet (enter it, or mark it not reported or not applicable).",
        "S03: no value yet (enter it, or mark it not reported or not applicable).",
        "S04: no value yet (enter it, or mark it not reported or not applicable).",
        "S05: no value yet (enter it, or mark it not reported or not applicable).",
    ]
    # S06 is a rubric (the reviewers' judgement; its evidence does not block a submission), S07 is
    # computed: nothing to enter; S08–S32 are plain rates.
    assert missing[5:] == [
        f"S{n:02d}: no value yet (enter it, or mark it not reported or not applicable)." for n in range(8, 33)
    ]
    rows = {f"S{n:02d}": {"value": "50"} for n in [2, *range(8, 33)]}
    rows |= {
        "S01": {"value": "بله"},
        "S03": {"value": "4"},
        "S04": {"value": "4"},
        "S05": {"status": "not_applicable"},
    }
    entry.values_save(actor=tehran_officer, submission=tehran, rows=rows)
    entry.denominators_save(
        actor=tehran_officer, submission=tehran, covered_population="900000", pr_staff="2"
    )
    tehran.refresh_from_db()
    assert entry.missing_items(tehran) == ["S01: evidence is required."]
    assert messages(lambda: entry.submission_submit(actor=tehran_officer, submission=tehran)) == [
        "S01: evidence is required."
    ]
    tehran.refresh_from_db()
    assert (tehran.state, tehran.submitted_at) == ("draft", None)
    # Not reported needs no evidence.
    entry.values_save(actor=tehran_officer, submission=tehran, rows={"S01": {"status": "not_reported"}})
    assert entry.missing_items(tehran) == []
    assert entry.submission_submit(actor=tehran_officer, submission=tehran).state == "submitted"


def test_a_count_not_applicable_needs_no_denominator(tehran_officer: User, tehran: Submission) -> None:
    rows = {"S03": {"status": "not_applicable"}, "S04": {"status": "not_applicable"}}
    entry.values_save(actor=tehran_officer, submission=tehran, rows=rows)
    missing = entry.missing_items(tehran)
    assert "S03: enter the covered population." not in missing
    assert "S04: enter the PR staff." not in missing


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (datetime(2025, 6, 21, 23, 59, tzinfo=TEHRAN_TZ), False),  # the deadline's last minute, Tehran time
        (datetime(2025, 6, 22, 0, 30, tzinfo=TEHRAN_TZ), True),  # still 21 June in UTC
    ],
)
def test_submitting_after_the_deadline_is_flagged_late(
    tehran_officer: User, period: Period, moment: datetime, late: bool
) -> None:
    Period.objects.filter(pk=period.pk).update(entry_deadline=date(2025, 6, 21))  # 31 Khordad 1404
    period.refresh_from_db()
    with time_machine.travel(moment, tick=False):
        submission = fill_province(period, "IR-23", tehran_officer, seed=3)
    assert (submission.state, submission.late, submission.submitted_at) == ("submitted", late, moment)
    row = audits("submission", submission.pk)[-1]
    assert row.after == {"state": "submitted", "late": late}


def test_the_review_cycle(tehran_officer: User, hq: User, period: Period) -> None:
    submission = fill_province(period, "IR-23", tehran_officer, seed=1)
    edit = lambda: entry.values_save(  # noqa: E731
        actor=tehran_officer, submission=submission, rows={"S02": {"value": "10"}}
    )
    assert messages(edit) == ["This submission is with the reviewers; it can change only if they return it."]
    assert messages(lambda: review.submission_return(actor=hq, submission=submission, comment="  ")) == [
        "Say what must change before returning the submission."
    ]
    assert not ReviewComment.objects.exists()

    returned = review.submission_return(actor=hq, submission=submission, comment="سند S01 خوانا نیست.")
    assert returned.state == SubmissionState.RETURNED
    (comment,) = ReviewComment.objects.all()
    assert (comment.text, comment.author, comment.indicator) == ("سند S01 خوانا نیست.", hq, None)
    assert edit() == 1
    submission.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED  # saving keeps it returned until resubmitted
    entry.submission_submit(actor=tehran_officer, submission=submission)

    approved = review.submission_approve(actor=hq, submission=submission, comment="")
    assert approved.state == SubmissionState.APPROVED
    assert approved.approved_at is not None
    assert ReviewComment.objects.count() == 1  # an empty approval comment is not stored
    assert messages(edit) == ["This submission is with the reviewers; it can change only if they return it."]
    assert messages(lambda: review.submission_return(actor=hq, submission=submission, comment="x")) == [
        "This submission cannot go from “Approved” to “Returned with comments”."
    ]
    assert ReviewComment.objects.count() == 1  # the refused return's comment was rolled back
    states = [a.after.get("state") for a in audits("submission", submission.pk) if "state" in a.after]
    assert states == ["submitted", "returned", "submitted", "approved"]


def test_approving_a_draft_is_refused(tehran_officer: User, hq: User, tehran: Submission) -> None:
    entry.values_save(actor=tehran_officer, submission=tehran, rows={"S02": {"value": "10"}})
    assert messages(lambda: review.submission_approve(actor=hq, submission=tehran, comment="خوب")) == [
        "This submission cannot go from “Being entered” to “Approved”."
    ]
    tehran.refresh_from_db()
    assert (tehran.state, tehran.approved_at) == ("draft", None)
    assert not ReviewComment.objects.exists()


def test_resubmitting_a_returned_submission_audits_the_real_state(
    tehran_officer: User, hq: User, period: Period
) -> None:
    submission = fill_province(period, "IR-23", tehran_officer, seed=1)
    review.submission_return(actor=hq, submission=submission, comment="دوباره بفرستید")
    entry.submission_submit(actor=tehran_officer, submission=submission)
    assert audits("submission", submission.pk)[-1].before == {"state": "returned"}


def test_comments(hq: User, tehran: Submission) -> None:
    assert messages(lambda: review.comment_add(actor=hq, submission=tehran, text=" ")) == [
        "Write the comment."
    ]
    assert messages(lambda: review.comment_add(actor=hq, submission=tehran, text="x", code="M01")) == [
        "Unknown sub-indicator M01."
    ]
    comment = review.comment_add(actor=hq, submission=tehran, text="  عدد با سند نمی‌خواند ", code="S03")
    assert (comment.text, comment.indicator.code if comment.indicator else None) == (
        "عدد با سند نمی‌خواند",
        "S03",
    )
    (row,) = audits("reviewcomment")
    assert (row.action, row.after, row.province_id) == ("create", {"indicator": "S03"}, tehran.province_id)


# --- HQ corrections ----------------------------------------------------------------------------


def test_a_correction_is_a_row_of_its_own_and_scoring_uses_it(
    tehran_officer: User, hq: User, period: Period
) -> None:
    submission = fill_province(period, "IR-23", tehran_officer, seed=1)
    value = Value.objects.get(submission=submission, indicator__code="S03")
    entered = value.value
    assert messages(
        lambda: review.value_correct(
            actor=hq, submission=submission, code="S03", raw={"value": "100"}, reason=" "
        )
    ) == ["A correction needs its reason."]

    first = review.value_correct(
        actor=hq, submission=submission, code="S03", raw={"value": "۱۰۰"}, reason="طبق نامه شماره ۱۲"
    )
    assert (first.status, first.value_after, first.reason, first.created_by) == (
        "reported",
        100,
        "طبق نامه شماره ۱۲",
        hq,
    )
    assert first.previous["status"] == "reported"
    assert Decimal(first.previous["value"]) == entered
    value.refresh_from_db()
    assert (value.value, value.updated_by) == (entered, tehran_officer)  # the province's entry stays
    (row,) = audits("correction", first.pk)
    assert (row.action, row.actor_username, row.province_id) == (
        "create",
        "hq.evaluator",
        submission.province_id,
    )
    assert row.before == first.previous
    assert row.after == {
        "indicator": "S03",
        "status": "reported",
        "value": "100",
        "reason": "طبق نامه شماره ۱۲",
    }

    second = review.value_correct(
        actor=hq, submission=submission, code="S03", raw={"value": "90"}, reason="اصلاح دوم"
    )
    assert {k: v for k, v in second.previous.items() if k != "value"} == {
        "status": "reported",
        "numerator": None,
        "denominator": None,
        "correction": first.pk,
    }
    assert Decimal(second.previous["value"]) == 100
    level = review.value_correct(
        actor=hq, submission=submission, code="S06", raw={"value": "4"}, reason="از سند"
    )
    assert level.previous == {"status": "not_reported", "numerator": None, "denominator": None, "value": None}
    assert Correction.objects.count() == 3

    services_period.period_freeze(actor=hq, period=period, draws=0)
    scores = {
        s.indicator.code: s
        for s in IndicatorScore.objects.filter(
            result__run__period=period, result__province=submission.province
        ).select_related("indicator")
    }
    population = submission.covered_population
    assert population
    assert scores["S03"].corrected is True
    assert Decimal(scores["S03"].inputs["value"]) == 90
    assert scores["S03"].measured == (Decimal(90) * 100_000 / population).quantize(Decimal("0.0001"))
    assert (scores["S06"].corrected, scores["S06"].measured, scores["S06"].score) == (
        True,
        4,
        Decimal("75.00"),
    )
    assert scores["S02"].corrected is False


def test_a_reviewer_level_outside_the_scale_is_refused(hq: User, tehran: Submission) -> None:
    call = lambda: review.value_correct(  # noqa: E731
        actor=hq, submission=tehran, code="S06", raw={"value": "6"}, reason="r"
    )
    assert messages(call) == [f"{label(6)}: the level is a whole number from 1 to 5."]
    assert not Correction.objects.exists()


def test_a_computed_sub_indicator_cannot_be_corrected(hq: User, tehran: Submission) -> None:
    with pytest.raises(ValidationError):
        review.value_correct(actor=hq, submission=tehran, code="S07", raw={"value": "50"}, reason="r")


# --- evidence ----------------------------------------------------------------------------------


def real_pdf() -> bytes:
    """A valid one-page PDF, with its cross-reference table."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def real_png() -> bytes:
    """A valid 1×1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def add(
    user: User, sub: Submission, name: str = "a.pdf", content: bytes | None = None, code: str = "S01"
) -> Evidence:
    content = real_pdf() if content is None else content
    return entry.evidence_add(actor=user, submission=sub, code=code, upload=upload(name, content))


NOT_EVIDENCE = "Evidence must be a PDF, PNG, JPEG, XLSX, DOCX, ODT or ODS file."


def stored(media: Path) -> list[str]:
    folder = media / "scorecard" / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_pdf_and_a_png_are_kept_under_random_names(
    tehran_officer: User, tehran: Submission, media: Path
) -> None:
    pdf, png = real_pdf(), real_png()
    first = entry.evidence_add(
        actor=tehran_officer,
        submission=tehran,
        code="S01",
        upload=upload("گزارش نشست.pdf", pdf, "text/plain"),
    )
    second = add(tehran_officer, tehran, "عکس.PNG", png)
    again = add(tehran_officer, tehran, "گزارش نشست.pdf", pdf)
    assert [(e.original_name, e.content_type, e.size, e.uploaded_by) for e in (first, second, again)] == [
        ("گزارش نشست.pdf", "application/pdf", len(pdf), tehran_officer),  # the browser's type is not trusted
        ("عکس.PNG", "image/png", len(png), tehran_officer),
        ("گزارش نشست.pdf", "application/pdf", len(pdf), tehran_officer),
    ]
    names = [e.file.name for e in (first, second, again)]
    assert all(re.fullmatch(r"scorecard/evidence/[0-9a-f]{32}\.(pdf|png)", n) for n in names), names
    assert len(set(names)) == 3
    assert stored(media) == sorted(n.rsplit("/", 1)[1] for n in names)
    assert (media / names[1]).read_bytes() == png
    (row, *_) = audits("evidence", first.pk)
    assert row.action == "create"
    assert row.after == {"indicator": "S01", "name": "گزارش نشست.pdf", "size": len(pdf)}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "The file's content does not match its name (.pdf).",
        ),
        ("photo.png", real_pdf(), "The file's content does not match its name (.png)."),
        ("sheet.xlsx", b"%PDF-1.4 not a zip", "The file's content does not match its name (.xlsx)."),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", NOT_EVIDENCE),
        ("report.pdf.exe", real_pdf(), NOT_EVIDENCE),
        ("report", real_pdf(), NOT_EVIDENCE),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_wrong_evidence_is_refused_and_nothing_is_kept(
    *, tehran_officer: User, tehran: Submission, media: Path, name: str, content: bytes, message: str
) -> None:
    assert messages(lambda: add(tehran_officer, tehran, name, content)) == [message]
    assert (tehran.evidence.count(), stored(media), audits("evidence")) == (0, [], [])


def test_evidence_over_the_size_limit_is_refused(
    tehran_officer: User, tehran: Submission, media: Path
) -> None:
    limit = 1024 * 1024
    pdf = real_pdf()
    exact = pdf + b"%" * (limit - len(pdf))
    with override_settings(TABYIN_EVIDENCE_MAX_BYTES=limit):
        assert messages(lambda: add(tehran_officer, tehran, "big.pdf", exact + b"%")) == [
            "The file is larger than 1 MB."
        ]
        assert stored(media) == []
        kept = add(tehran_officer, tehran, "ok.pdf", exact)
    assert kept.size == limit


def test_at_most_the_configured_number_of_files(
    tehran_officer: User, tehran: Submission, media: Path
) -> None:
    with override_settings(TABYIN_EVIDENCE_MAX_FILES=2):
        add(tehran_officer, tehran)
        add(tehran_officer, tehran)
        assert messages(lambda: add(tehran_officer, tehran)) == ["At most 2 files per sub-indicator."]
        add(tehran_officer, tehran, code="S06")  # the limit is per sub-indicator
    assert tehran.evidence.filter(indicator__code="S01").count() == 2
    assert len(stored(media)) == 3
    assert messages(lambda: add(tehran_officer, tehran, code="S99")) == ["Unknown sub-indicator S99."]
    assert len(stored(media)) == 3


def test_removal_deletes_the_file_only_after_commit(
    tehran_officer: User, tehran: Submission, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    evidence = add(tehran_officer, tehran)
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry.evidence_remove(actor=tehran_officer, evidence=evidence)
        assert path.exists()  # the row is gone in this transaction, the file not yet
    assert len(callbacks) == 1
    assert not path.exists()
    assert not tehran.evidence.exists()
    assert [(a.action, a.before) for a in audits("evidence")] == [
        ("create", {}),
        ("delete", {"name": "a.pdf"}),
    ]


def test_a_zip_container_does_not_keep_the_browsers_content_type(
    tehran_officer: User, tehran: Submission
) -> None:
    docx = upload("plan.docx", b"PK\x03\x04" + b"\x00" * 60, "text/html")
    evidence = entry.evidence_add(actor=tehran_officer, submission=tehran, code="S01", upload=docx)
    assert evidence.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_failed_upload_leaves_no_file(
    tehran_officer: User, tehran: Submission, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(entry, "audit_record", fail)
    with pytest.raises(RuntimeError):
        add(tehran_officer, tehran)
    assert not tehran.evidence.exists()
    assert stored(media) == []
