"""What goes into the search index, and the calls that keep it in step with the rows.

The services that save rows call these: ``services_catalog`` (catalogue install and admin edits of
themes, datasets and indicators, plus the provinces' names), ``services_explanation`` (publication
of a version replaces its thread's document). ``rebuild`` writes everything from scratch (the
``portal_search_rebuild`` command, the migration that creates the index).

The ``*_doc`` builders are pure: they read attributes only, so the migration can call them with
its historical models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from tabyin.core import selectors as core_selectors
from tabyin.portal.enums import ExplanationState
from tabyin.portal.models import Dataset, Explanation, Indicator, SearchDoc, Theme
from tabyin.portal.search.analysis import document_terms

Doc = dict[str, Any]


def _doc(kind: str, key: str, titles: Iterable[str], bodies: Iterable[str], **fields: Any) -> Doc:
    titles, bodies = [t for t in titles if t], [b for b in bodies if b]
    # Title and text are scored as separate fields (search.rank), so a word in both counts in both.
    return {
        "kind": kind,
        "key": key,
        "title_terms": " ".join(document_terms(*titles)),
        "body_terms": " ".join(document_terms(*bodies)),
        **fields,
    }


def province_doc(unit: Any) -> Doc:
    return _doc(
        "province",
        unit.iso_code,
        [unit.name_fa, unit.name_en],
        [],
        area=unit.iso_code,
        title_fa=unit.name_fa,
        title_en=unit.name_en,
    )


def theme_doc(theme: Any) -> Doc:
    return _doc(
        "theme",
        theme.code,
        [theme.name_fa, theme.name_en],
        [theme.summary_fa, theme.summary_en],
        theme=theme.code,
        title_fa=theme.name_fa,
        title_en=theme.name_en,
        text_fa=theme.summary_fa,
        text_en=theme.summary_en,
    )


def dataset_doc(dataset: Any, theme_code: str) -> Doc:
    keywords = [str(k) for k in (dataset.keywords if isinstance(dataset.keywords, list) else [])]
    return _doc(
        "dataset",
        dataset.slug,
        [dataset.title_fa, dataset.title_en],
        [dataset.description_fa, dataset.description_en, *keywords],
        theme=theme_code,
        title_fa=dataset.title_fa,
        title_en=dataset.title_en,
        text_fa=dataset.description_fa,
        text_en=dataset.description_en,
    )


def indicator_doc(indicator: Any, theme_code: str) -> Doc:
    return _doc(
        "indicator",
        indicator.code,
        [indicator.name_fa, indicator.name_en],
        [
            indicator.what_fa,
            indicator.why_fa,
            indicator.how_to_read_fa,
            indicator.numerator_fa,
            indicator.denominator_fa,
            indicator.unit_fa,
        ],
        theme=theme_code,
        title_fa=indicator.name_fa,
        title_en=indicator.name_en,
        text_fa=f"{indicator.what_fa} {indicator.why_fa}".strip(),
    )


def explanation_doc(explanation: Any, theme_code: str) -> Doc:
    """An explanation is about its indicator (its page shows the figure), so the indicator's name
    is searchable text of it too."""
    e = explanation
    return _doc(
        "explanation",
        str(e.thread),
        [e.title_fa, e.title_en],
        [e.body_fa, e.action_fa, e.body_en, e.action_en, e.indicator.name_fa, e.indicator.name_en],
        theme=theme_code,
        area=e.area,
        period=e.period,
        title_fa=e.title_fa,
        title_en=e.title_en,
        text_fa=e.body_fa,
        text_en=e.body_en,
    )


def write(docs: Iterable[Doc], model: Any = SearchDoc) -> None:
    """Insert or replace documents by (kind, key). The FTS table follows through triggers (SQLite)
    or a generated column (PostgreSQL), so nothing else has to be written."""
    for doc in docs:
        fields = {k: v for k, v in doc.items() if k not in ("kind", "key")}
        model.objects.update_or_create(kind=doc["kind"], key=doc["key"], defaults=fields)


def index_theme(theme: Theme) -> None:
    write([theme_doc(theme)])


def index_dataset(dataset: Dataset) -> None:
    write([dataset_doc(dataset, dataset.theme.code)])


def index_indicator(indicator: Indicator) -> None:
    write([indicator_doc(indicator, indicator.theme.code)])


def index_explanation(explanation: Explanation) -> None:
    """The thread's published version is its document; a thread with none has no document."""
    if explanation.state == ExplanationState.PUBLISHED:
        write([explanation_doc(explanation, explanation.indicator.theme.code)])
    else:
        SearchDoc.objects.filter(kind="explanation", key=str(explanation.thread)).delete()


def index_provinces() -> None:
    write(province_doc(u) for u in core_selectors.provinces())


@transaction.atomic
def rebuild() -> int:
    """Every document from the rows, the stale ones removed. Returns the number of documents."""
    SearchDoc.objects.all().delete()
    docs = [province_doc(u) for u in core_selectors.provinces()]
    docs += [theme_doc(t) for t in Theme.objects.all()]
    docs += [dataset_doc(d, d.theme.code) for d in Dataset.objects.select_related("theme")]
    docs += [indicator_doc(i, i.theme.code) for i in Indicator.objects.select_related("theme")]
    published = Explanation.objects.filter(state=ExplanationState.PUBLISHED)
    published = published.select_related("indicator__theme")
    docs += [explanation_doc(e, e.indicator.theme.code) for e in published]
    SearchDoc.objects.bulk_create(SearchDoc(**d) for d in docs)
    return len(docs)
