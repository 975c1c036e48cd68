"""The version counter of /api/v1/clarifications/'s cached reads (``responses.api_cache``).

Kept below the features because two of them change what the API shows: the answer workflow
(saves, through signals) and ingestion, whose raw UPDATE of a story's figures can move the first
publication time of a rumor that has a published answer and sends no signal.

The two public reads (the list and one answer) are fully determined by their URL and by the
published answers with their rumors' titles and first publication times. The tipline
(``tip-submit``, ``tip-status``) is never wrapped.
"""

from __future__ import annotations

from typing import Final

from tabyin.core.caching.versioned import VersionedReads

READS: Final = VersionedReads(
    key="monitor:clarifications-version",
    prefix="clarifications-api",
    public=frozenset({"clarifications", "clarification"}),
)
KEY: Final = READS.key
version = READS.version
bump = READS.bump
bump_on_change = READS.bump_on_change
