"""Every audit row carries the classification of what it describes (issue 14: an officer cleared
for unclassified material read confidential minutes on /audit/).

Existing rows are marked with the highest marking in the history of the object they describe: its
markings now and every marking quoted in the before/after of any of its rows. A row that quoted
confidential minutes keeps that marking after the minutes were lowered (the backfill cannot tell
which rows quote the old text, so the whole history keeps it), and the rows of a deleted object
keep what they quoted. Rows about no object are marked from their own before/after.

The backfill is set-based: it reads the marked objects (one query per marked model) and only the
rows whose before/after carry a marking key, and marks the rows with one UPDATE per content type,
level and few thousand objects, so the migration's transaction, which locks the audit table
(written by every service) until it commits, is short.
"""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db import migrations, models, transaction
from django.db.models.fields.json import KT

LEVELS = ["unclassified", "confidential", "strictly-confidential"]
UNCLASSIFIED = LEVELS[0]
# The keys under which the code quotes a marking in an audit row's before/after: the names of the
# marked fields (compact.core.models.is_marking). The marked fields of the models as they stand
# here are added at run time.
MARKING_KEYS = {
    "classification",
    "minutes_classification",
    "notes_classification",
    "outcome_classification",
    "text_classification",
}
CHUNK = 2000
TRIGGER = "ALTER TABLE compact_auditevent {} TRIGGER compact_auditevent_append_only"


def _is_marking(name):
    return name == "classification" or name.endswith("_classification")


def _highest(levels):
    known = [level for level in levels if level in LEVELS]
    return max(known, key=LEVELS.index, default=UNCLASSIFIED)


def _marking_fields(model):
    return [field.name for field in model._meta.concrete_fields if _is_marking(field.name)]


def _chunks(values, size):
    values = sorted(values)
    return (values[start : start + size] for start in range(0, len(values), size))


def _current_markings(apps):
    """{(content type id, object id): highest marking} of the objects marked above unclassified."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    markings = {}
    for content_type in ContentType.objects.all():
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        fields = _marking_fields(model)
        if not fields:
            continue
        marked = reduce(or_, (models.Q(**{f"{name}__in": LEVELS[1:]}) for name in fields))
        rows = model._base_manager.filter(marked).order_by().values_list("pk", *fields)
        for pk, *levels in rows.iterator(chunk_size=CHUNK):
            markings[(content_type.pk, str(pk))] = _highest(levels)
    return markings


def _quoted_markings(apps):
    """(pk, content type id, object id, highest marking quoted) of each row whose before/after
    carries a marking key, reading only those keys' values."""
    AuditEvent = apps.get_model("compact", "AuditEvent")
    keys = sorted(MARKING_KEYS.union(*(_marking_fields(model) for model in apps.get_models())))
    quoted = {f"quoted_{side}_{n}": KT(f"{side}__{key}") for side in ("before", "after") for n, key in enumerate(keys)}
    rows = (
        AuditEvent.objects.filter(models.Q(before__has_any_keys=keys) | models.Q(after__has_any_keys=keys))
        .order_by()
        .annotate(**quoted)
        .values_list("pk", "content_type_id", "object_id", *quoted)
    )
    for pk, content_type_id, object_id, *levels in rows.iterator(chunk_size=CHUNK):
        yield pk, content_type_id, object_id, _highest(levels)


def _levels_to_set(apps):
    """({(content type id, level): object ids}, {level: ids of rows about no object})."""
    by_object = _current_markings(apps)
    by_row = {}
    for pk, content_type_id, object_id, level in _quoted_markings(apps):
        if level == UNCLASSIFIED:
            continue
        if content_type_id is None or not object_id:
            by_row[pk] = level
        else:
            by_object[(content_type_id, object_id)] = _highest([by_object.get((content_type_id, object_id)), level])
    objects, rows = defaultdict(list), defaultdict(list)
    for (content_type_id, object_id), level in by_object.items():
        objects[(content_type_id, level)].append(object_id)
    for pk, level in by_row.items():
        rows[level].append(pk)
    return objects, rows


def _backfill(apps, connection):
    AuditEvent = apps.get_model("compact", "AuditEvent")
    # Stay within the number of parameters a statement may carry (999 on SQLite).
    limit = connection.features.max_query_params
    size = min(CHUNK, limit - 10) if limit else CHUNK
    objects, rows = _levels_to_set(apps)
    for (content_type_id, level), object_ids in objects.items():
        for chunk in _chunks(object_ids, size):
            AuditEvent.objects.filter(content_type_id=content_type_id, object_id__in=chunk).update(
                classification=level
            )
    for level, pks in rows.items():
        for chunk in _chunks(pks, size):
            AuditEvent.objects.filter(pk__in=chunk).update(classification=level)


def mark_existing_rows(apps, schema_editor):
    connection = schema_editor.connection
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # The trail is append-only (a trigger refuses updates); this one-time backfill of a new,
        # derived column changes no recorded fact.
        schema_editor.execute(TRIGGER.format("DISABLE"))
    try:
        # In a savepoint, so that if the backfill fails the trigger is enabled again in a usable
        # transaction and the error raised is the backfill's.
        with transaction.atomic(using=connection.alias):
            _backfill(apps, connection)
    finally:
        if postgresql:
            schema_editor.execute(TRIGGER.format("ENABLE"))


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
