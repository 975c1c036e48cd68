"""Where an answer sends the reader back to: the page it was given on, if that page is public."""

from __future__ import annotations

from tabyin.portal.enums import PUBLIC_EXPLANATION_STATES
from tabyin.portal.models import Explanation, Indicator


def indicator_code(pk: int) -> str | None:
    """Where a "was this clear?" answer about an indicator sends the reader back to."""
    return Indicator.objects.filter(pk=pk).values_list("code", flat=True).first()


def explanation_thread(pk: int) -> int | None:
    rows = Explanation.objects.filter(pk=pk, state__in=PUBLIC_EXPLANATION_STATES)
    return rows.values_list("thread", flat=True).first()
