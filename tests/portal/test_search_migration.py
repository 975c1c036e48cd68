"""Migration 0002 creates the search index and fills it from the rows that exist, on both
databases (the FTS5 table and triggers on SQLite, the tsvector column and GIN index on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tabyin.portal.models import SearchDoc
from tabyin.portal.search import selectors as search
from tests.portal.factories import install_catalog

BEFORE = [("portal", "0001_initial")]
AFTER = [("portal", "0002_search_search_index")]


@pytest.fixture
def back_to_0001(org: None) -> Iterator[MigrationExecutor]:
    install_catalog()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("portal"))


def _run(executor: MigrationExecutor) -> None:
    executor.loader.build_graph()
    executor.migrate(AFTER)


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_index_from_existing_rows(back_to_0001: MigrationExecutor) -> None:
    assert "portal_searchdoc" not in connection.introspection.table_names()
    _run(back_to_0001)
    assert SearchDoc.objects.count() == 31 + 5 + 5 + 14
    assert [(h.doc.kind, h.doc.key) for h in search.search("تهران").hits] == [("province", "IR-23")]
    if connection.vendor == "sqlite":
        assert "portal_searchdoc_fts" in connection.introspection.table_names()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_migration_adds_the_tsvector_column_and_gin_index(back_to_0001: MigrationExecutor) -> None:
    _run(back_to_0001)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'portal_searchdoc' AND indexname = %s",
            ["portal_searchdoc_terms_tsv"],
        )
        assert cursor.fetchone() == (
            "CREATE INDEX portal_searchdoc_terms_tsv ON public.portal_searchdoc USING gin (terms_tsv)",
        )
