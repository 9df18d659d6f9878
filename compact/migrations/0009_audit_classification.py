"""Every audit row carries the classification of what it describes (issue 14: an officer cleared
for unclassified material read confidential minutes on /audit/).

Existing rows are marked from the object they describe as it is now (its highest marking) and
from any marking quoted in their before/after, which also covers deleted objects.
"""

from django.db import migrations, models

LEVELS = ["unclassified", "confidential", "strictly-confidential"]


def _is_marking(name):
    return name == "classification" or name.endswith("_classification")


def _highest(levels):
    known = [level for level in levels if level in LEVELS]
    return max(known, key=LEVELS.index, default="unclassified")


def _object_markings(apps, content_type):
    """{object id: highest marking} for a model that marks its content, else None."""
    try:
        model = apps.get_model(content_type.app_label, content_type.model)
    except LookupError:
        return None
    fields = [field.name for field in model._meta.concrete_fields if _is_marking(field.name)]
    if not fields:
        return None
    rows = model._default_manager.values_list("pk", *fields)
    return {str(pk): _highest(levels) for pk, *levels in rows}


def mark_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("compact", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # The trail is append-only (a trigger refuses updates); this one-time backfill of a new,
        # derived column changes no recorded fact.
        schema_editor.execute("ALTER TABLE compact_auditevent DISABLE TRIGGER compact_auditevent_append_only")
    markings_by_type = {}
    for event in AuditEvent.objects.all().iterator(chunk_size=2000):
        levels = [value for values in (event.before or {}, event.after or {}) if isinstance(values, dict)
                  for key, value in values.items() if _is_marking(key)]
        if event.content_type_id is not None:
            if event.content_type_id not in markings_by_type:
                content_type = ContentType.objects.get(pk=event.content_type_id)
                markings_by_type[event.content_type_id] = _object_markings(apps, content_type)
            markings = markings_by_type[event.content_type_id]
            if markings is not None:
                levels.append(markings.get(event.object_id))
        level = _highest(levels)
        if level != "unclassified":
            AuditEvent.objects.filter(pk=event.pk).update(classification=level)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE compact_auditevent ENABLE TRIGGER compact_auditevent_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("compact", "0008_review_outcome_written_by"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The backfill reads the marked models of every app as they stand.
        ("reporting", "0009_programme_and_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="classification",
            field=models.CharField(
                choices=[
                    ("unclassified", "Unclassified"),
                    ("confidential", "Confidential"),
                    ("strictly-confidential", "Strictly confidential"),
                ],
                db_index=True,
                default="unclassified",
                max_length=32,
                verbose_name="classification",
            ),
        ),
        migrations.RunPython(mark_existing_rows, migrations.RunPython.noop),
    ]
