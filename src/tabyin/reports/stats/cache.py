"""The response cache for the two public reads of /api/v1/reports/ (``core.caching.versioned``).

``categories`` and ``statistics`` are answered from the response cache under a token of two parts:

- the counter ``reports:public-version`` in the shared cache, bumped after a category, an archived
  tally, or a report *received before that month* is saved or deleted (``bump_on_change``). A report
  received this month changes nothing published (ADR: complete months only), so it does not bump
  the counter either: the ETag must not tell anyone that a report has just arrived;
- the month the statistics stop at (``stats.selectors.month_start``): a new month publishes new
  figures without anyone changing anything.

The writes and the follow-up (``no-store``, personal) are left as they are.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils import timezone

from tabyin.core.caching.versioned import VersionedReads
from tabyin.reports.stats.selectors import month_start


def _month() -> str:
    return f"m{month_start(timezone.localdate()).date().isoformat()}"


READS: Final = VersionedReads(
    key="reports:public-version",
    prefix="reports-api",
    public=frozenset({"categories", "statistics"}),
    extra=_month,
)
KEY: Final = READS.key
version = READS.version
bump = READS.bump
api_view = READS.api_view


def bump_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save/post_delete of Category, ArchivedTally and Report (``apps.ready``)."""
    received = getattr(instance, "received_at", None)
    if received is not None and received >= month_start(timezone.localdate()):
        return
    READS.bump()
