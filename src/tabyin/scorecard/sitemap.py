"""The scorecard's public pages for /sitemap.xml: the index and method, each published or final
period, and each province's page in it, dated by the period's current computation."""

from __future__ import annotations

from datetime import datetime

from tabyin.core.registry import SitemapEntry
from tabyin.scorecard.models import Framework, ProvinceResult, ScoreRun
from tabyin.scorecard.selectors import PUBLIC_STATES


def entries() -> list[SitemapEntry]:
    runs = list(
        ScoreRun.objects.filter(is_current=True, period__state__in=PUBLIC_STATES)
        .order_by("-period__code")
        .values_list("pk", "period__code", "computed_at")
    )
    newest: datetime | None = max((when for _pk, _code, when in runs), default=None)
    framework = Framework.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    found = [
        SitemapEntry("scorecard:public-index", lastmod=newest),
        SitemapEntry("scorecard:public-method", lastmod=framework),
    ]
    dated = {pk: (code, when) for pk, code, when in runs}
    found += [SitemapEntry("scorecard:public-period", (code,), when) for code, when in dated.values()]
    results = (
        ProvinceResult.objects.filter(run_id__in=dated)
        .order_by("run_id", "province__iso_code")
        .values_list("run_id", "province__iso_code")
    )
    found += [
        SitemapEntry("scorecard:public-province", (dated[run][0], iso), dated[run][1]) for run, iso in results
    ]
    return found
