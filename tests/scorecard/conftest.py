from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture
def in_english() -> Iterator[None]:
    """Service tests compare messages with their English msgids; the site's default is Persian."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def not_a_demo_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exports and the API label demo data; whether this process's data directory holds a demo
    depends on which tests ran before (a demo load writes its credentials file there), so the
    scorecard's tests pin it to "no" and the tests about the label say "yes" themselves."""
    from tabyin.scorecard import selectors
    from tabyin.scorecard.exports import pdf, xlsx

    for module in (selectors, pdf, xlsx):
        monkeypatch.setattr(module, "is_demo", lambda: False)
