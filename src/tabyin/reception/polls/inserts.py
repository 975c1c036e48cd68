"""An answer's two inserts without the ORM's query compiler (issue 17, ADR 0042).

Compiling ``Response.objects.create`` and ``Answer.objects.bulk_create`` cost about twice what
SQLite took to run them. The statements are written once per model and connection from the
model's metadata; each value goes through its field's ``pre_save`` and ``get_db_prep_save``, as
the ORM's insert compiler does, so what is stored is the same (tests/reception/test_polls_inserts.py
compares the rows with the ORM's). No signal is sent for these models, and no receiver exists for
them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Field, Model


@functools.cache
def _statement(model: type[Model], alias: str, rows: int) -> tuple[str, tuple[Field[object, object], ...]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = ", ".join([one] * rows)
    pk = quote(str(meta.pk.column))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} RETURNING {pk}"  # noqa: S608 (names from the model; values are parameters)
    return sql, fields


def supported(model: type[Model]) -> bool:
    """Whether the database returns the new rows' ids from an ``INSERT`` (SQLite 3.35+, PostgreSQL)."""
    connection = connections[router.db_for_write(model)]
    return bool(connection.features.can_return_rows_from_bulk_insert)


def insert(objs: Sequence[Model]) -> None:
    """Insert unsaved instances of one model in one statement and set their primary keys, as
    ``bulk_create`` does; run it inside the caller's transaction."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, alias, len(objs))
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
