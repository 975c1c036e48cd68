"""The archive format and the restore checks, in-process on small data directories (the drill on
the whole demo is tests/core/test_backup.py). The key-derivation cost is lowered for speed; the
production cost is the default of ``WorkFactor``."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tabyin.core.backup import archive as ba
from tabyin.core.backup import services as sb
from tabyin.core.backup import services_restore as sr

PASSPHRASE = "a long enough passphrase"
CHEAP = ba.WorkFactor(opslimit=1, memlimit=8 << 20)


def _site(root: Path, secret: str = "") -> sb.Site:
    return sb.Site(
        data_dir=root,
        database=sb.Database(sqlite_path=root / "tabyin.sqlite3"),
        receipt_secret_file=root / "receipt_pepper",
        receipt_secret=secret,
    )


@pytest.fixture
def source(tmp_path: Path) -> sb.Site:
    root = tmp_path / "source"
    (root / "reports").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "run").mkdir()
    with sqlite3.connect(root / "tabyin.sqlite3") as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (v TEXT)")
        db.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(500)])
    (root / "reports" / "a1b2").write_bytes(bytes(range(256)) * 9000)  # > 2 chunks
    (root / "secret_key").write_text("key")
    (root / "receipt_pepper").write_text("pepper")
    (root / "static" / "app.css").write_text("body{}")
    (root / "run" / "scheduler.lock").write_text("")
    return _site(root, secret="pepper")


def _read(archive: Path) -> dict[str, bytes]:
    with (
        archive.open("rb") as handle,
        tarfile.open(fileobj=ba.OpeningReader(handle, PASSPHRASE), mode="r|gz") as tar,
    ):
        out = {}
        for member in tar:
            extracted = tar.extractfile(member)
            assert extracted is not None
            out[member.name] = extracted.read()
        return out


def test_round_trip_keeps_every_byte_and_leaves_out_what_it_should(source: sb.Site, tmp_path: Path) -> None:
    archive = tmp_path / "x.tbk"
    done = sb.backup(site=source, archive=archive, passphrase=PASSPHRASE, work=CHEAP)

    assert (done.files, archive.stat().st_mode & 0o777) == (2, 0o600)
    members = _read(archive)
    assert list(members) == [
        "backup.json",
        "database/tabyin.sqlite3",
        "data/secret_key",
        "data/reports/a1b2",
        "manifest.json",
    ]
    info = json.loads(members["backup.json"])
    assert info["receipt_secret_included"] is False
    assert info["receipt_secret_fingerprint"] == sb.fingerprint("pepper") != sb.fingerprint("pepper2")
    manifest = json.loads(members["manifest.json"])["files"]
    assert manifest["data/reports/a1b2"] == {
        "size": 256 * 9000,
        "sha256": hashlib.sha256(bytes(range(256)) * 9000).hexdigest(),
    }

    target = _site(tmp_path / "target")
    restored = sr.restore(site=target, archive=archive, passphrase=PASSPHRASE)

    assert restored.files == 2
    assert sorted(p.name for p in target.data_dir.iterdir()) == ["reports", "secret_key", "tabyin.sqlite3"]
    assert (target.data_dir / "reports" / "a1b2").read_bytes() == bytes(range(256)) * 9000
    with sqlite3.connect(target.data_dir / "tabyin.sqlite3") as db:
        assert db.execute("SELECT count(*), max(v) FROM t").fetchone() == (500, "row 99")
    assert not (target.data_dir / "receipt_pepper").exists()
    assert restored.notes[0].startswith("WARNING: no receipt secret in place.")


def test_the_receipt_secret_is_checked_against_the_fingerprint(source: sb.Site, tmp_path: Path) -> None:
    archive = tmp_path / "x.tbk"
    sb.backup(site=source, archive=archive, passphrase=PASSPHRASE, work=CHEAP)
    right, wrong = _site(tmp_path / "right"), _site(tmp_path / "wrong")
    for site, secret in ((right, "pepper"), (wrong, "another")):
        site.data_dir.mkdir()
        site.receipt_secret_file.write_text(secret + "\n")

    assert sr.restore(site=right, archive=archive, passphrase=PASSPHRASE).notes == [
        "receipt codes: the receipt secret in place is the one the archived receipts were made with."
    ]
    assert (
        sr.restore(site=wrong, archive=archive, passphrase=PASSPHRASE)
        .notes[0]
        .startswith(
            "WARNING: the receipt secret in place is not the one the archived receipts were made with"
        )
    )


def test_an_existing_archive_is_never_overwritten(source: sb.Site, tmp_path: Path) -> None:
    archive = tmp_path / "x.tbk"
    archive.write_text("keep me")

    with pytest.raises(ba.ArchiveError, match="already exists; choose a new file name"):
        sb.backup(site=source, archive=archive, passphrase=PASSPHRASE, work=CHEAP)
    assert archive.read_text() == "keep me"


def test_a_short_passphrase_is_refused(source: sb.Site, tmp_path: Path) -> None:
    with pytest.raises(ba.ArchiveError, match="at least 12 characters"):
        sb.backup(site=source, archive=tmp_path / "x.tbk", passphrase="short", work=CHEAP)
    assert list(tmp_path.glob("x.tbk*")) == []


def _sealed(path: Path, members: list[tuple[str, bytes]], kind: int = tarfile.REGTYPE) -> None:
    """An archive sealed with the right passphrase whose contents we choose (as an attacker who
    knows the passphrase, or a buggy writer, could)."""
    with path.open("wb") as sink:
        writer = ba.SealingWriter(sink, PASSPHRASE, CHEAP)
        with tarfile.open(fileobj=writer, mode="w|gz") as tar:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size, info.type = len(data), kind
                tar.addfile(info, io.BytesIO(data))
        writer.close()


def _info() -> bytes:
    return json.dumps({"format": 1, "database": "sqlite", "receipt_secret_fingerprint": None}).encode()


def test_contents_that_do_not_match_the_manifest_are_refused(tmp_path: Path) -> None:
    listed = {
        "backup.json": {"size": len(_info()), "sha256": hashlib.sha256(_info()).hexdigest()},
        "data/secret_key": {"size": 3, "sha256": hashlib.sha256(b"key").hexdigest()},
    }
    archive = tmp_path / "x.tbk"
    _sealed(
        archive,
        [
            ("backup.json", _info()),
            ("data/secret_key", b"KEY"),
            ("manifest.json", json.dumps({"files": listed}).encode()),
        ],
    )
    target = _site(tmp_path / "target")

    with pytest.raises(ba.ArchiveError, match=r"does not match its manifest \(data/secret_key\)"):
        sr.restore(site=target, archive=archive, passphrase=PASSPHRASE)
    assert list(target.data_dir.iterdir()) == []


def test_an_archive_without_a_manifest_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "x.tbk"
    _sealed(archive, [("backup.json", _info()), ("data/secret_key", b"key")])

    with pytest.raises(ba.ArchiveError, match="has no manifest"):
        sr.restore(site=_site(tmp_path / "t"), archive=archive, passphrase=PASSPHRASE)


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "data/../../escape", "elsewhere/file"])
def test_entries_outside_the_data_directory_are_refused(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "x.tbk"
    _sealed(archive, [("backup.json", _info()), (name, b"x")])

    with pytest.raises(ba.ArchiveError, match="holds an entry Tabyin never writes"):
        sr.restore(site=_site(tmp_path / "t"), archive=archive, passphrase=PASSPHRASE)
    assert not (tmp_path / "escape").exists()


def test_links_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "x.tbk"
    _sealed(archive, [("backup.json", _info()), ("data/secret_key", b"")], kind=tarfile.SYMTYPE)

    with pytest.raises(ba.ArchiveError, match="holds an entry Tabyin never writes"):
        sr.restore(site=_site(tmp_path / "t"), archive=archive, passphrase=PASSPHRASE)


def test_bytes_after_the_end_are_refused(source: sb.Site, tmp_path: Path) -> None:
    archive = tmp_path / "x.tbk"
    sb.backup(site=source, archive=archive, passphrase=PASSPHRASE, work=CHEAP)
    with archive.open("ab") as handle:
        handle.write(b"\0")

    with pytest.raises(ba.ArchiveError, match="there are bytes after its end"):
        sr.restore(site=_site(tmp_path / "t"), archive=archive, passphrase=PASSPHRASE)


def test_not_an_archive(tmp_path: Path) -> None:
    other = tmp_path / "x.tbk"
    other.write_bytes(b"PK\x03\x04 a zip file")

    with pytest.raises(ba.ArchiveError, match="this is not a Tabyin backup archive"):
        sr.restore(site=_site(tmp_path / "t"), archive=other, passphrase=PASSPHRASE)


# --- scaled mode: pg_dump and pg_restore ----------------------------------------------------------


@pytest.fixture
def pg_pair(db: None) -> Any:
    """Two scratch databases beside the test database (same server and user), dropped after."""
    import psycopg
    from django.db import connection

    base = connection.settings_dict
    auth = f"{base['USER']}:{base['PASSWORD']}@" if base["PASSWORD"] else f"{base['USER']}@"
    server = f"postgres://{auth}{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}"
    names = [f"{base['NAME']}_bk_{side}" for side in ("src", "dst")]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"{server}/{name}" for name in names]
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_site(root: Path, url: str) -> sb.Site:
    return sb.Site(
        data_dir=root, database=sb.Database(postgres_url=url), receipt_secret_file=root / "receipt_pepper"
    )


@pytest.mark.postgresql
def test_postgresql_round_trip_and_non_empty_target(tmp_path: Path, pg_pair: list[str]) -> None:
    import psycopg

    source_url, target_url = pg_pair
    with psycopg.connect(source_url) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        conn.execute("INSERT INTO t SELECT i, 'متن ' || i FROM generate_series(1, 300) i")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "secret_key").write_text("key")
    archive = tmp_path / "x.tbk"

    sb.backup(
        site=_pg_site(tmp_path / "source", source_url), archive=archive, passphrase=PASSPHRASE, work=CHEAP
    )
    members = _read(archive)
    assert list(members) == ["backup.json", "database/tabyin.pgdump", "data/secret_key", "manifest.json"]
    assert members["database/tabyin.pgdump"].startswith(b"PGDMP")

    target = _pg_site(tmp_path / "target", target_url)
    sr.restore(site=target, archive=archive, passphrase=PASSPHRASE)
    with psycopg.connect(target_url) as conn:
        assert conn.execute("SELECT count(*), max(v) FROM t").fetchone() == (300, "متن 99")
        conn.execute("DELETE FROM t WHERE id > 10")
    assert (target.data_dir / "secret_key").read_text() == "key"

    (target.data_dir / "secret_key").unlink()  # only the database holds data now
    with pytest.raises(ba.ArchiveError, match=r"the target is not empty \(table public\.t\)"):
        sr.restore(site=target, archive=archive, passphrase=PASSPHRASE)

    sr.restore(site=target, archive=archive, passphrase=PASSPHRASE, force=True)
    with psycopg.connect(target_url) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (300,)

    sqlite_site = _site(tmp_path / "other")
    with pytest.raises(ba.ArchiveError, match="holds a postgresql database but this site uses sqlite"):
        sr.restore(site=sqlite_site, archive=archive, passphrase=PASSPHRASE)


def test_sealed_garbage_is_refused_as_damaged_contents(tmp_path: Path) -> None:
    """Right passphrase, wrong contents (a buggy or hostile writer): a clear error, not a traceback."""
    archive = tmp_path / "x.tbk"
    with archive.open("wb") as sink:
        writer = ba.SealingWriter(sink, PASSPHRASE, CHEAP)
        writer.write(b"\x1f\x8b\x08\x00" + b"not really gzip" * 100)
        writer.close()
    target = _site(tmp_path / "t")

    with pytest.raises(
        ba.ArchiveError, match=r"^the archive's contents are damaged \(.*\); nothing was restored\.$"
    ):
        sr.restore(site=target, archive=archive, passphrase=PASSPHRASE)
    assert list(target.data_dir.iterdir()) == []
