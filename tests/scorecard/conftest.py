from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture
def in_english() -> Iterator[None]:
    """Service tests compare messages with their English msgids; the site's default is Persian."""
    with translation.override("en"):
        yield
