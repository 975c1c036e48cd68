"""Files at rest in the data directory: owner-only modes, and deleted rows gone from the disk.

Run in a fresh interpreter on a real data directory: the test database is in memory, and the
modes depend on the process's umask, which the settings set.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import clean_env

pytestmark = pytest.mark.cli

CANARY = "CANARY-7f3a-deleted-row-must-not-stay-on-disk"

_PROBE = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from tabyin.core.system import services as services_system

with connection.cursor() as cursor:
    cursor.execute("PRAGMA secure_delete")
    print("secure_delete", cursor.fetchone()[0])
    cursor.execute("CREATE TABLE probe (t TEXT)")
    with transaction.atomic():
        cursor.executemany("INSERT INTO probe VALUES (%s)", [("@CANARY@" * 20,)] * 50)
    with transaction.atomic():
        cursor.execute("DELETE FROM probe")
services_system.flush_deleted_data()
send_mail("s", "b", "a@example.org", ["b@example.org"])
(settings.MEDIA_ROOT / "upload.bin").write_bytes(b"x")
""".replace("@CANARY@", CANARY)


def _modes(root: Path) -> dict[str, str]:
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in sorted(root.rglob("*")):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def test_owner_only_modes_and_deleted_rows_leave_no_trace(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=clean_env(TABYIN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="tabyin.config.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["secure_delete 1"]
    modes = _modes(data_dir)
    assert modes["tabyin.sqlite3"] == "0o600"
    assert modes["secret_key"] == "0o600"
    assert modes["receipt_pepper"] == "0o600"
    assert modes["media/upload.bin"] == "0o600"
    assert [m for name, m in modes.items() if name.startswith("mail/")] == ["0o600"]
    loose = {
        name: mode
        for name, mode in modes.items()
        if mode != ("0o700" if (data_dir / name).is_dir() else "0o600")
    }
    assert loose == {}
    # secure_delete zeroes the freed pages; the checkpoint empties the write-ahead log.
    for path in data_dir.glob("tabyin.sqlite3*"):
        assert CANARY.encode() not in path.read_bytes(), path.name
    wal = data_dir / "tabyin.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_start_up_tightens_a_loose_data_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "mail").mkdir(parents=True)
    (data_dir / "mail" / "old.log").write_text("x")
    (data_dir / "tabyin.sqlite3").write_bytes(b"")
    # Loose on purpose: what an older version or a hand copy may have left.
    data_dir.chmod(0o755)
    (data_dir / "mail").chmod(0o777)
    (data_dir / "mail" / "old.log").chmod(0o644)
    (data_dir / "tabyin.sqlite3").chmod(0o664)

    result = subprocess.run(
        [sys.executable, "-m", "tabyin.cli", "manage", "check", "--data-dir", str(data_dir)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    modes = _modes(data_dir)
    assert modes["."] == "0o700"
    assert modes["mail"] == "0o700"
    assert modes["mail/old.log"] == "0o600"
    assert modes["tabyin.sqlite3"] == "0o600"
    # Done once: a later start-up does not walk the directory again (what it creates is private).
    assert (data_dir / "run" / "modes-tightened").exists()
    (data_dir / "mail" / "old.log").chmod(0o644)
    again = subprocess.run(
        [sys.executable, "-m", "tabyin.cli", "manage", "check", "--data-dir", str(data_dir)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert _modes(data_dir)["mail/old.log"] == "0o644"
