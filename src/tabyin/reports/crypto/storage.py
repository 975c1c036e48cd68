"""Encrypted evidence files on disk: random names, outside MEDIA_ROOT and the web root."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings

from tabyin.reports.crypto import sodium


def _root() -> Path:
    root = Path(settings.TABYIN_REPORTS_FILES_DIR)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    root.chmod(0o700)  # the data directory may have created it with the default mode
    return root


def write(key: bytes, data: bytes) -> str:
    name = secrets.token_hex(16)
    path = _root() / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sodium.encrypt(key, data))
    return name


def read(key: bytes, name: str) -> bytes:
    return sodium.decrypt(key, (_root() / _checked(name)).read_bytes())


def delete(name: str) -> None:
    (_root() / _checked(name)).unlink(missing_ok=True)


def _checked(name: str) -> str:
    if len(name) != 32 or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("not a stored file name")
    return name
