"""The response cache for /api/v1/meetings/ (``core.caching.versioned``).

Only the two public reads are cached (the upcoming meetings, one meeting with its questions and
commitments); registrations, codes, statuses and cancelling are POSTs with a private token.

A read is determined by its URL, the language, the public rows (meetings, their confirmed and
waiting registrations, questions with their votes, commitments) and the clock (a meeting leaves the
list when it ends; a commitment becomes overdue on a date). The counter is bumped after any of those
rows is saved or deleted (connected in ``reception.apps``) and explicitly where a service counts a
vote with ``F()``.
"""

from __future__ import annotations

from typing import Final

from tabyin.core.caching.versioned import VersionedReads

READS: Final = VersionedReads(
    key="meetings:public-version",
    prefix="meetings-api",
    public=frozenset({"meetings", "meeting"}),
    clock_seconds=60,
    by_language=True,
)
KEY: Final = READS.key
version = READS.version
bump = READS.bump
bump_on_change = READS.bump_on_change
api_view = READS.api_view
