"""`tabyin restore`: an archive of `tabyin backup` back into an empty site (see backup.services for
what the archive holds). Nothing in the target changes until the whole archive is decrypted and
every member checked against its manifest; then the database and the files are moved into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import tarfile
import zlib
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tabyin.core.backup.archive import ArchiveError, OpeningReader
from tabyin.core.backup.services import (
    FORMAT,
    INFO,
    MANIFEST,
    PGDUMP_MEMBER,
    SKIPPED_DIRS,
    SQLITE_MEMBER,
    STAGING_PREFIX,
    Outcome,
    Site,
    fingerprint,
    pg_run,
)


def _occupied(site: Site) -> list[str]:
    """Files that make the target not empty: anything but regenerated folders and the receipt
    secret (which an operator puts back by hand before restoring, as the docs advise)."""
    found: list[str] = []
    db = site.database.sqlite_path
    if db is not None and db.exists():
        found.append(str(db))
    if site.data_dir.is_dir():
        secret = site.receipt_secret_file.absolute()
        db = db.absolute() if db is not None else None
        for folder, dirs, files in os.walk(site.data_dir):
            here = Path(folder)
            if here == site.data_dir:
                dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(STAGING_PREFIX)]
            found += [str(here / f) for f in files if (here / f).absolute() not in (secret, db)]
    if site.database.kind == "postgresql":
        found += _pg_tables(site.database.postgres_url)
    return found


def _pg_tables(url: str) -> list[str]:
    import psycopg

    query = (
        "SELECT schemaname || '.' || tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            return [f"table {row[0]}" for row in connection.execute(query).fetchall()]
    except psycopg.Error as error:
        raise ArchiveError(
            f"cannot reach the target database ({' '.join(str(error).split())[:300]})."
        ) from None


def _safe_name(member: tarfile.TarInfo) -> str:
    name = member.name
    parts = Path(name).parts
    if (
        not member.isfile()
        or name.startswith("/")
        or ".." in parts
        or not (
            name in (INFO, MANIFEST) or name in (SQLITE_MEMBER, PGDUMP_MEMBER) or name.startswith("data/")
        )
    ):
        raise ArchiveError(f"the archive holds an entry Tabyin never writes ({name!r}); refused.")
    return name


def _unpack(reader: OpeningReader, staging: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Extract into ``staging``, hashing as we go; check everything against the manifest."""
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    info: dict[str, Any] | None = None
    try:
        with tarfile.open(fileobj=reader, mode="r|gz") as tar:
            for member in tar:
                name = _safe_name(member)
                if manifest is not None or name in seen:
                    raise ArchiveError(f"the archive is altered: {name!r} comes after its manifest or twice.")
                source = tar.extractfile(member)
                assert source is not None
                sha = hashlib.sha256()
                if name in (INFO, MANIFEST):
                    data = source.read()
                    sha.update(data)
                    parsed = json.loads(data)
                    if name == INFO:
                        info = parsed
                    else:
                        manifest = parsed
                else:
                    target = staging / name
                    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, member.mode & 0o700 or 0o600)
                    with os.fdopen(fd, "wb") as out:
                        while chunk := source.read(1 << 20):
                            sha.update(chunk)
                            out.write(chunk)
                if name != MANIFEST:
                    seen[name] = {"size": member.size, "sha256": sha.hexdigest()}
        reader.drain()
    except (tarfile.TarError, json.JSONDecodeError, UnicodeDecodeError, zlib.error, EOFError) as error:
        raise ArchiveError(f"the archive's contents are damaged ({error}); nothing was restored.") from None
    if info is None or manifest is None or not isinstance(manifest.get("files"), dict):
        raise ArchiveError(
            "the archive has no manifest (it was cut short when written); nothing was restored."
        )
    listed = {k: v for k, v in manifest["files"].items() if k != MANIFEST}
    if listed != seen:
        wrong = sorted(set(listed) ^ set(seen) | {k for k in listed if k in seen and listed[k] != seen[k]})
        raise ArchiveError(
            f"the archive does not match its manifest ({', '.join(wrong[:5])}); nothing was restored."
        )
    if info.get("format") != FORMAT:
        raise ArchiveError(f"archive contents format {info.get('format')} is not known to this Tabyin.")
    return info, seen


def _place(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))


def restore(*, site: Site, archive: Path, passphrase: str, force: bool = False) -> Outcome:
    """Bring an archive back into an empty data directory and database (or over them with force).
    Nothing in the target changes until the whole archive is decrypted and checked."""
    if not archive.is_file():
        raise ArchiveError(f"{archive}: no such file.")
    occupied = [] if force else _occupied(site)
    if occupied:
        shown = ", ".join(occupied[:3]) + (f" and {len(occupied) - 3} more" if len(occupied) > 3 else "")
        raise ArchiveError(
            f"the target is not empty ({shown}); restore into an empty data directory and database, "
            "or add --force to replace what is there."
        )
    site.data_dir.mkdir(parents=True, exist_ok=True)
    staging = site.data_dir / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    outcome = Outcome()
    try:
        with archive.open("rb") as source:
            info, members = _unpack(OpeningReader(source, passphrase), staging)
        if info["database"] != site.database.kind:
            raise ArchiveError(
                f"the archive holds a {info['database']} database but this site uses {site.database.kind}; "
                "set DATABASE_URL to match the archive."
            )
        if site.database.sqlite_path is not None:
            copy = staging / SQLITE_MEMBER
            with closing(sqlite3.connect(copy)) as check:
                (result,) = check.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise ArchiveError(f"the archived database fails SQLite's check ({result}).")
            db = site.database.sqlite_path
            for suffix in ("-wal", "-shm", "-journal"):
                db.with_name(db.name + suffix).unlink(missing_ok=True)
            _place(copy, db)
        else:
            args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            args += ["--clean", "--if-exists"] if force else []
            database = unquote(urlsplit(site.database.postgres_url).path.lstrip("/"))
            pg_run(
                [*args, f"--dbname={database}", str(staging / PGDUMP_MEMBER)],
                site.database.postgres_url,
                "the data directory was left as it was",
            )
        data = staging / "data"
        if data.is_dir():
            for entry in sorted(data.iterdir()):
                _place(entry, site.data_dir / entry.name)
        outcome.files = sum(1 for name in members if name.startswith("data/"))
        outcome.bytes = sum(int(m["size"]) for m in members.values())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    outcome.notes.append(_receipt_note(site, info))
    return outcome


def _receipt_note(site: Site, info: dict[str, Any]) -> str:
    expected = info.get("receipt_secret_fingerprint")
    in_place = site.receipt_secret
    if not in_place and site.receipt_secret_file.is_file():
        in_place = site.receipt_secret_file.read_text().strip()
    if expected is None:
        return "receipt codes: the backed-up site had no receipt secret; nothing to check."
    if not in_place:
        return (
            f"WARNING: no receipt secret in place. Put the one you kept at {site.receipt_secret_file} "
            "(mode 0600) or set TABYIN_RECEIPT_PEPPER before starting Tabyin: otherwise a new one is "
            "made and no receipt code issued before the backup opens its report."
        )
    if fingerprint(in_place) != expected:
        return (
            "WARNING: the receipt secret in place is not the one the archived receipts were made with: "
            "no receipt code issued before the backup will open its report until the right one is put back."
        )
    return "receipt codes: the receipt secret in place is the one the archived receipts were made with."
