"""validation.py: every rule a submission must meet, with hostile and malformed input."""

from __future__ import annotations

from typing import Any

import pytest

from tabyin.reports.intake import validation
from tabyin.reports.intake.validation import Attachment, SubmissionError
from tests.reports import helpers

pytestmark = [pytest.mark.usefixtures("in_english")]

PROVINCES = {"IR-23", "IR-01"}
MB = 1024 * 1024
QUESTIONS: list[dict[str, Any]] = [
    {"key": "paid", "type": "yesno", "required": True},
    {"key": "amount", "type": "number", "required": False, "show_if": {"paid": "yes"}},
    {
        "key": "method",
        "type": "choice",
        "required": True,
        "show_if": {"paid": "yes"},
        "choices": [["cash", "نقد", "Cash"], ["transfer", "حواله", "Transfer"]],
    },
    {"key": "on", "type": "date", "required": False},
    {"key": "note", "type": "text", "required": False},
]


def check(
    files: list[Attachment] | None = None,
    lists: dict[str, list[str]] | None = None,
    *,
    max_files: int = 3,
    max_bytes: int = 1 * MB,
    confidential_available: bool = True,
    questions: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> validation.Cleaned:
    return validation.check_submission(
        data=helpers.form(**overrides),
        lists=lists or {},
        questions=QUESTIONS if questions is None else questions,
        provinces=PROVINCES,
        files=files or [],
        max_files=max_files,
        max_bytes=max_bytes,
        confidential_available=confidential_available,
    )


def refused(**kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(SubmissionError) as error:
        check(**kwargs)
    return error.value.errors


def test_a_good_submission_is_cleaned() -> None:
    cleaned = check(q_paid="yes", q_amount="۱٬۵۰۰٬۰۰۰", q_method="cash", q_on="۱۴۰۵/۰۸/۲۰")
    assert cleaned.province == "IR-23"
    assert cleaned.answers == {"paid": "yes", "amount": "1500000", "method": "cash", "on": "1405-08-20"}
    assert cleaned.identity_mode == "anonymous" and cleaned.identity == {}


# --- inert text ----------------------------------------------------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
CONTROLS = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]


@pytest.mark.abuse
@pytest.mark.parametrize("char", BIDI + CONTROLS)
def test_disguising_characters_are_removed_from_text(char: str) -> None:
    cleaned = check(what=f"کارمند{char} باجه پول نقد خواست{char} و کار را انجام نداد.", who=f"x{char}y")
    assert cleaned.what == "کارمند باجه پول نقد خواست و کار را انجام نداد."
    assert cleaned.who == "xy"


@pytest.mark.abuse
@pytest.mark.parametrize("char", BIDI + CONTROLS)
def test_disguising_characters_are_removed_from_file_labels(char: str) -> None:
    checked = validation.check_file(Attachment(f"report{char}fdp.exe", helpers.PDF), max_bytes=MB)
    assert checked.label == "reportfdp.exe"


def test_line_breaks_zwnj_and_direction_marks_are_kept() -> None:
    text = "می\u200cخواست\nخط دوم\tستون \u200fعلامت\u200e"
    assert validation.inert(f"  {text}\r\n") == text


@pytest.mark.abuse
@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.pdf", "evil.pdf"),
        ("/home/x/\u202egpj.exe", "gpj.exe"),
        ("", "file"),
        ("\u202e\u2066", "file"),
        ("a" * 500 + ".pdf", "a" * 200),
    ],
)
def test_file_labels_lose_paths_and_stay_short(name: str, label: str) -> None:
    assert validation.file_label(name) == label


# --- files, judged by content ---------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03" + b"\x00" * 300
ELF = b"\x7fELF" + b"\x00" * 60
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
ZIP = b"PK\x03\x04" + b"\x00" * 100
GIF = b"GIF89a" + b"\x00" * 40


