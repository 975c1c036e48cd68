"""The response cache for /api/v1/news/ (``core.caching.versioned``).

Both reads (the list and one page) are fully determined by their URL and by the published
messages. The counter is bumped after any message is saved or deleted (``bump_on_change``,
connected in ``apps.ready``) and by the website delivery, which publishes with a conditional UPDATE
that sends no signal.
"""

from __future__ import annotations

from typing import Final

from tabyin.core.caching.versioned import VersionedReads

READS: Final = VersionedReads(
    key="campaigns:news-version", prefix="news-api", public=frozenset({"news-list", "news"})
)
KEY: Final = READS.key
version = READS.version
bump = READS.bump
bump_on_change = READS.bump_on_change
api_view = READS.api_view
