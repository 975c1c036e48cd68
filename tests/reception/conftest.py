from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture
def in_persian() -> Iterator[None]:
    with translation.override("fa"):
        yield
