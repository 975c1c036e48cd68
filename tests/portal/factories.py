"""Portal test data built straight on the models, for tests that read published figures.

Tests of the release pipeline itself go through ``services_release``; everything else may use
these helpers to lay down a small, exact set of observations.
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import sha256

from django.core.files.base import ContentFile

from tabyin.core.jalali import period_bounds
from tabyin.portal.catalog.services import catalog_install
from tabyin.portal.enums import FigureStatus, ReleaseState
from tabyin.portal.models import Dataset, Indicator, Observation, Release


def install_catalog() -> None:
    catalog_install()


def release(dataset: Dataset, *, status: FigureStatus = FigureStatus.FINAL) -> Release:
    number = Release.objects.filter(dataset=dataset).count() + 1
    content = b"indicator,area,period,value\n"
    obj = Release(
        dataset=dataset,
        number=number,
        state=ReleaseState.PUBLISHED,
        status=status,
        upload_name=f"{dataset.slug}-{number}.csv",
        upload_sha256=sha256(content).hexdigest(),
    )
    obj.upload.save(obj.upload_name, ContentFile(content), save=False)
    obj.save()
    return obj


def observe(
    indicator_code: str,
    area: str,
    period: str,
    value: str | int | None,
    *,
    numerator: str | int | None = None,
    denominator: str | int | None = None,
    status: FigureStatus = FigureStatus.FINAL,
    suppressed: bool = False,
    in_release: Release | None = None,
) -> Observation:
    indicator = Indicator.objects.get(code=indicator_code)
    rel = in_release or release(indicator.dataset, status=status)
    return Observation.objects.create(
        indicator=indicator,
        area=area,
        period=period,
        period_start=period_bounds(period)[0],
        value=None if value is None else Decimal(str(value)),
        numerator=None if numerator is None else Decimal(str(numerator)),
        denominator=None if denominator is None else Decimal(str(denominator)),
        status=status,
        suppressed=suppressed,
        release=rel,
    )
