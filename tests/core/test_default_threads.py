"""`tabyin serve` and `tabyin demo`: Python threads per web process when TABYIN_WEB_THREADS is 0."""

from __future__ import annotations

import pytest

from tabyin.cli import default_threads
from tabyin.config.env import load


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, 2),  # embedded: CPU work, more threads only contend for the GIL
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, 4),  # scaled
        ({"TABYIN_WEB_THREADS": "6"}, 6),
        ({"TABYIN_WEB_THREADS": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"}, 1),
    ],
)
def test_threads_per_process(
    environment: dict[str, str], expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TABYIN_WEB_THREADS", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    load.cache_clear()  # read once per process: read again for this environment
    try:
        assert default_threads() == expected
    finally:
        load.cache_clear()
