"""The version counter of /api/v1/clarifications/'s cached reads (``responses.api_cache``).

Kept below the features because two of them change what the API shows: the answer workflow
(saves, through signals) and ingestion, whose raw UPDATE of a story's figures can move the first
publication time of a rumor that has a published answer and sends no signal.
"""

from __future__ import annotations

from typing import Any, Final

from tabyin.core.caching import counters

KEY: Final = "monitor:clarifications-version"


def version() -> int:
    return counters.read(KEY)


def bump() -> None:
    """At once and again when the transaction commits: a copy rendered from a read made before the
    commit (the change not yet visible) must not outlive it."""
    counters.bump_now_and_at_commit(KEY)


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    bump()
