"""Inserting many rows at once: two cases the ORM's ``bulk_create`` does not serve well.

- **Claims: which rows were new.** ``bulk_create(ignore_conflicts=True)`` skips rows that would
  break a unique constraint but does not say which rows it inserted (it sets no primary keys),
  and a claim is worth nothing if its caller cannot tell "mine" from "someone else's".
  ``rows_insert_new`` issues ``INSERT … ON CONFLICT DO NOTHING RETURNING`` instead (PostgreSQL,
  and SQLite since 3.35): one statement per batch, the same result as inserting each row in a
  savepoint and ignoring ``IntegrityError`` — including under concurrency, where PostgreSQL makes
  a row whose unique key another open transaction inserted wait for that transaction, then skips
  it if it committed and inserts it if it rolled back. (The scheduler's reminders.)
- **Many rows, no ids wanted back**: an import's links, mentions, suggestions and audit rows
  (tens of thousands for a file of 10,000 projects). On PostgreSQL they go through ``COPY …
  FROM STDIN`` (``rows_insert``, ``rows_copy``): ``bulk_create`` there sends every value as an
  array element that psycopg quotes in Python (JSON with all its quotes escaped once more),
  which cost more than the database's work. Elsewhere (SQLite in development) it is
  ``bulk_create``. Either way nothing is validated and no signal is sent, as with
  ``bulk_create``: callers insert rows they built and checked.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.options import Options

Row = TypeVar("Row", bound=models.Model)
BATCH_SIZE = 1000


def rows_insert_new(rows: Sequence[Row], *, identity: Sequence[str]) -> list[Row]:
    """Insert ``rows`` (unsaved instances of one model with an automatic primary key), skipping
    any that would break a unique constraint; return those inserted, in their given order, with
    their primary keys set.

    ``identity`` names the fields (one of the model's unique constraints) that tell the rows
    apart: the statement returns them, and they map its answer back to the instances. Callers
    that insert overlapping sets concurrently should order ``rows`` alike (by their identity),
    so that two transactions wait for each other's rows in the same order instead of deadlocking.
    """
    if not rows:
        return []
    model = type(rows[0])
    meta = model._meta
    if meta.parents or not isinstance(meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise TypeError(f"rows_insert_new() needs a model with its own automatic primary key, not {model.__name__}.")
    columns = [field for field in meta.local_concrete_fields if field is not meta.pk]
    keys = [meta.get_field(name) for name in identity]
    connection = connections[router.db_for_write(model)]
    inserted: dict[tuple[object, ...], int] = {}
    batch = max(1, connection.ops.bulk_batch_size(columns, rows))
    for start in range(0, len(rows), batch):
        inserted.update(_insert_batch(connection, meta, columns, keys, rows[start : start + batch]))
    new = []
    for row in rows:
        pk = inserted.pop(_identity_of(row, keys), None)
        if pk is not None:
            row.pk = pk
            row._state.adding = False
            row._state.db = connection.alias
            new.append(row)
    return new


def _identity_of(row: models.Model, keys: Sequence[models.Field]) -> tuple[object, ...]:
    return tuple(getattr(row, field.attname) for field in keys)


def _insert_batch(
    connection: BaseDatabaseWrapper,
    meta: Options,
    columns: Sequence[models.Field],
    keys: Sequence[models.Field],
    rows: Sequence[models.Model],
) -> dict[tuple[object, ...], int]:
    quote = connection.ops.quote_name
    # Only names from the model's metadata, quoted, go into the statement; every value is a
    # parameter.
    table = quote(meta.db_table)
    names = ", ".join(quote(field.column) for field in columns)
    returning = ", ".join(quote(field.column) for field in [meta.pk, *keys])
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    sql = f"INSERT INTO {table} ({names}) VALUES {values} ON CONFLICT DO NOTHING RETURNING {returning}"  # noqa: S608
    params = [
        field.get_db_prep_save(field.pre_save(row, add=True), connection=connection)
        for row in rows
        for field in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    return {tuple(answer[1:]): answer[0] for answer in returned}


def rows_insert(objs: Sequence[models.Model]) -> None:
    """Insert ``objs``, all of one model with a database-given id, in one statement (COPY)
    on PostgreSQL, in batches of ``BATCH_SIZE`` elsewhere. The objects keep ``pk=None``."""
    if not objs:
        return
    model = type(objs[0])
    fields = _fields(model)
    rows_copy(model, [f.attname for f in fields], ([f.pre_save(obj, True) for f in fields] for obj in objs))


def rows_copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (values of the fields named by ``columns``, by attname: ``project_id``)
    without building a model instance a row: for tens of thousands of link rows. Fields not
    named take their database default (use ``rows_insert`` for fields with Python defaults)."""
    fields = [model._meta.get_field(name) for name in columns]
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        attnames = [f.attname for f in fields]
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    # Plain values go as they are; JSON (and anything else the backend adapts) through the field.
    adapt = [isinstance(f, models.JSONField) for f in fields]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    began, count = time.monotonic(), 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(
                [f.get_db_prep_save(v, connection) if a else v for f, v, a in zip(fields, row, adapt, strict=True)]
            )
            count += 1
    if connection.queries_logged:  # counted like any query (tests assert on query counts)
        connection.queries_log.append({"sql": f"{sql} -- {count} rows", "time": f"{time.monotonic() - began:.3f}"})


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field is not model._meta.pk]
