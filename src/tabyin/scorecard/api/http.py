"""The response cache for /api/v1/scorecards/ (``core.caching.versioned``).

A response is fully determined by its URL and by which periods are public with which current run
(publishing, finalizing and rescoring change that; a run's results are never edited in place). The
counter is bumped after any period or run is saved or deleted (``bump_on_change``, connected in
``apps.ready``): one cache read per request, where the set itself was a join. Every operation of
this API is a public read.
"""

from __future__ import annotations

from typing import Final

from tabyin.core.caching.versioned import VersionedReads

READS: Final = VersionedReads(key="scorecard:public-version", prefix="scorecard-api", public=None)
KEY: Final = READS.key
version = READS.version
bump = READS.bump
bump_on_change = READS.bump_on_change
api_view = READS.api_view
