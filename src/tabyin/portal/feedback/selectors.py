"""Reads of "was this clear?" answers: where an answer sends the reader back to (the page it was
given on, if public), and the counts per page and day that reception reports."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import get_language

from tabyin.core import selectors as core_selectors
from tabyin.core.registry import ClarityDay
from tabyin.portal.enums import PUBLIC_EXPLANATION_STATES
from tabyin.portal.models import Explanation, Feedback, Indicator


def indicator_code(pk: int) -> str | None:
    """Where a "was this clear?" answer about an indicator sends the reader back to."""
    return Indicator.objects.filter(pk=pk).values_list("code", flat=True).first()


def explanation_thread(pk: int) -> int | None:
    rows = Explanation.objects.filter(pk=pk, state__in=PUBLIC_EXPLANATION_STATES)
    return rows.values_list("thread", flat=True).first()


def clarity_days(start: date, end: date) -> list[ClarityDay]:
    """The answers per page and day (Iran time) in ``[start, end)``, for reception's reports: counts
    only. An explanation about one province carries that province; indicators are national."""
    rows = (
        Feedback.objects.annotate(day=TruncDate("created_hour"))
        .filter(day__gte=start, day__lt=end)
        .values("target", "target_id", "day")
        .annotate(yes=Count("pk", filter=Q(clear=True)), no=Count("pk", filter=Q(clear=False)))
        .order_by("target", "target_id", "day")
    )
    found = list(rows)
    english = not (get_language() or "fa").startswith("fa")
    ids = {
        target: {r["target_id"] for r in found if r["target"] == target}
        for target in ("indicator", "explanation")
    }
    pages: dict[tuple[str, int], tuple[str, str, int | None]] = {}
    for ind in Indicator.objects.filter(pk__in=ids["indicator"]).only("code", "name_fa", "name_en"):
        title = ind.name_en if english and ind.name_en else ind.name_fa
        pages["indicator", ind.pk] = (title, reverse("portal:indicator", args=[ind.code]), None)
    explanations = list(
        Explanation.objects.filter(pk__in=ids["explanation"]).only("thread", "area", "title_fa", "title_en")
    )
    areas = {e.area for e in explanations if e.area}
    provinces = dict(core_selectors.provinces().filter(iso_code__in=areas).values_list("iso_code", "pk"))
    for e in explanations:
        title = e.title_en if english and e.title_en else e.title_fa
        url = reverse("portal:explanation", args=[e.thread])
        pages["explanation", e.pk] = (title, url, provinces.get(e.area))
    result = []
    for row in found:
        page = pages.get((row["target"], row["target_id"]))
        if page is not None:  # a page since removed has nowhere to send the reader
            result.append(
                ClarityDay(
                    key=f"portal:{row['target']}:{row['target_id']}",
                    title=page[0],
                    url=page[1],
                    province_id=page[2],
                    day=row["day"],
                    clear=row["yes"],
                    unclear=row["no"],
                )
            )
    return result
