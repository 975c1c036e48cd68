"""Install the indicator catalogue (idempotent) and keep search text in step with it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model, TextField

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.permissions import can_administer, require
from tabyin.core.persian_text import normalize, search_key
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.portal.catalog import definitions as catalog
from tabyin.portal.explanations.services import paragraphs
from tabyin.portal.models import Dataset, Indicator, Theme
from tabyin.portal.release.services import data_version_bump
from tabyin.portal.search import index as search_index


def indicator_search_text(indicator: Indicator) -> str:
    parts = [indicator.name_fa, indicator.name_en, indicator.what_fa, indicator.code, indicator.unit_fa]
    return " ".join(search_key(p) for p in parts if p)


def dataset_search_text(dataset: Dataset) -> str:
    parts = [dataset.title_fa, dataset.title_en, dataset.description_fa, dataset.slug, *dataset.keywords]
    return " ".join(search_key(str(p)) for p in parts if p)


@transaction.atomic
def catalog_install() -> tuple[int, int]:
    """Create missing themes, datasets and indicators; existing ones are left as staff edited them.

    Returns (created, kept) counts of indicators.
    """
    themes = {}
    for t in catalog.THEMES:
        themes[t.code], _ = Theme.objects.get_or_create(
            code=t.code,
            defaults={
                "name_fa": t.name_fa,
                "name_en": t.name_en,
                "summary_fa": t.summary_fa,
                "order": t.order,
            },
        )
    datasets = {}
    for code, (title_fa, title_en) in catalog.DATASETS.items():
        dataset, created = Dataset.objects.get_or_create(
            slug=code,
            defaults={"theme": themes[code], "title_fa": title_fa, "title_en": title_en},
        )
        if created:
            dataset.search_text = dataset_search_text(dataset)
            dataset.save(update_fields=["search_text"])
        datasets[code] = dataset
    created_count = kept = 0
    for d in catalog.INDICATORS:
        if Indicator.objects.filter(code=d.code).exists():
            kept += 1
            continue
        indicator = Indicator(
            code=d.code,
            dataset=datasets[d.theme],
            theme=themes[d.theme],
            name_fa=d.name_fa,
            name_en=d.name_en,
            what_fa=d.what_fa,
            why_fa=d.why_fa,
            how_to_read_fa=d.how_to_read_fa,
            kind=d.kind,
            unit_fa=d.unit_fa,
            unit_en=d.unit_en,
            numerator_fa=d.numerator_fa,
            denominator_fa=d.denominator_fa,
            factor=d.factor,
            decimals=d.decimals,
            direction=d.direction,
            source_fa=d.source_fa,
            headline_order=d.headline_order,
            suppress_below=d.suppress_below,
            per_capita=d.per_capita,
            national_only=d.national_only,
        )
        indicator.search_text = indicator_search_text(indicator)
        indicator.save()
        created_count += 1
    search_index.rebuild()  # the provinces' names too: they come from core's org units
    return created_count, kept


def _values(obj: Model, names: list[str]) -> dict[str, Any]:
    """JSON-ready values for the audit entry (a foreign key as its id)."""
    fields = {f.name: f for f in obj._meta.concrete_fields}
    return {name: getattr(obj, fields[name].attname) for name in names if name in fields}


@transaction.atomic
def catalog_entry_save(*, actor: User, obj: Model, changed: list[str], is_new: bool) -> None:
    """Save a theme, dataset or indicator edited by a national administrator: checked,
    normalized, search text in step, audited, and public pages refreshed after the commit."""
    scope = scope_for(actor)
    require(can_administer(scope) and scope.national, "only national administrators edit the catalogue")
    before = {} if is_new else _values(type(obj)._default_manager.get(pk=obj.pk), changed)
    for field in obj._meta.concrete_fields:  # Persian text is stored normalized, as everywhere
        if field.name.endswith("_fa") and isinstance(getattr(obj, field.name), str):
            clean = paragraphs if isinstance(field, TextField) else normalize
            setattr(obj, field.name, clean(getattr(obj, field.name)))
    if isinstance(obj, Dataset):
        obj.search_text = dataset_search_text(obj)
    elif isinstance(obj, Indicator):
        obj.search_text = indicator_search_text(obj)
    obj.save()
    if isinstance(obj, Theme):
        search_index.index_theme(obj)
    elif isinstance(obj, Dataset):
        search_index.index_dataset(obj)
    elif isinstance(obj, Indicator):
        search_index.index_indicator(obj)
    names = [f.name for f in obj._meta.concrete_fields if f.editable and f.name != "id"]
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=_values(obj, names if is_new else changed),
    )
    transaction.on_commit(data_version_bump)
