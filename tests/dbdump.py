"""Search every table of the test database for a string, to prove something is *not* stored."""

from __future__ import annotations

from django.db import connection


def tables_containing(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from introspection)
            if any(needle in str(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    return found
