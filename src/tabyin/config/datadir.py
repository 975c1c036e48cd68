"""The data directory: created on first use, checked for writability, home of the secret key."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from tabyin.config.env import ConfigError

SECRET_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)
PEPPER_FILE = "receipt_pepper"
TIGHTENED = "modes-tightened"  # in run/: the one-time walk of tighten() is done
OTP_KEY_FILE = "otp_key"
IDENTITY_KEY_FILE = "identity_key"
SQLITE_FILE = "tabyin.sqlite3"  # the embedded database, when DATABASE_URL is empty


# Everything this process creates is readable by its user only: the SQLite files and their logs,
# mail written as files, uploads, keys, the scheduler's files. Set once, before the first file.
UMASK = 0o077


def prepare(data_dir: Path) -> None:
    os.umask(UMASK)
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        for sub in ("media", "static", "mail", "run", "reports"):
            (data_dir / sub).mkdir(mode=0o700, exist_ok=True)
        marker = data_dir / "run" / TIGHTENED
        if not marker.exists():
            # Once per data directory: what this version creates is owner-only by the umask, so
            # only files an older version left need the walk, not every command's start-up.
            tighten(data_dir)
            marker.touch()
        # One probe per process: workers starting together on one directory must not remove each
        # other's probe.
        probe = data_dir / "run" / f".write-test-{os.getpid()}"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise ConfigError(
            f"TABYIN_DATA_DIR={str(data_dir)!r}: the data directory is not writable "
            f"({error.strerror}). Choose another with --data-dir or TABYIN_DATA_DIR."
        ) from None


def secret_key(data_dir: Path) -> str:
    """Return the key kept in the data directory, generating it once with mode 0600."""
    return _secret_file(data_dir / SECRET_FILE)


def otp_key(data_dir: Path) -> str:
    """The key that encrypts TOTP secrets in the database (never stored there), made once, 0600."""
    return _secret_file(data_dir / OTP_KEY_FILE)


def identity_key(data_dir: Path) -> str:
    """The key of the keyed hashes of verified phone numbers and e-mail addresses, made once, 0600."""
    return _secret_file(data_dir / IDENTITY_KEY_FILE)


def receipt_pepper(data_dir: Path, *, pepper_file: Path | None = None) -> str:
    """The receipt codes' pepper, from ``pepper_file`` (``TABYIN_RECEIPT_PEPPER_FILE``, made there
    once) or else DATA_DIR/receipt_pepper.

    Only a pepper outside the data directory and its backups keeps a stolen backup from testing
    receipt guesses at all; in the data directory it is in every backup, and each guess then costs
    one Argon2id run and nothing more (ADR 0013)."""
    in_data_dir = data_dir / PEPPER_FILE
    if pepper_file is None:
        return _secret_file(in_data_dir)
    if not pepper_file.exists() and in_data_dir.exists() and pepper_file.resolve() != in_data_dir.resolve():
        raise ConfigError(
            f"TABYIN_RECEIPT_PEPPER_FILE={str(pepper_file)!r} does not exist, but {str(in_data_dir)!r} "
            "does: move that file there (mv keeps every receipt code working). A new pepper would "
            "open no receipt made before."
        )
    try:
        return _secret_file(pepper_file)
    except OSError as error:
        raise ConfigError(
            f"TABYIN_RECEIPT_PEPPER_FILE={str(pepper_file)!r}: cannot read or create it ({error.strerror})."
        ) from None


def receipt_pepper_path(data_dir: Path, pepper_file: Path | None = None) -> Path:
    """Where the receipt pepper lives (``TABYIN_RECEIPT_PEPPER_FILE``, else DATA_DIR/receipt_pepper);
    `tabyin backup` leaves it out of the archive unless asked."""
    return pepper_file if pepper_file is not None else data_dir / PEPPER_FILE


def _secret_file(path: Path) -> str:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def inside(path: Path, data_dir: Path) -> bool:
    """True when ``path`` is in the data directory (and so in its backups)."""
    return path.resolve().is_relative_to(data_dir.resolve())


def tighten(data_dir: Path) -> None:
    """Owner-only modes on what an earlier version, a restore or a hand copy left looser: 0700 for
    directories, 0600 for files. Symbolic links are not followed (their targets are not ours)."""
    data_dir.chmod(0o700)
    for root, dirs, files in os.walk(data_dir):
        for name, mode in [(d, 0o700) for d in dirs] + [(f, 0o600) for f in files]:
            path = Path(root) / name
            try:
                current = path.lstat().st_mode
                if not stat.S_ISLNK(current) and stat.S_IMODE(current) != mode:
                    path.chmod(mode)
            except FileNotFoundError:
                continue  # another process starting on this directory removed it meanwhile
