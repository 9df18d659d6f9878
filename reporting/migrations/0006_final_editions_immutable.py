"""A final edition never changes and is never deleted, whatever code runs against the database
(PostgreSQL; the services refuse it on every database)."""

from django.db import migrations

FROZEN_SQL = """
CREATE OR REPLACE FUNCTION reporting_reportedition_final_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.is_final THEN
        RAISE EXCEPTION 'reporting_reportedition % is final (% refused)', OLD.id, TG_OP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reporting_reportedition_final_frozen
    BEFORE UPDATE OR DELETE ON reporting_reportedition
    FOR EACH ROW EXECUTE FUNCTION reporting_reportedition_final_frozen();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS reporting_reportedition_final_frozen ON reporting_reportedition;
DROP FUNCTION IF EXISTS reporting_reportedition_final_frozen();
"""


def add_trigger(apps, schema_editor):
    # TRUNCATE (used to reset test databases) does not fire row triggers, so tests still work.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FROZEN_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_edition_text_revision")]
    operations = [migrations.RunPython(add_trigger, drop_trigger)]
