"""The response cache for /api/v1/polls/ (``core.caching.versioned``).

Only the public read is cached (a poll with its questions); answering is a POST with a client key.
A read is determined by its URL and the poll's row (title, state) and questions: the counter is
bumped after a poll or a question is saved or deleted (connected in ``reception.apps``). A poll's
questions are created with ``bulk_create`` (no signal) in the same transaction as the poll, whose
save bumps the counter again at the commit; a draft is never public anyway. The answer's body does
not depend on the API's language (only its errors do, and errors are never stored).
"""

from __future__ import annotations

from typing import Final

from tabyin.core.caching.versioned import VersionedReads

READS: Final = VersionedReads(key="polls:public-version", prefix="polls-api", public=frozenset({"poll"}))
KEY: Final = READS.key
version = READS.version
bump = READS.bump
bump_on_change = READS.bump_on_change
api_view = READS.api_view
