"""The test database's flush (tests/postgresql/base.py): what a transactional test leaves behind is
gone before the next test, the append-only audit log and final report editions included, and
only the tables that hold rows are touched."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations

from reporting.compiled.models import ReportEdition
from tests.postgresql.base import DatabaseOperations
from tests.reporting.compiled.test_pages import edition, report  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql(settings, tmp_path, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("the flush of the test database is PostgreSQL's (SQLite's is Django's own)")
    settings.MEDIA_ROOT = tmp_path / "media"
    time_machine.move_to(datetime.datetime(2027, 2, 10, 15, tzinfo=datetime.UTC), tick=True)


def tables() -> list[str]:
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def as_committed() -> None:
    """Run the foreign-key checks the test's transaction deferred, as a commit would: a
    transactional test's flush starts with none pending."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def rows_per_table() -> dict[str, int]:
    """Every table's row count, counted one by one (not by the code under test)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def final_edition(report, oct_officer) -> ReportEdition:  # noqa: F811 (the fixture's value)
    return edition(report, oct_officer, final=True)


def test_the_test_settings_use_it_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "tests.postgresql"
    assert isinstance(connection.ops, DatabaseOperations)


def test_a_flush_empties_every_table_the_audit_log_and_final_editions_included(final_edition):
    filled = {table for table, count in rows_per_table().items() if count}
    assert {"compact_auditevent", "reporting_reportedition", "compact_user", "reporting_submission"} <= filled

    as_committed()
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)

    assert {table: count for table, count in rows_per_table().items() if count} == {}


def test_only_tables_with_rows_are_named_and_those_with_triggers_are_truncated(final_edition):
    filled = [table for table, count in rows_per_table().items() if count]
    empty = set(tables()) - set(filled)
    assert "reporting_meeting" in empty  # a table the report does not fill

    statements = connection.ops.sql_flush(no_style(), tables())

    deleted = {statement.split()[-1].strip('";') for statement in statements if statement.startswith("DELETE")}
    truncating = [statement for statement in statements if statement.startswith("TRUNCATE")]
    assert deleted == set(filled) - {"compact_auditevent", "reporting_reportedition"}
    assert truncating == ['TRUNCATE "compact_auditevent", "reporting_reportedition" CASCADE;']
    assert not any(f'"{table}"' in statement for statement in statements for table in empty)


def test_an_empty_database_needs_no_statement():
    as_committed()
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)

    assert connection.ops.sql_flush(no_style(), tables()) == []


def test_a_flush_that_resets_sequences_is_djangos_truncate(final_edition):
    ours = connection.ops.sql_flush(no_style(), tables(), reset_sequences=True)
    djangos = PostgreSQLOperations(connection).sql_flush(no_style(), tables(), reset_sequences=True)

    assert ours == djangos
    assert ours[0].startswith("TRUNCATE") and "RESTART IDENTITY" in ours[0]
