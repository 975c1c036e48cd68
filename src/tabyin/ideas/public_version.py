"""The counter the public API's cached reads are keyed on (``ideas.api.http``), at the bottom of the
app's layers so the services that change public rows with ``.update()`` can bump it.

Only the three public reads are cached (challenges, a challenge with its entries, one entry); the
codes, proofs, supports and sent ideas are POSTs. A read is determined by its URL, the language, the
public rows (challenges, screened entries, unflagged supports) and the clock: a challenge's phase is
computed from its dates, so a phase that begins shows at most a minute late without any row changing.
"""

from __future__ import annotations

from typing import Final

from tabyin.core.caching.versioned import VersionedReads

# The phase of a challenge follows the clock (a minute late at most); its names follow the language.
PUBLIC: Final = frozenset({"challenges", "challenge", "entry"})
READS: Final = VersionedReads(
    key="ideas:public-version", prefix="ideas-api", public=PUBLIC, clock_seconds=60, by_language=True
)
KEY: Final = READS.key
version = READS.version
bump = READS.bump
bump_on_change = READS.bump_on_change
