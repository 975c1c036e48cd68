"""Receipt codes against the database: the installation salt, a new code's stored form, finding
the row a code opens, and re-indexing rows made before the Argon2id index (``receipts.py``).

Every lookup costs one Argon2id run before the database is asked anything, whether or not the code
exists; an attacker holding the database and the data directory pays the same per guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from tabyin.reports.crypto import receipts, sodium
from tabyin.reports.models import ReceiptSalt, Report


def installation_salt() -> bytes:
    """The one salt of this installation's receipt index, made once (by migration 0004, or here on
    a database that has none). Read each time: one primary-key query, and right after a restore."""
    found = ReceiptSalt.objects.order_by("pk").first()
    if found is None:
        try:
            with transaction.atomic():
                found = ReceiptSalt.objects.create(pk=1, salt=sodium.random_bytes(sodium.SALT_BYTES))
        except IntegrityError:  # another process made it first
            found = ReceiptSalt.objects.get(pk=1)
    return bytes(found.salt)


def _cost() -> dict[str, int]:
    return {"ops": settings.TABYIN_RECEIPT_HASH_OPS, "mem": settings.TABYIN_RECEIPT_HASH_BYTES}


@dataclass(frozen=True)
class Stored:
    """What a report row keeps of its receipt code."""

    index: str
    salt: bytes
    verifier: bytes
    wrap: bytes  # the key that wraps the content key; not stored itself


@sensitive_variables()
def stretch(code: str) -> bytes:
    return receipts.stretch(code, settings.TABYIN_RECEIPT_PEPPER, installation_salt(), **_cost())


@sensitive_variables()
def stored_form(code: str, stretched: bytes | None = None) -> Stored:
    stretched = stretched if stretched is not None else stretch(code)
    salt = sodium.random_bytes(16)
    verifier, wrap = receipts.material(stretched, salt)
    return Stored(index=receipts.index(stretched), salt=salt, verifier=verifier, wrap=wrap)


def _fields(stored: Stored, key: bytes) -> dict[str, Any]:
    return {
        "receipt_scheme": receipts.CURRENT,
        "receipt_index": stored.index,
        "receipt_salt": stored.salt,
        "receipt_verifier": stored.verifier,
        "receipt_wrapped_key": sodium.encrypt(stored.wrap, key),
    }


def new_receipt_fields(code: str, key: bytes) -> dict[str, Any]:
    """The receipt columns of a new report whose content key is ``key``."""
    return _fields(stored_form(code), key)


_ROW = ("id", "receipt_scheme", "receipt_salt", "receipt_verifier", "receipt_wrapped_key")


@sensitive_variables()
def open_code(code: str) -> tuple[int, bytes] | None:
    """(report id, content key) for a normalized code, or None. One Argon2id run for a current row
    and for a miss; a row not yet re-indexed costs two more, once, and is re-indexed then."""
    stretched = stretch(code)
    report = (
        Report.objects.filter(receipt_index=receipts.index(stretched), receipt_scheme=receipts.CURRENT)
        .only(*_ROW)
        .first()
    )
    if report is not None:
        verifier, wrap = receipts.material(stretched, bytes(report.receipt_salt))
        if not receipts.matches(verifier, report.receipt_verifier):
            return None
        return report.pk, sodium.decrypt(wrap, report.receipt_wrapped_key)
    if not Report.objects.filter(receipt_scheme=receipts.LEGACY_HARDENED).exists():
        return None
    return _open_legacy(code, stretched)


@sensitive_variables()
def _open_legacy(code: str, stretched: bytes) -> tuple[int, bytes] | None:
    pepper = settings.TABYIN_RECEIPT_PEPPER
    hardened = receipts.legacy_hardened_index(
        receipts.legacy_hmac_index(code, pepper), installation_salt(), **_cost()
    )
    old_rows = Report.objects.filter(receipt_scheme=receipts.LEGACY_HARDENED)
    report = old_rows.filter(receipt_index=hardened).only(*_ROW).first()
    if report is None:
        return None
    verifier, wrap = receipts.legacy_derive(code, bytes(report.receipt_salt), pepper, **_cost())
    if not receipts.matches(verifier, report.receipt_verifier):
        return None
    key = sodium.decrypt(wrap, report.receipt_wrapped_key)
    # Re-index: from now on this row is found like a new one and its old derivation is gone.
    Report.objects.filter(pk=report.pk, receipt_scheme=receipts.LEGACY_HARDENED).update(
        **_fields(stored_form(code, stretched), key)
    )
    return report.pk, key


def harden_legacy(report_model: Any) -> int:
    """Replace every old HMAC index by its Argon2id (``LEGACY_HARDENED``); returns how many.

    Needs neither the codes nor the pepper, so migration 0004 runs it on every existing row: after
    it no index in the database can be tested with a fast hash. Each row costs one Argon2id run."""
    salt = installation_salt()
    done = 0
    for pk, old in report_model.objects.filter(receipt_scheme=receipts.LEGACY_HMAC).values_list(
        "pk", "receipt_index"
    ):
        report_model.objects.filter(pk=pk).update(
            receipt_index=receipts.legacy_hardened_index(old, salt, **_cost()),
            receipt_scheme=receipts.LEGACY_HARDENED,
        )
        done += 1
    return done
