"""The SQL side of ingestion: id allocation, bulk inserts and updates, and the SQLite connection
tuning for large batches (story figures: ingest.services_stories).

Plain ``executemany`` rather than ``bulk_create``: at thousands of posts a second the ORM's row
objects cost more than the statements (see docs/modules/monitor.md, Figures).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField

# Keys per statement in an ``IN (...)`` list: below every vendor's parameter limit.
CHUNK = 900


def allocate_ids(table: str, count: int) -> list[int] | None:
    """``count`` fresh ids of ``table``, so inserted rows need no RETURNING; None when the vendor
    has no way here (the caller then lets the ORM insert). Called under the batch lock."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"
            cursor.execute(sql, [quoted, count])
            return [int(row[0]) for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # IMMEDIATE transaction: no other writer until we commit. AUTOINCREMENT's sequence is
            # honoured so an id of a deleted row is never reused.
            cursor.execute(
                f"SELECT max(coalesce((SELECT max(id) FROM {quoted}), 0),"  # noqa: S608 (model table, quoted)
                " coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            top = int(cursor.fetchone()[0])
            return list(range(top + 1, top + count + 1))
    return None


class StoredTimes:
    """Times in the form the story figures are read, compared and written back in.

    SQLite: the text Django stores (UTC, ``YYYY-MM-DD HH:MM:SS[.ffffff]``), selected with
    :meth:`select` so Django's converter does not parse it. That text sorts as the times do (the
    date part is fixed-width and a missing fraction sorts before any fraction), so MIN/MAX and ``<``
    work on it; converting every stored and every new time to a datetime and back was a fifth of
    the storage side's time. PostgreSQL: aware datetimes, as the driver returns them."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.zone = connection.timezone
        self.seen: dict[datetime, str] = {}

    def read(self, value: datetime) -> Any:
        """An aware time (a post's) in the stored form."""
        if not self.sqlite:
            return value
        done = self.seen.get(value)
        if done is None:
            done = self.seen[value] = str(value.astimezone(self.zone).replace(tzinfo=None))
        return done

    def select(self, column: str) -> str:
        """``column`` (quoted SQL) read in the stored form."""
        return f"CAST({column} AS TEXT)" if self.sqlite else column

    def aggregate(self, value: Any) -> Any:
        """MIN/MAX of a column: SQLite returns its stored text (an expression has no declared type),
        which is the stored form already."""
        return value


def datetime_adapter() -> Any:
    """Django's datetime adaptation; on SQLite with time zones its steps inlined (a third of the
    time of the whole INSERT went into it)."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    read = StoredTimes().read  # a batch repeats its times (first_seen_at, a match's post time)

    def fast(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return read(value)
        return adapt(value)

    return fast


def insert_rows(model: Any, fields: list[str], rows: list[tuple[Any, ...]], *, with_ids: bool) -> list[int]:
    """INSERT with executemany: Django's bulk_create spends most of a batch preparing values one by
    one. Datetimes are adapted as Django stores them; returns the ids given (with ``with_ids``)."""
    if not rows:
        return []
    table = model._meta.db_table
    ids = allocate_ids(table, len(rows)) if with_ids else []
    if ids is None:
        created = model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return [obj.pk for obj in created]
    adapt = datetime_adapter()
    when = [i for i, name in enumerate(fields) if isinstance(model._meta.get_field(name), DateTimeField)]
    # Every other column gets its model default, as the ORM would give it.
    given = {model._meta.get_field(name).attname for name in fields}
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    # Column by column: a C-level transpose costs less than rebuilding every row value by value.
    columns_of = list(zip(*rows, strict=True))
    for i in when:
        columns_of[i] = tuple(map(adapt, columns_of[i]))
    rows = list(zip(*([ids] if ids else []), *columns_of, *([v] * len(rows) for v in defaults), strict=True))
    columns = (["id"] if ids else []) + [model._meta.get_field(name).column for name in fields]
    columns += [f.column for f in rest]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)}"  # noqa: S608 (model table and columns, quoted)
        f" ({', '.join(map(connection.ops.quote_name, columns))}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return ids


def update_many(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE by id with executemany: linear, unlike bulk_update's CASE WHEN per column."""
    if rows:
        assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s",  # noqa: S608 (names from the models, quoted)
                rows,
            )


# SQLite page cache of an ingesting connection, in KiB. A batch's lookups, channel probes and index
# updates land all over the post table's indexes; with SQLite's default 2 MiB cache nearly each of
# them was a page read (measured when stories were still recounted, which read the same pages).
SQLITE_CACHE_KIB = 65536
# WAL pages before an automatic checkpoint (SQLite's default is 1,000, about one batch): a batch
# rewrites the same index and story pages, and a rarer checkpoint copies each of them once for
# many batches. It halved the commit time; the WAL file grows to ~40 MB between checkpoints.
SQLITE_CHECKPOINT_PAGES = 10_000


class _Tuned:
    # The raw connection already tuned (a new connection, e.g. after a reconnect, is tuned again).
    connection: Any = None


def tune_connection() -> None:
    if connection.vendor == "sqlite" and _Tuned.connection is not connection.connection:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
        _Tuned.connection = connection.connection
