"""The response cache for /api/v1/clarifications/ (``core.caching.versioned``): the counter and the
public operations are ``monitor.api_version``'s, bumped by the answer workflow's saves and by
ingestion."""

from __future__ import annotations

from tabyin.monitor.api_version import READS

api_view = READS.api_view