@pytest.mark.abuse
@pytest.mark.parametrize("name", ["evidence.exe", "evidence.html", "evidence", "evidence.pdf.bat"])
def test_a_pdf_with_any_name_is_a_pdf(name: str) -> None:
    checked = validation.check_file(Attachment(name, helpers.PDF), max_bytes=MB)
    assert (checked.content_type, checked.extension, checked.label) == ("application/pdf", "pdf", name)


@pytest.mark.abuse
@pytest.mark.parametrize(
    "data", [EXE, ELF, HTML, SVG, ZIP, GIF, b"plain text, no magic", b"%PD"], ids=lambda d: repr(d[:6])
)
@pytest.mark.parametrize("name", ["evidence.pdf", "photo.png"])
def test_other_content_is_refused_whatever_its_name(data: bytes, name: str) -> None:
    with pytest.raises(ValueError) as error:
        validation.check_file(Attachment(name, data), max_bytes=MB)
    assert str(error.value) == (
        f"«{name}» is not a PDF, photo, audio, video or Word file (judged by its content)."
    )


@pytest.mark.abuse
def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        validation.check_file(Attachment("empty.pdf", b""), max_bytes=MB)
    assert str(error.value) == "«empty.pdf» is empty."


def test_a_file_of_exactly_the_limit_is_accepted() -> None:
    checked = validation.check_file(Attachment("big.pdf", helpers.big_pdf(MB)), max_bytes=MB)
    assert len(checked.data) == MB


@pytest.mark.abuse
def test_one_byte_over_the_limit_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        validation.check_file(Attachment("big.pdf", helpers.big_pdf(MB + 1)), max_bytes=MB)
    assert str(error.value) == "«big.pdf» is larger than 1 MB."


def test_files_up_to_the_count_limit_are_accepted() -> None:
    cleaned = check(files=[Attachment(f"{i}.png", helpers.PNG) for i in range(3)])
    assert [f.extension for f in cleaned.files] == ["png", "png", "png"]


@pytest.mark.abuse
def test_one_file_over_the_count_limit_is_refused() -> None:
    errors = refused(files=[Attachment(f"{i}.png", helpers.PNG) for i in range(4)])
    assert errors == {"files": ["Attach at most 3 files."]}


@pytest.mark.abuse
def test_every_bad_file_is_reported_at_once() -> None:
    errors = refused(
        files=[Attachment("a.pdf", EXE), Attachment("b.pdf", b""), Attachment("c.pdf", helpers.PDF)]
    )
    assert errors == {
        "files": [
            "«a.pdf» is not a PDF, photo, audio, video or Word file (judged by its content).",
            "«b.pdf» is empty.",
        ]
    }


# --- answers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("۱٬۵۰۰٬۰۰۰", "1500000"),
        ("١٬٥٠٠٬٠٠٠", "1500000"),
        ("1,500,000", "1500000"),
        ("۱ ۵۰۰ ۰۰۰", "1500000"),
        ("۲٫۵", "2.5"),
        ("0", "0"),
        ("1000000000000000", "1000000000000000"),
    ],
)
def test_numbers_are_read_in_any_digits(typed: str, stored: str) -> None:
    assert check(q_paid="yes", q_method="cash", q_amount=typed).answers["amount"] == stored


@pytest.mark.abuse
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("many", "Type a number, for example 1500000."),
        ("۱۲abc", "Type a number, for example 1500000."),
        ("-5", "Type a number between 0 and 1,000,000,000,000,000."),
        ("NaN", "Type a number between 0 and 1,000,000,000,000,000."),
        ("Infinity", "Type a number between 0 and 1,000,000,000,000,000."),
        ("1000000000000001", "Type a number between 0 and 1,000,000,000,000,000."),
        ("1e999999", "Type a number between 0 and 1,000,000,000,000,000."),
    ],
)
def test_bad_numbers_are_refused(typed: str, message: str) -> None:
    assert refused(q_paid="yes", q_method="cash", q_amount=typed) == {"q_amount": [message]}


