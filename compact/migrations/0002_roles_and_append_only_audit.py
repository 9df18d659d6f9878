"""Create the role groups, and make the audit table append-only in PostgreSQL itself."""

from django.db import migrations

ROLE_GROUPS = ["OCT secretariat", "USG", "Committee member", "Working-group chair", "Entity focal point"]

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION compact_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'compact_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER compact_auditevent_append_only
    BEFORE UPDATE OR DELETE ON compact_auditevent
    FOR EACH ROW EXECUTE FUNCTION compact_auditevent_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS compact_auditevent_append_only ON compact_auditevent;
DROP FUNCTION IF EXISTS compact_auditevent_append_only();
"""


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def add_trigger(apps, schema_editor):
    # TRUNCATE (used to reset test databases) does not fire row triggers, so tests still work.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("compact", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
