"""The receipt code: 16 digits, typed any way, stored only through one Argon2id run of the peppered code.

Timing with the real Argon2id cost is measured in benchmarks/bench_reports.py, not asserted here;
this file proves the *work* is the same for a right and a wrong code (one Argon2id run each).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tabyin.core.models import User
from tabyin.reports.crypto import receipts, sodium
from tabyin.reports.intake import services_receipts, services_reporter
from tabyin.reports.models import Report
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

CODE = "1234567890123456"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_new_code_is_16_random_digits() -> None:
    codes = {receipts.generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 16 and c.isascii() and c.isdigit() for c in codes)
    assert {c[0] for c in codes} > {"0", "1"} or len({c[0] for c in codes}) > 5  # leading zeros allowed


def test_display_groups_by_four() -> None:
    assert receipts.display(CODE) == "1234 5678 9012 3456"


@pytest.mark.abuse
@pytest.mark.parametrize(
    "typed",
    [
        CODE,
        "1234 5678 9012 3456",
        "1234-5678-9012-3456",
        " 1234\u00a05678\u2009 9012\t3456\n",
        "1234.5678.9012.3456",
        "1234_5678_9012_3456",
        "1234\u20135678\u20149012\u22123456",
        CODE.translate(PERSIAN),
        CODE.translate(ARABIC),
        "۱۲۳۴ ۵۶۷۸ ٩٠١٢ 3456",
        "\u200f۱۲۳۴\u200c۵۶۷۸\u200e۹۰۱۲\u200b۳۴۵۶\u200f",
        "\u2067۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶\u2069",
        "\u202b1234 5678 9012 3456\u202c",
        "\ufeff1234567890123456",
    ],
)
def test_normalize_accepts_any_digits_and_pasted_separators(typed: str) -> None:
    assert receipts.normalize(typed) == CODE


@pytest.mark.abuse
@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "123456789012345",  # 15 digits
        "12345678901234567",  # 17 digits
        "1234 5678 9012 345a",
        "abcd efgh ijkl mnop",
        "１２３４５６７８９０１２３４５６",  # full-width digits
        "1234567890123456" + "\u0663",  # 17 with an Arabic-Indic digit
        "12345678901234\u00b2\u00b3",  # superscripts are digits to Python, not to us
        "1234567890/123456",
        "' OR 1=1 --",
        "1234567890123456; DROP TABLE reports_report",
        "0x1234567890123456",
        "+1234567890123456",
        "-1234567890123456-1",
    ],
)
def test_normalize_refuses_what_cannot_be_a_code(typed: str) -> None:
    assert receipts.normalize(typed) is None


@pytest.mark.abuse
def test_normalize_refuses_none() -> None:
    assert receipts.normalize(None) is None  # type: ignore[arg-type]


COST = {"ops": 1, "mem": 8 * 1024 * 1024}


def test_the_stretch_is_keyed_salted_and_differs_per_code() -> None:
    one = receipts.stretch(CODE, "pepper", b"s" * 16, **COST)
    assert one == receipts.stretch(CODE, "pepper", b"s" * 16, **COST)
    assert one != receipts.stretch("1234567890123457", "pepper", b"s" * 16, **COST)
    assert one != receipts.stretch(CODE, "another pepper", b"s" * 16, **COST)
    assert one != receipts.stretch(CODE, "pepper", b"t" * 16, **COST)
    assert len(one) == 64
    assert len(receipts.index(one)) == 64
    assert receipts.index(one) != hashlib.sha256(CODE.encode()).hexdigest()


def test_material_is_deterministic_for_one_salt_and_differs_otherwise() -> None:
    stretched = receipts.stretch(CODE, "pepper", b"s" * 16, **COST)
    verifier, wrap = receipts.material(stretched, b"r" * 16)
    assert (verifier, wrap) == receipts.material(stretched, b"r" * 16)
    assert len(verifier) == len(wrap) == 32 and verifier != wrap
    assert receipts.material(stretched, b"q" * 16)[0] != verifier
    other = receipts.stretch("1234567890123457", "pepper", b"s" * 16, **COST)
    assert receipts.material(other, b"r" * 16)[0] != verifier
    assert receipts.matches(verifier, memoryview(verifier))
    assert not receipts.matches(verifier, b"\0" * 32)


# --- stored form ---------------------------------------------------------------------------------


def _row_bytes(report: Report) -> bytes:
    row = Report.objects.filter(pk=report.pk).values().get()
    parts = []
    for value in row.values():
        if isinstance(value, bytes | memoryview):
            parts.append(bytes(value))
        else:
            parts.append(str(value).encode())
    return b"\x1f".join(parts)


def test_the_code_is_stored_only_as_index_salt_verifier_and_wrapped_key(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    submitted = helpers.submit()
    code = submitted.code
    report = Report.objects.get()
    stored = _row_bytes(report)
    forms = [
        code,
        receipts.display(code),
        code.translate(PERSIAN),
        hashlib.sha256(code.encode()).hexdigest(),
        hashlib.sha256(code.encode()).hexdigest().upper(),
        hashlib.sha256(receipts.display(code).encode()).hexdigest(),
        code.encode().hex(),
    ]
    for form in forms:
        assert form.encode() not in stored, form
    assert hashlib.sha256(code.encode()).digest() not in stored
    assert int(code).to_bytes(8, "big") not in stored  # nor the code as a binary integer
    assert report.receipt_index == receipts.index(services_receipts.stretch(code))
    assert report.receipt_scheme == receipts.CURRENT
    assert len(bytes(report.receipt_salt)) == 16
    assert len(bytes(report.receipt_verifier)) == 32
    assert len(bytes(report.receipt_wrapped_key)) == 24 + 16 + 32  # nonce, MAC, content key


def test_two_reports_get_different_codes_indexes_and_salts(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    first, second = helpers.submit(), helpers.submit()
    assert first.code != second.code
    rows = list(Report.objects.values_list("receipt_index", "receipt_salt"))
    assert len({r[0] for r in rows}) == 2 and len({bytes(r[1]) for r in rows}) == 2


# --- lookups -------------------------------------------------------------------------------------


def _count_stretches(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    salts: list[bytes] = []
    real = receipts.stretch

    def counting(code: str, pepper: str, salt: bytes, **cost: Any) -> bytes:
        salts.append(salt)
        return real(code, pepper, salt, **cost)

    monkeypatch.setattr(receipts, "stretch", counting)
    return salts


@pytest.mark.abuse
def test_a_missing_code_costs_one_argon2id_run_like_an_existing_one(
    tehran_security: User, hq_units_with_keys: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = helpers.submit().code
    salts = _count_stretches(monkeypatch)

    assert services_reporter.receipt_open(raw_code=code) is not None
    assert len(salts) == 1
    missing = ("1" if code[0] != "1" else "2") + code[1:]
    assert services_reporter.receipt_open(raw_code=missing) is None
    assert len(salts) == 2
    assert salts[0] == salts[1] == services_receipts.installation_salt()


@pytest.mark.abuse
def test_a_missing_code_on_an_empty_database_still_derives(
    org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    salts = _count_stretches(monkeypatch)
    assert services_reporter.receipt_open(raw_code="0000 0000 0000 0000") is None
    assert len(salts) == 1


@pytest.mark.abuse
@pytest.mark.parametrize("typed", ["", "123", "not a code", "12345678901234567"])
def test_a_malformed_code_opens_nothing(org: None, typed: str) -> None:
    assert services_reporter.receipt_open(raw_code=typed) is None


@pytest.mark.abuse
def test_a_verifier_mismatch_opens_nothing(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    """The index alone is not enough: a row found by index must still pass the slow verifier."""
    code = helpers.submit().code
    Report.objects.update(receipt_verifier=b"\0" * 32)
    assert services_reporter.receipt_open(raw_code=code) is None


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c.translate(PERSIAN),
        lambda c: c.translate(ARABIC),
        lambda c: "\u200f" + "\u200c".join(c[i : i + 4] for i in range(0, 16, 4)),
        lambda c: "-".join(c[i : i + 4] for i in range(0, 16, 4)),
    ],
    ids=["persian", "arabic-indic", "zwnj-rlm", "dashes"],
)
def test_a_code_opens_its_report_however_it_is_typed(
    tehran_security: User, hq_units_with_keys: dict[str, User], typed: Any
) -> None:
    submitted = helpers.submit()
    access = services_reporter.receipt_open(raw_code=typed(submitted.code))
    assert access is not None and access.report_id == submitted.report.pk


@pytest.mark.abuse
def test_another_pepper_makes_the_old_code_useless(
    tehran_security: User, hq_units_with_keys: dict[str, User], settings: Any
) -> None:
    """The secret outside the database is needed: a copy of the database alone finds nothing."""
    code = helpers.submit().code
    assert services_reporter.receipt_open(raw_code=code) is not None
    original = settings.TABYIN_RECEIPT_PEPPER
    settings.TABYIN_RECEIPT_PEPPER = original + "-changed"
    assert services_reporter.receipt_open(raw_code=code) is None
    settings.TABYIN_RECEIPT_PEPPER = original
    assert services_reporter.receipt_open(raw_code=code) is not None


@pytest.mark.abuse
def test_the_right_row_with_a_wrong_pepper_cannot_unwrap_the_key(
    tehran_security: User, hq_units_with_keys: dict[str, User], settings: Any
) -> None:
    """Even handed the row and the code, the wrapping key needs the pepper."""
    code = helpers.submit().code
    report = Report.objects.get()
    stretched = receipts.stretch(
        code, "not the pepper", services_receipts.installation_salt(),
        ops=settings.TABYIN_RECEIPT_HASH_OPS, mem=settings.TABYIN_RECEIPT_HASH_BYTES,
    )  # fmt: skip
    _, wrong_wrap = receipts.material(stretched, bytes(report.receipt_salt))
    with pytest.raises(sodium.DecryptError):
        sodium.decrypt(wrong_wrap, report.receipt_wrapped_key)


def test_the_reporter_access_survives_dump_and_load(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    code = helpers.submit().code
    access = services_reporter.receipt_open(raw_code=code)
    assert access is not None
    assert services_reporter.ReporterAccess.load(access.dump()) == access