@pytest.mark.abuse
@pytest.mark.parametrize(
    "typed", ["1405/13/01", "1405/12/31", "1405/00/10", "1405/07/31", "20/08/1405", "دیروز"]
)
def test_impossible_jalali_dates_are_refused(typed: str) -> None:
    # 1405 is not a leap year (Esfand has 29 days); the second half of the year has 30-day months.
    assert refused(q_on=typed) == {"q_on": ["Type a date such as 1405/08/20."]}


@pytest.mark.parametrize(("typed", "stored"), [("۱۴۰۵/۰۶/۳۱", "1405-06-31"), ("1403-12-30", "1403-12-30")])
def test_jalali_dates_are_stored_in_iso_form(typed: str, stored: str) -> None:
    assert check(q_on=typed).answers["on"] == stored


@pytest.mark.abuse
@pytest.mark.parametrize("typed", ["maybe", "YES", "بله", "1"])
def test_yes_or_no_only(typed: str) -> None:
    assert refused(q_paid=typed) == {"q_paid": ["Choose yes or no."]}


@pytest.mark.abuse
@pytest.mark.parametrize("typed", ["bitcoin", "Cash", "نقد"])
def test_choices_only_from_the_list(typed: str) -> None:
    assert refused(q_paid="yes", q_method=typed) == {"q_method": ["Choose one of the options."]}


def test_surrounding_spaces_do_not_change_a_choice() -> None:
    assert check(q_paid="yes", q_method=" cash\n").answers["method"] == "cash"


@pytest.mark.abuse
def test_a_long_text_answer_is_refused() -> None:
    assert refused(q_note="x" * 301) == {"q_note": ["Please keep this answer under 300 characters."]}
    assert check(q_note="x" * 300).answers["note"] == "x" * 300


def test_a_conditional_required_question_is_required_only_when_shown() -> None:
    assert check(q_paid="no").answers == {"paid": "no"}
    assert refused(q_paid="yes") == {"q_method": ["Please answer this question."]}


@pytest.mark.abuse
def test_answers_to_hidden_questions_are_dropped() -> None:
    cleaned = check(q_paid="no", q_amount="5000", q_method="cash", q_unknown="x")
    assert cleaned.answers == {"paid": "no"}


@pytest.mark.abuse
def test_a_missing_required_answer_is_refused() -> None:
    data = helpers.form()
    del data["q_paid"]
    with pytest.raises(SubmissionError) as error:
        validation.check_submission(
            data=data, lists={}, questions=QUESTIONS, provinces=PROVINCES, files=[],
            max_files=3, max_bytes=MB, confidential_available=True,
        )  # fmt: skip
    assert error.value.errors == {"q_paid": ["Please answer this question."]}


# --- the report's own fields -----------------------------------------------------------------------


@pytest.mark.abuse
@pytest.mark.parametrize("what", ["", "short", "x" * 19, " " * 30 + "x" * 19 + "\u202e" * 5])
def test_a_description_under_20_characters_is_refused(what: str) -> None:
    assert refused(what=what) == {"what": ["Describe what happened in at least 20 characters."]}


def test_a_description_of_20_characters_is_accepted() -> None:
    assert check(what="x" * 20).what == "x" * 20


@pytest.mark.abuse
@pytest.mark.parametrize(
    ("field", "size", "message"),
    [
        ("what", 20_001, "Please keep the description under 20000 characters."),
        ("who", 2_001, "Please keep this under 2000 characters."),
        ("when", 301, "Please keep this under 300 characters."),
        ("place_name", 301, "Please keep this under 300 characters."),
        ("identity_name", 201, "Please keep this under 200 characters."),
        ("identity_contact", 201, "Please keep this under 200 characters."),
    ],
)
def test_overlong_fields_are_refused(field: str, size: int, message: str) -> None:
    overrides = {field: "ب" * size, "identity_mode": "named", "identity_name": "نام"} | {field: "ب" * size}
    assert refused(**overrides) == {field: [message]}


