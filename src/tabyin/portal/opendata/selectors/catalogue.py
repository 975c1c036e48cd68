"""The published catalogue: datasets, indicators, releases, revisions and explanations.

Every function returns what the public may see and loads related rows in a fixed number of
queries, whatever the number of datasets or figures (the tests pin the counts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tabyin.core.persian_text import search_key
from tabyin.portal.enums import ExplanationKind, ExplanationState, ReleaseState
from tabyin.portal.models import Dataset, Explanation, Indicator, Observation, Release, Revision
from tabyin.portal.opendata.selectors.filters import DataQueryError, not_found

PUBLISHED_RELEASE: Final = Q(releases__state=ReleaseState.PUBLISHED)
# Slugs and codes are checked before they reach the database: a path segment can carry anything
# (PostgreSQL refuses a NUL byte with an error, which must be a 404 and not a 500).
_CODE: Final = re.compile(r"[-a-zA-Z0-9_]{1,100}")
NO_DATASET: Final = _("There is no dataset with this name.")
NO_INDICATOR: Final = _("There is no indicator with this code.")


def _datasets() -> QuerySet[Dataset]:
    indicators = Indicator.objects.select_related("theme").order_by("code")
    return (
        Dataset.objects.select_related("theme")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .annotate(
            released_at=Max("releases__published_at", filter=PUBLISHED_RELEASE),
            release_number=Max("releases__number", filter=PUBLISHED_RELEASE),
        )
        .order_by("theme__order", "theme__code", "slug")
    )


def datasets(q: str = "") -> list[Dataset]:
    """All datasets with theme, indicators and their last published release (``released_at``,
    ``release_number``); ``q`` matches every word of the query against the search text, with
    the same Persian normalisation the text was stored with."""
    qs = _datasets()
    for word in search_key(q).split():
        qs = qs.filter(search_text__contains=word)
    return list(qs)


def dataset(slug: str) -> Dataset:
    found = _datasets().filter(slug=slug).first() if _CODE.fullmatch(slug) else None
    if found is None:
        raise not_found(NO_DATASET, "slug")
    return found


def dataset_indicators(ds: Dataset) -> list[Indicator]:
    """The prefetched indicators of a dataset from ``datasets()``/``dataset()`` (no query)."""
    return list(ds.indicators.all())


def period_ranges(indicator_ids: Sequence[int] | None = None) -> dict[int, tuple[str, str]]:
    """First and last published period per indicator id, in one grouped query."""
    qs = Observation.objects.all()
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    grouped = qs.values("indicator_id").annotate(first=Min("period"), last=Max("period")).order_by()
    return {row["indicator_id"]: (row["first"], row["last"]) for row in grouped}


def dataset_range(ds: Dataset, ranges: dict[int, tuple[str, str]]) -> tuple[str, str] | None:
    own = [ranges[i.pk] for i in ds.indicators.all() if i.pk in ranges]
    if not own:
        return None
    return min(first for first, _ in own), max(last for _, last in own)


def published_releases(ds: Dataset) -> list[Release]:
    return list(ds.releases.filter(state=ReleaseState.PUBLISHED).order_by("-number"))


def dataset_revisions(ds: Dataset, *, limit: int) -> list[Revision]:
    """The latest changes to published figures of a dataset, newest first."""
    qs = Revision.objects.filter(release__dataset=ds).select_related("observation__indicator", "release")
    return list(qs.order_by("-id")[:limit])


def indicators(*, dataset_slug: str | None = None, theme: str | None = None) -> list[Indicator]:
    qs = Indicator.objects.select_related("dataset", "theme").order_by("theme__order", "code")
    if dataset_slug:
        qs = qs.filter(dataset__slug=dataset_slug)
    if theme:
        qs = qs.filter(theme__code=theme)
    return list(qs)


def indicator(code: str) -> Indicator:
    qs = Indicator.objects.select_related("dataset", "theme")
    found = qs.filter(code=code).first() if _CODE.fullmatch(code) else None
    if found is None:
        raise not_found(NO_INDICATOR, "code")
    return found


def check_indicator_codes(codes: Sequence[str]) -> None:
    """Refuse unknown codes in a filter: a typo must not look like "nothing published"."""
    if not codes:
        return
    known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        raise DataQueryError("unknown_indicator", NO_INDICATOR, "indicator")


def check_dataset_slug(slug: str | None) -> None:
    if slug is not None and not Dataset.objects.filter(slug=slug).exists():
        raise DataQueryError("unknown_dataset", NO_DATASET, "dataset")


def _id_page[T: (Explanation, Revision)](
    qs: QuerySet[T], *, after: int | None, size: int
) -> tuple[list[T], int | None]:
    """Newest first, keyset on the id (both tables only ever grow)."""
    if after is not None:
        qs = qs.filter(id__lt=after)
    items = list(qs.order_by("-id")[: size + 1])
    if len(items) <= size:
        return items, None
    return items[:size], items[size - 1].pk


def explanations(
    *,
    indicator_codes: Sequence[str] = (),
    area: str | None = None,
    period: str | None = None,
    kind: str | None = None,
    after: int | None = None,
    size: int,
) -> tuple[list[Explanation], int | None]:
    """Published explanations. An explanation with no area (or no period) applies to every area
    (period), so asking for ``IR-23`` also returns those: it answers "what explains this figure"."""
    if kind is not None and kind not in ExplanationKind.values:
        raise DataQueryError("invalid_kind", _("The kind is strength, weakness or caveat."), "kind")
    check_indicator_codes(indicator_codes)
    qs = Explanation.objects.filter(state=ExplanationState.PUBLISHED).select_related("indicator")
    if indicator_codes:
        qs = qs.filter(indicator__code__in=indicator_codes)
    if area is not None:
        qs = qs.filter(area__in=[area, ""])
    if period is not None:
        qs = qs.filter(period__in=[period, ""])
    if kind is not None:
        qs = qs.filter(kind=kind)
    return _id_page(qs, after=after, size=size)


def revisions(
    *,
    indicator_codes: Sequence[str] = (),
    dataset_slug: str | None = None,
    since: datetime | None = None,
    after: int | None = None,
    size: int,
) -> tuple[list[Revision], int | None]:
    """Changes to published figures, newest first."""
    check_indicator_codes(indicator_codes)
    check_dataset_slug(dataset_slug)
    qs = Revision.objects.select_related("observation__indicator__dataset", "release")
    if indicator_codes:
        qs = qs.filter(observation__indicator__code__in=indicator_codes)
    if dataset_slug:
        qs = qs.filter(release__dataset__slug=dataset_slug)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    return _id_page(qs, after=after, size=size)
