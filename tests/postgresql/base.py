"""PostgreSQL for the test suite: Django's backend with a flush that empties only what is full.

A transactional test (a live server with Chromium, a Celery worker, a beat) ends with Django's
``flush``, which on PostgreSQL is one TRUNCATE of every table: PostgreSQL gives each of the 80-odd
tables, their indexes and TOAST tables new files, about half a second a test. Such a test leaves
rows in a handful of tables. Here the flush asks which tables hold rows (one query) and deletes
from those only, in the flush's one transaction: Django's foreign keys are DEFERRABLE INITIALLY
DEFERRED, so the order does not matter. A table with triggers of its own (the append-only audit
log, final report editions) refuses DELETE by design and is truncated as before, with the tables
that point at it. Flushes that reset sequences keep Django's TRUNCATE ... RESTART IDENTITY.

config/settings_test.py selects this backend when the tests run on PostgreSQL; the production
settings never do.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations


class DatabaseOperations(PostgreSQLOperations):
    def sql_flush(
        self, style: Any, tables: list[str], *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if reset_sequences or not tables:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        filled = self.tables_with_rows(tables)
        guarded = self.tables_with_triggers(filled)
        deletes = [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in filled
            if table not in guarded
        ]
        # Truncated first: PostgreSQL refuses to truncate a table with deferred checks pending,
        # which the deletes leave on the tables they delete from.
        truncates = super().sql_flush(style, sorted(guarded), allow_cascade=True) if guarded else []
        return truncates + deletes

    def tables_with_rows(self, tables: list[str]) -> list[str]:
        """Those of ``tables`` that hold at least one row, in the order given."""
        probes = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {self.quote_name(table)})" for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probes, list(tables))
            filled = {name for (name,) in cursor.fetchall()}
        return [table for table in tables if table in filled]

    def tables_with_triggers(self, tables: list[str]) -> set[str]:
        """Those of ``tables`` with triggers of their own (not the ones foreign keys make)."""
        if not tables:
            return set()
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND pg_table_is_visible(c.oid)",
                [list(tables)],
            )
            return {name for (name,) in cursor.fetchall()}


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
