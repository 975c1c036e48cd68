"""The response cache for /api/v1/ideas/ (``core.caching.versioned``): the counter, the public
operations, the clock and the language are ``ideas.public_version``'s."""

from __future__ import annotations

from tabyin.ideas.public_version import READS

api_view = READS.api_view
