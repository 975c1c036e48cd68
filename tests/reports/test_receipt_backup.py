"""An attacker holding a full backup — the database and every file of the data directory — must pay
one Argon2id run per receipt guess: there is no cheaper way to test a code against the stored rows.

Found in issue 15 (point 2): the index was an HMAC keyed by a pepper that lives in the data
directory, so a backup tested ~340,000 guesses a second per core with no Argon2id at all
(``benchmarks/reports_receipt_guess.py`` prints both rates).
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from nacl.pwhash import argon2id

from tabyin.config import datadir
from tabyin.config.env import ConfigError
from tabyin.reports.crypto import receipts, sodium
from tabyin.reports.intake import services_receipts, services_reporter
from tabyin.reports.models import ReceiptSalt, Report
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.abuse]


def _backup_files() -> list[bytes]:
    """Every file of the data directory, as an attacker with a backup has them."""
    root = Path(settings.DATA_DIR)
    return [p.read_bytes() for p in root.rglob("*") if p.is_file() and p.stat().st_size < 1024 * 1024]


def _database_text() -> str:
    rows = Report.objects.values_list("receipt_index", flat=True)
    return "\n".join(rows)


def test_no_file_of_the_backup_keys_a_cheap_hash_that_finds_the_row(
    tehran_security: Any, hq_units_with_keys: Any
) -> None:
    code = helpers.submit().code
    stored = _database_text()
    for content in [*_backup_files(), settings.TABYIN_RECEIPT_PEPPER.encode()]:
        for key in {content, content.strip()}:
            for message in (code.encode(), b"index:" + code.encode(), b"receipt:" + code.encode()):
                for digest in (hashlib.sha256, hashlib.sha512, hashlib.blake2b):
                    cheap = hmac.new(key, message, digest).hexdigest()
                    assert cheap[:64] not in stored
                    assert hashlib.sha256(key + message).hexdigest() not in stored


def test_the_index_is_argon2id_of_the_peppered_code_with_the_installation_salt(
    tehran_security: Any, hq_units_with_keys: Any
) -> None:
    """Written out independently of ``receipts.py``: the one way from a code to its row."""
    code = helpers.submit().code
    salt = bytes(ReceiptSalt.objects.get().salt)
    assert len(salt) == argon2id.SALTBYTES
    secret = hmac.new(settings.TABYIN_RECEIPT_PEPPER.encode(), b"receipt:" + code.encode(), hashlib.sha256)
    stretched = argon2id.kdf(
        64,
        secret.digest(),
        salt,
        opslimit=settings.TABYIN_RECEIPT_HASH_OPS,
        memlimit=settings.TABYIN_RECEIPT_HASH_BYTES,
    )
    expected = hashlib.blake2b(stretched, digest_size=32, person=b"tabyin-rc-index").hexdigest()
    assert Report.objects.get().receipt_index == expected


def test_every_lookup_runs_argon2id_with_the_installation_salt_first(
    tehran_security: Any, hq_units_with_keys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = helpers.submit().code
    runs: list[tuple[bytes, int, int]] = []
    real = argon2id.kdf

    def counting(size: int, secret: bytes, salt: bytes, *, opslimit: int, memlimit: int) -> bytes:
        runs.append((salt, opslimit, memlimit))
        return real(size, secret, salt, opslimit=opslimit, memlimit=memlimit)

    monkeypatch.setattr(sodium.argon2id, "kdf", counting)
    installation = bytes(ReceiptSalt.objects.get().salt)
    cost = (settings.TABYIN_RECEIPT_HASH_OPS, settings.TABYIN_RECEIPT_HASH_BYTES)
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    assert services_reporter.receipt_open(raw_code=wrong) is None
    assert runs == [(installation, *cost)]
    assert services_reporter.receipt_open(raw_code=code) is not None
    assert runs == [(installation, *cost)] * 2


def test_the_installation_salt_is_made_once_and_kept() -> None:
    first = services_receipts.installation_salt()
    assert services_receipts.installation_salt() == first
    assert ReceiptSalt.objects.count() == 1


# --- Reports made before the change keep working ---------------------------------------------------


def _make_legacy(code: str, report: Report) -> bytes:
    """Rewrite a row the way the old scheme stored it; returns its content key."""
    pepper = settings.TABYIN_RECEIPT_PEPPER
    cost = {"ops": settings.TABYIN_RECEIPT_HASH_OPS, "mem": settings.TABYIN_RECEIPT_HASH_BYTES}
    access = services_reporter.receipt_open(raw_code=code)
    assert access is not None
    salt = b"L" * 16
    verifier, wrap = receipts.legacy_derive(code, salt, pepper, **cost)
    Report.objects.filter(pk=report.pk).update(
        receipt_scheme=receipts.LEGACY_HMAC,
        receipt_index=receipts.legacy_hmac_index(code, pepper),
        receipt_salt=salt,
        receipt_verifier=verifier,
        receipt_wrapped_key=sodium.encrypt(wrap, access.key),
    )
    return access.key


def test_an_old_report_is_hardened_by_the_migration_and_re_indexed_when_opened(
    tehran_security: Any, hq_units_with_keys: Any
) -> None:
    submitted = helpers.submit()
    key = _make_legacy(submitted.code, submitted.report)
    old_index = receipts.legacy_hmac_index(submitted.code, settings.TABYIN_RECEIPT_PEPPER)

    services_receipts.harden_legacy(Report)
    row = Report.objects.get()
    assert row.receipt_scheme == receipts.LEGACY_HARDENED
    assert old_index not in _database_text()  # the fast index is gone from the database

    access = services_reporter.receipt_open(raw_code=submitted.code)
    assert access is not None and access.key == key
    row = Report.objects.get()
    assert row.receipt_scheme == receipts.CURRENT
    assert services_reporter.receipt_open(raw_code=submitted.code) == access


def test_a_wrong_code_does_not_open_an_old_report(tehran_security: Any, hq_units_with_keys: Any) -> None:
    submitted = helpers.submit()
    _make_legacy(submitted.code, submitted.report)
    services_receipts.harden_legacy(Report)
    wrong = ("1" if submitted.code[0] != "1" else "2") + submitted.code[1:]
    assert services_reporter.receipt_open(raw_code=wrong) is None
    assert Report.objects.get().receipt_scheme == receipts.LEGACY_HARDENED


# --- Where the pepper lives -------------------------------------------------------------------------


def test_the_pepper_file_outside_the_data_directory_is_made_there_once(tmp_path: Path) -> None:
    data, outside = tmp_path / "data", tmp_path / "secrets" / "receipt_pepper"
    data.mkdir()
    outside.parent.mkdir()
    made = datadir.receipt_pepper(data, pepper_file=outside)
    assert outside.read_text().strip() == made and len(made) >= 60
    assert oct(outside.stat().st_mode & 0o777) == "0o600"
    assert not (data / datadir.PEPPER_FILE).exists()
    assert datadir.receipt_pepper(data, pepper_file=outside) == made


def test_a_moved_pepper_that_is_missing_stops_the_start(tmp_path: Path) -> None:
    """The old pepper still in the data directory and the new path empty: refusing to start beats
    silently making a new pepper that opens no existing receipt."""
    data = tmp_path / "data"
    data.mkdir()
    datadir.receipt_pepper(data)
    with pytest.raises(ConfigError, match="TABYIN_RECEIPT_PEPPER_FILE"):
        datadir.receipt_pepper(data, pepper_file=tmp_path / "elsewhere" / "pepper")


def test_the_deploy_check_warns_while_the_pepper_is_in_the_data_directory(tmp_path: Path) -> None:
    from django.test import override_settings

    from tabyin.reports import checks

    assert datadir.inside(tmp_path / "data" / datadir.PEPPER_FILE, tmp_path / "data")
    assert not datadir.inside(tmp_path / "secrets" / "pepper", tmp_path / "data")
    with override_settings(TABYIN_RECEIPT_PEPPER_IN_DATA_DIR=True):
        assert [w.id for w in checks.receipt_pepper_outside_the_data_directory()] == ["reports.W001"]
    with override_settings(TABYIN_RECEIPT_PEPPER_IN_DATA_DIR=False):
        assert checks.receipt_pepper_outside_the_data_directory() == []


@pytest.mark.django_db(transaction=True)
def test_migration_0004_hardens_a_report_stored_before_it(
    tehran_security: Any, hq_units_with_keys: Any
) -> None:
    """The real migration, run on a database that holds a report stored by the old scheme."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    submitted = helpers.submit()
    key = _make_legacy(submitted.code, submitted.report)
    pepper = settings.TABYIN_RECEIPT_PEPPER
    old_index = receipts.legacy_hmac_index(submitted.code, pepper)
    before = ("reports", "0003_keyring_versions")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()  # every app, not only reports
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([before])
        assert Report.objects.values_list("receipt_index", flat=True).get() == old_index
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    row = Report.objects.get()
    assert row.receipt_scheme == receipts.LEGACY_HARDENED
    assert old_index not in _database_text()
    access = services_reporter.receipt_open(raw_code=submitted.code)
    assert access is not None and access.key == key
    assert Report.objects.get().receipt_scheme == receipts.CURRENT
