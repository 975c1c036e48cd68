"""The data directory: created on first use, checked for writability, home of the secret key."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from tabyin.config.env import ConfigError

SECRET_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)
PEPPER_FILE = "receipt_pepper"


# Everything this process creates is readable by its user only: the SQLite files and their logs,
# mail written as files, uploads, keys, the scheduler's files. Set once, before the first file.
UMASK = 0o077


def prepare(data_dir: Path) -> None:
    os.umask(UMASK)
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        for sub in ("media", "static", "mail", "run", "reports"):
            (data_dir / sub).mkdir(mode=0o700, exist_ok=True)
        tighten(data_dir)
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


def receipt_pepper(data_dir: Path) -> str:
    """The receipt codes' pepper: beside the database, never in it, so a stolen dump is not enough."""
    return _secret_file(data_dir / PEPPER_FILE)


def _secret_file(path: Path) -> str:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def tighten(data_dir: Path) -> None:
    """Owner-only modes on what an earlier version, a restore or a hand copy left looser: 0700 for
    directories, 0600 for files. Symbolic links are not followed (their targets are not ours)."""
    data_dir.chmod(0o700)
    for root, dirs, files in os.walk(data_dir):
        for name, mode in [(d, 0o700) for d in dirs] + [(f, 0o600) for f in files]:
            path = Path(root) / name
            current = path.lstat().st_mode
            if not stat.S_ISLNK(current) and stat.S_IMODE(current) != mode:
                path.chmod(mode)
