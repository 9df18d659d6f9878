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
from collections.abc import Sequence

from django.db import connections, models, router

BATCH_SIZE = 1000


def rows_insert(objs: Sequence[models.Model]) -> None:
    """Insert ``objs``, all of one model with a database-given id, in one statement (COPY)
    on PostgreSQL, in batches of ``BATCH_SIZE`` elsewhere. The objects keep ``pk=None``."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    fields = [field for field in model._meta.concrete_fields if field is not model._meta.pk]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    began = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])
    if connection.queries_logged:  # counted like any query (tests assert on query counts)
        connection.queries_log.append({"sql": f"{sql} -- {len(objs)} rows", "time": f"{time.monotonic() - began:.3f}"})