@pytest.mark.abuse
@pytest.mark.parametrize("mode", ["named", "confidential"])
def test_identity_needs_a_name_when_not_anonymous(mode: str) -> None:
    assert refused(identity_mode=mode, identity_contact="0912") == {
        "identity_name": ["Type your name, or choose to report anonymously."]
    }


def test_an_anonymous_reporter_s_identity_fields_are_dropped() -> None:
    assert check(identity_name="نام", identity_contact="0912").identity == {}


@pytest.mark.abuse
def test_confidential_is_refused_without_a_custodian_keyring() -> None:
    assert refused(identity_mode="confidential", identity_name="نام", confidential_available=False) == {
        "identity_mode": ["Confidential reports cannot be received yet; report anonymously or by name."]
    }


@pytest.mark.abuse
@pytest.mark.parametrize("mode", ["", "secret", "ANONYMOUS"])
def test_an_unknown_identity_mode_is_refused(mode: str) -> None:
    assert refused(identity_mode=mode) == {"identity_mode": ["Choose how you want to be known."]}


@pytest.mark.abuse
@pytest.mark.parametrize("province", ["", "IR-99", "tehran", "IR-23' OR 1=1", "HQ "])
def test_an_unknown_province_is_refused(province: str) -> None:
    assert refused(province=province) == {
        "province": ["Choose the province where it happened, or headquarters."]
    }


@pytest.mark.parametrize(("typed", "stored"), [("ir-23", "IR-23"), ("hq", "")])
def test_provinces_by_code_or_headquarters(typed: str, stored: str) -> None:
    assert check(province=typed).province == stored


@pytest.mark.abuse
@pytest.mark.parametrize("kind", ["", "prison", "branch "])
def test_an_unknown_place_kind_is_refused(kind: str) -> None:
    assert refused(place_kind=kind) == {"place_kind": ["Choose the kind of place."]}


@pytest.mark.abuse
@pytest.mark.parametrize("kind", ["branch", "hospital"])
def test_a_branch_or_hospital_needs_a_name(kind: str) -> None:
    assert refused(place_kind=kind, place_name="\u202e ") == {
        "place_name": ["Name the branch or hospital, for example «شعبهٔ ۱۲ تهران»."]
    }


@pytest.mark.abuse
@pytest.mark.parametrize("name", ["concerns", "excluded"])
def test_unknown_offices_are_refused(name: str) -> None:
    assert refused(lists={name: ["security", "police"]}) == {name: ["Choose among the offices listed."]}


@pytest.mark.abuse
def test_excluding_every_office_is_refused() -> None:
    errors = refused(lists={"excluded": ["security", "inspection", "violations_board"]})
    assert errors == {"excluded": ["At least one office must be able to receive your report."]}


def test_excluded_and_concerned_offices_are_sorted_and_unique() -> None:
    cleaned = check(lists={"excluded": ["security", "security"], "concerns": ["inspection", "security"]})
    assert (cleaned.excluded, cleaned.concerns) == (["security"], ["inspection", "security"])


@pytest.mark.abuse
def test_every_problem_is_listed_at_once() -> None:
    errors = refused(province="", what="", identity_mode="", q_paid="")
    assert sorted(errors) == ["identity_mode", "province", "q_paid", "what"]


# --- messages ---------------------------------------------------------------------------------------


@pytest.mark.abuse
@pytest.mark.parametrize("text", ["", "   ", "\u202e\u2066\x00"])
def test_an_empty_message_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Write a message first\.$"):
        validation.check_message(text)


@pytest.mark.abuse
def test_an_overlong_message_is_refused() -> None:
    assert validation.check_message("م" * 10_000) == "م" * 10_000
    with pytest.raises(ValueError, match=r"^Please keep a message under 10000 characters\.$"):
        validation.check_message("م" * 10_001)
