"""`tabyin backup` and `tabyin restore`: the database and the data directory in one sealed archive.

Needs no Django: the CLI passes the data directory, the database and the receipt secret's place,
read from the environment. Restore works on a machine where Tabyin never started.

What goes in (tar members inside the sealed stream, in this order):

- ``backup.json``: format, time, database kind, whether the receipt secret is inside, and a
  fingerprint of the receipt secret the receipts were made with (never the secret itself);
- ``database/tabyin.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs)
  or ``database/tabyin.pgdump`` (``pg_dump --format=custom``, one transaction-consistent snapshot);
- ``data/…``: every file of the data directory (report files, uploads, the secret key, mail, the
  demo's credential files) except what is regenerated or belongs to a running process
  (``static/``, ``run/``), the database files (with their WAL and the writers' lock, ``core.db_writer``),
  and the receipt secret unless asked for;
- ``manifest.json`` last: size and SHA-256 of every member above, checked on restore.

The tar stream is gzip-compressed inside the encryption (compressing after encrypting gains
nothing). The database is copied first, the files after: a file added between the two is an orphan the
database does not know (harmless); none is lost that the database names, except one deleted in
that moment by retention, which it was about to forget anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from tabyin.core import db_writer
from tabyin.core.backup.archive import ArchiveError, SealingWriter, WorkFactor

FORMAT = 1
INFO = "backup.json"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/tabyin.sqlite3"
PGDUMP_MEMBER = "database/tabyin.pgdump"
# Regenerated (collectstatic) or owned by a running process (locks, beat schedule).
SKIPPED_DIRS = frozenset({"static", "run"})
STAGING_PREFIX = ".restore-"


@dataclass(frozen=True)
class Database:
    """Where the site's database is: a SQLite file or a PostgreSQL URL."""

    sqlite_path: Path | None = None
    postgres_url: str = ""

    @property
    def kind(self) -> str:
        return "sqlite" if self.sqlite_path is not None else "postgresql"


@dataclass(frozen=True)
class Site:
    data_dir: Path
    database: Database
    receipt_secret_file: Path  # where the data directory keeps the secret when not set elsewhere
    receipt_secret: str = ""  # the secret in force (for the fingerprint only), "" when none


@dataclass
class Outcome:
    files: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)


def fingerprint(secret: str) -> str:
    """Tells whether two receipt secrets are the same without holding either (a keyed hash of a
    400-bit random value gives nothing to guess from)."""
    return hashlib.blake2b(secret.encode(), digest_size=16, person=b"tabyin-receipt").hexdigest()


# --- backup ----------------------------------------------------------------------------------------


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise ArchiveError(
            f"no database at {source}: nothing to back up (run `tabyin demo` or migrate first)."
        )
    # closing(): a sqlite3 connection's own context manager commits but does not close.
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        (result,) = copy.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise ArchiveError(
            f"the database copy fails SQLite's check ({result}); the live database may be damaged."
        )


def _pg_env(url: str) -> dict[str, str]:
    """libpq's variables from DATABASE_URL: the password never appears on a command line."""
    parts = urlsplit(url)
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", parts.hostname or ""),
        ("PGPORT", str(parts.port or "")),
        ("PGUSER", unquote(parts.username or "")),
        ("PGPASSWORD", unquote(parts.password or "")),
        ("PGDATABASE", unquote(parts.path.lstrip("/"))),
    ):
        if value:
            env[name] = value
    return env


