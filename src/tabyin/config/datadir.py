"""The data directory: created on first use, checked for writability, home of the secret key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tabyin.config.env import ConfigError

SECRET_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)
PEPPER_FILE = "receipt_pepper"
SQLITE_FILE = "tabyin.sqlite3"  # the embedded database, when DATABASE_URL is empty


def prepare(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("media", "static", "mail", "run", "reports"):
            (data_dir / sub).mkdir(exist_ok=True)
        probe = data_dir / "run" / ".write-test"
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


def receipt_pepper_path(data_dir: Path) -> Path:
    """Where the generated receipt secret lives; `tabyin backup` leaves it out unless asked."""
    return data_dir / PEPPER_FILE


def receipt_pepper(data_dir: Path) -> str:
    """The receipt codes' pepper: beside the database, never in it, so a stolen dump is not enough."""
    return _secret_file(receipt_pepper_path(data_dir))


def _secret_file(path: Path) -> str:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
