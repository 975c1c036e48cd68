"""How long `tabyin backup` and `tabyin restore` take, at the production key-derivation cost.

    PYTHONPATH=src .venv/bin/python benchmarks/backup_restore.py [DATA_DIR]

Without DATA_DIR a synthetic embedded site is built in a temporary directory: a SQLite database of
200,000 rows (~30 MB) and 2,000 report-like files of 8 KiB random bytes plus one 64 MiB upload
(random bytes: encrypted report files do not compress). With DATA_DIR (e.g. a `tabyin demo` data
directory) that site is archived instead. Prints sizes, seconds and MB/s with the load average;
the baseline is a plain tar of the same directory in the same run, and the key derivation
(Argon2id, 256 MiB) is timed alone: every backup and restore pays it once.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tarfile
import tempfile
import time
from contextlib import closing
from pathlib import Path

from tabyin.core.backup import archive as backup_archive
from tabyin.core.backup import services as services_backup
from tabyin.core.backup import services_restore

PASSPHRASE = "benchmark passphrase, not a secret"  # noqa: S105


def synthetic(root: Path) -> None:
    (root / "reports").mkdir(parents=True)
    (root / "media").mkdir()
    with closing(sqlite3.connect(root / "tabyin.sqlite3")) as db, db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany(
            "INSERT INTO t (body) VALUES (?)",
            ((f"گزارش نمونه شماره {i} " * 6,) for i in range(200_000)),
        )
    for i in range(2000):
        (root / "reports" / f"{i:08x}").write_bytes(os.urandom(8192))
    (root / "media" / "upload.bin").write_bytes(os.urandom(64 << 20))


def site(root: Path) -> services_backup.Site:
    return services_backup.Site(
        data_dir=root,
        database=services_backup.Database(sqlite_path=root / "tabyin.sqlite3"),
        receipt_secret_file=root / "receipt_pepper",
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tabyin-bench-") as scratch:
        work = Path(scratch)
        if len(sys.argv) > 1:
            source = Path(sys.argv[1]).absolute()
        else:
            source = work / "source"
            synthetic(source)
        started = time.perf_counter()
        backup_archive._key(PASSPHRASE, b"\0" * 16, backup_archive.WorkFactor())
        kdf = time.perf_counter() - started

        # Baseline: the same directory as a plain tar file, neither encrypted nor hashed.
        started = time.perf_counter()
        with tarfile.open(work / "plain.tar", mode="w|") as tar:
            tar.add(source, arcname="data")
        plain_seconds = time.perf_counter() - started

        archive = work / "site.tbk"
        started = time.perf_counter()
        made = services_backup.backup(site=site(source), archive=archive, passphrase=PASSPHRASE)
        backup_seconds = time.perf_counter() - started

        started = time.perf_counter()
        services_restore.restore(site=site(work / "restored"), archive=archive, passphrase=PASSPHRASE)
        restore_seconds = time.perf_counter() - started

        megabytes = made.bytes / 1e6
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")
        print(
            f"site: {made.files} files + database, {megabytes:.1f} MB; "
            f"archive {archive.stat().st_size / 1e6:.1f} MB"
        )
        print(f"key derivation (Argon2id 3 x 256 MiB, paid once per run): {kdf:.2f} s")
        print(
            f"baseline, plain tar of the directory: {plain_seconds:.2f} s "
            f"({megabytes / plain_seconds:.1f} MB/s)"
        )
        print(f"backup:  {backup_seconds:.2f} s ({megabytes / backup_seconds:.1f} MB/s)")
        print(f"restore: {restore_seconds:.2f} s ({megabytes / restore_seconds:.1f} MB/s)")


if __name__ == "__main__":
    main()