def pg_run(args: list[str], url: str, what: str) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise ArchiveError(f"{args[0]} is not installed (Debian: apt install postgresql-client); {what}.")
    result = subprocess.run(  # noqa: S603 (a fixed tool with our own arguments)
        [tool, *args[1:]], env=_pg_env(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = " ".join(result.stderr.split())[:400]
        raise ArchiveError(f"{args[0]} failed ({detail}); {what}.")


def _data_files(site: Site, include_receipt_secret: bool, archive: Path) -> Iterator[tuple[Path, str]]:
    root = site.data_dir
    skipped_files = {archive.absolute(), archive.absolute().with_name(archive.name + ".part")}
    if site.database.sqlite_path is not None:
        db = site.database.sqlite_path.absolute()
        skipped_files |= {
            db,
            *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal", db_writer.LOCK_SUFFIX)),
        }
    if not include_receipt_secret:
        skipped_files.add(site.receipt_secret_file.absolute())
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(STAGING_PREFIX)]
        dirs.sort()
        for name in sorted(files):
            path = here / name
            if path.absolute() in skipped_files or path.is_symlink() or not path.is_file():
                continue
            yield path, "data/" + path.relative_to(root).as_posix()


class _Hashing:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.sha = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, manifest: dict[str, dict[str, Any]], name: str, path: Path) -> int:
    info = tar.gettarinfo(str(path), arcname=name)
    info.mtime = int(info.mtime)  # a fractional time would cost an extended header per file
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)
    manifest[name] = {"size": info.size, "sha256": hashing.sha.hexdigest()}
    return info.size


def _add_bytes(tar: tarfile.TarFile, manifest: dict[str, dict[str, Any]], name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))
    manifest[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def backup(
    *,
    site: Site,
    archive: Path,
    passphrase: str,
    include_receipt_secret: bool = False,
    work: WorkFactor | None = None,
) -> Outcome:
    """Write the sealed archive to ``archive`` (created 0600 as ``.part``, renamed when complete)."""
    if archive.exists():
        raise ArchiveError(f"{archive} already exists; choose a new file name.")
    outcome = Outcome()
    secret_in_dir = site.receipt_secret_file.is_file()
    if include_receipt_secret and not secret_in_dir:
        outcome.notes.append(
            "the receipt secret is not kept in the data directory (it is set elsewhere): it is not in "
            "the archive; keep it where you keep that setting."
        )
    info = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": site.database.kind,
        "receipt_secret_included": include_receipt_secret and secret_in_dir,
        "receipt_secret_fingerprint": fingerprint(site.receipt_secret) if site.receipt_secret else None,
    }
    partial = archive.with_name(archive.name + ".part")
    manifest: dict[str, dict[str, Any]] = {}
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ArchiveError(f"{partial} exists: another backup is being written, or remove it.") from None
    except OSError as error:
        raise ArchiveError(f"cannot write {archive}: {error.strerror}.") from None
    try:
        with (
            tempfile.TemporaryDirectory(prefix="tabyin-backup-") as scratch,
            os.fdopen(fd, "wb") as sink,
        ):
            sealing = SealingWriter(sink, passphrase, work)
            # gzip before sealing: the database and text files shrink several times; the already
            # encrypted report files pass through (level 6 costs little on incompressible bytes).
            with tarfile.open(
                fileobj=sealing, mode="w|gz", format=tarfile.PAX_FORMAT, compresslevel=6
            ) as tar:
                _add_bytes(tar, manifest, INFO, json.dumps(info, indent=1).encode())
                if site.database.sqlite_path is not None:
                    copy = Path(scratch) / "tabyin.sqlite3"
                    _sqlite_copy(site.database.sqlite_path, copy)
                    outcome.bytes += _add(tar, manifest, SQLITE_MEMBER, copy)
                else:
                    dump = Path(scratch) / "tabyin.pgdump"
                    pg_run(
                        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
                        site.database.postgres_url,
                        "nothing was backed up",
                    )
                    outcome.bytes += _add(tar, manifest, PGDUMP_MEMBER, dump)
                for path, name in _data_files(site, include_receipt_secret, archive):
                    outcome.bytes += _add(tar, manifest, name, path)
                    outcome.files += 1
                _add_bytes(tar, manifest, MANIFEST, json.dumps({"files": manifest}, indent=1).encode())
            sealing.close()
            sink.flush()
            os.fsync(sink.fileno())
        partial.rename(archive)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return outcome
