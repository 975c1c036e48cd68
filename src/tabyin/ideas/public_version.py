"""The counter the public API's cached reads are keyed on (``ideas.api.http``), at the bottom of the
app's layers so the services that change public rows with ``.update()`` can bump it."""

from __future__ import annotations

from typing import Any, Final

from tabyin.core.caching import counters

KEY: Final = "ideas:public-version"


def version() -> int:
    return counters.read(KEY)


def bump() -> None:
    """Now and again when the transaction commits (``counters.bump_now_and_at_commit``)."""
    counters.bump_now_and_at_commit(KEY)


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    counters.bump_now_and_at_commit(KEY)
