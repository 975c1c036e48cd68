"""The one place that speaks a database's full-text dialect: which documents contain any of a
query's terms. Ranking, highlighting and facets happen in Python on what this returns, so both
databases give the same order (ADR 0015).

- SQLite (embedded mode): an FTS5 table ``portal_searchdoc_fts`` with ``portal_searchdoc`` as its
  external content, kept in step by triggers (migration 0002). Query ``"term" OR "pre"*``.
- PostgreSQL (scaled mode): a generated ``tsvector`` column ``terms_tsv`` on ``portal_searchdoc``
  (``to_tsvector('simple', …)``) with a GIN index. Query ``to_tsquery('simple', 'term | pre:*')``.

Both index the terms ``search_analysis`` wrote, already normalized and stemmed in Python, so
neither engine's own stemming or stop words are used ('simple' on PostgreSQL, no Porter in FTS5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from django.db import connection

from tabyin.portal.models import SearchDoc

MAX_CANDIDATES: Final = 1000
_TERM: Final = re.compile(r"^[^\W_]+$")  # what search_analysis writes: no quote, operator or space


@dataclass(frozen=True)
class Alternative:
    term: str
    prefix: bool = False


def _checked(alternatives: list[Alternative]) -> list[Alternative]:
    # Terms come from search_analysis, never raw input; still, nothing with syntax may reach MATCH.
    return [a for a in alternatives if _TERM.match(a.term)]


def _sqlite_query(alternatives: list[Alternative]) -> str:
    return " OR ".join(f'"{a.term}"*' if a.prefix else f'"{a.term}"' for a in alternatives)


def _postgres_query(alternatives: list[Alternative]) -> str:
    return " | ".join(f"'{a.term}':*" if a.prefix else f"'{a.term}'" for a in alternatives)


def candidates(alternatives: list[Alternative]) -> list[SearchDoc]:
    """Every document (up to MAX_CANDIDATES) that contains at least one alternative, in id order.
    One query."""
    alternatives = _checked(alternatives)
    if not alternatives:
        return []
    table = SearchDoc._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT * FROM {table} WHERE terms_tsv @@ to_tsquery('simple', %s) "  # noqa: S608 (constant names)
            "ORDER BY id LIMIT %s"
        )
        params: list[object] = [_postgres_query(alternatives), MAX_CANDIDATES]
    elif connection.vendor == "sqlite":
        sql = (
            f"SELECT d.* FROM {table} d JOIN {table}_fts f ON f.rowid = d.id "  # noqa: S608 (constant names)
            f"WHERE {table}_fts MATCH %s ORDER BY d.id LIMIT %s"
        )
        params = [_sqlite_query(alternatives), MAX_CANDIDATES]
    else:  # pragma: no cover - Tabyin runs on these two only
        raise NotImplementedError(f"no full-text search for {connection.vendor}")
    return list(SearchDoc.objects.raw(sql, params))
