"""Inserting many rows at once where some may exist already, and knowing which ones were new.

Django's ``bulk_create(ignore_conflicts=True)`` skips rows that would break a unique
constraint but does not say which rows it inserted (it sets no primary keys), and a claim is
worth nothing if its caller cannot tell "mine" from "someone else's". ``rows_insert_new``
issues ``INSERT … ON CONFLICT DO NOTHING RETURNING`` instead (PostgreSQL, and SQLite since
3.35): one statement per batch, the same result as inserting each row in a savepoint and
ignoring ``IntegrityError`` — including under concurrency, where PostgreSQL makes a row whose
unique key another open transaction inserted wait for that transaction, then skips it if it
committed and inserts it if it rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.options import Options

Row = TypeVar("Row", bound=models.Model)


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
