"""Inserting many rows at once when no ids are wanted back: an import's links, mentions,
suggestions and audit rows (tens of thousands for a file of 10,000 projects).

On PostgreSQL the rows go through ``COPY … FROM STDIN``: ``bulk_create`` there sends every
value as an array element that psycopg quotes in Python (JSON with all its quotes escaped
once more), which cost more than the database's work. Elsewhere (SQLite in development) it is
``bulk_create``. Either way nothing is validated and no signal is sent, as with ``bulk_create``:
callers insert rows they built and checked.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 1000


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
