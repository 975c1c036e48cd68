"""The transparency site's pages for /sitemap.xml, each dated by the publication it shows.

A page's ``lastmod`` is the newest publication of a release of the datasets it draws on (the home
and province pages draw on all of them), or an explanation's publication. Four queries whatever
the size of the catalogue.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from tabyin.core import selectors as core_selectors
from tabyin.core.registry import SitemapEntry
from tabyin.portal.enums import ExplanationState, ReleaseState
from tabyin.portal.models import Dataset, Explanation, Indicator, Release, Theme


def _published_by_dataset() -> dict[int, datetime]:
    rows = (
        Release.objects.filter(state=ReleaseState.PUBLISHED, published_at__isnull=False)
        .values("dataset_id")
        .annotate(last=Max("published_at"))
    )
    return {row["dataset_id"]: row["last"] for row in rows}


def entries() -> list[SitemapEntry]:
    published = _published_by_dataset()
    newest = max(published.values(), default=None)
    datasets = list(Dataset.objects.order_by("theme__order", "slug").values_list("pk", "slug", "theme_id"))
    by_theme: dict[int, datetime] = {}
    for pk, _slug, theme_id in datasets:
        if pk in published:
            by_theme[theme_id] = max(published[pk], by_theme.get(theme_id, published[pk]))
    found = [SitemapEntry("core:home", lastmod=newest)]
    found += [
        SitemapEntry("portal:theme", (code,), by_theme.get(pk))
        for pk, code in Theme.objects.values_list("pk", "code")
    ]
    found += [
        SitemapEntry("portal:indicator", (code,), published.get(dataset_id))
        for code, dataset_id in Indicator.objects.order_by("theme__order", "code").values_list(
            "code", "dataset_id"
        )
    ]
    found += [
        SitemapEntry("portal:province", (iso,), newest)
        for iso in core_selectors.provinces().values_list("iso_code", flat=True)
    ]
    found += [
        SitemapEntry("portal:explanation", (thread,), when)
        for thread, when in Explanation.objects.filter(state=ExplanationState.PUBLISHED)
        .order_by("thread")
        .values_list("thread", "published_at")
    ]
    found.append(SitemapEntry("portal:datasets", lastmod=newest))
    found += [SitemapEntry("portal:dataset", (slug,), published.get(pk)) for pk, slug, _theme in datasets]
    return found
