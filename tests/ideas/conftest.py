from __future__ import annotations

from collections.abc import Iterator

import pytest

from tabyin.core.sms import console


@pytest.fixture(autouse=True)
def _empty_outbox() -> Iterator[None]:
    console.clear()
    yield
    console.clear()
