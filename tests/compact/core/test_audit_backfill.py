"""Migration compact 0009 marks the audit rows written before rows had a classification.

Each row takes the highest marking in the history of the object it describes (its markings now
and every marking quoted by any of its rows) and the markings it quotes itself: a row that quoted
confidential minutes stays confidential after the minutes were lowered to unclassified.

The rows are written with the historical models of the database migrated back to 0008, then the
database is migrated forward to the latest migrations again, whatever happens.
"""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

from compact.core.models import AuditEvent

BEFORE_CLASSIFICATION = ("compact", "0008_review_outcome_written_by")
DAY = datetime.date(2026, 3, 12)

pytestmark = pytest.mark.django_db(transaction=True)


def migrate_to(targets: list[tuple[str, str]] | None) -> ProjectState:
    """Migrate to ``targets`` (all the latest migrations if None); the state it leaves."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes())


def append_only_trigger_enabled() -> bool | None:
    """Whether PostgreSQL's trigger refuses updates of audit rows (None on SQLite: it has none)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'compact_auditevent_append_only'")
        return cursor.fetchone() == ("O",)


ENABLED = True if connection.vendor == "postgresql" else None


class History:
    """Audit rows written with the historical models, by name."""

    def __init__(self, apps: Any) -> None:
        self.apps = apps
        self.rows: dict[str, int] = {}

    def model(self, label: str) -> Any:
        return self.apps.get_model(label)

    def write(self, name: str, obj: Any | None, *, before: Any = None, after: Any = None) -> None:
        content_type = None
        if obj is not None:
            content_type = self.model("contenttypes.ContentType").objects.get_or_create(
                app_label=obj._meta.app_label, model=obj._meta.model_name
            )[0]
        event = self.model("compact.AuditEvent").objects.create(
            actor_label="system",
            verb=name,
            content_type=content_type,
            object_id=str(obj.pk) if obj is not None else "",
            before=before,
            after=after,
        )
        self.rows[name] = event.pk


def minutes_lowered_after_quoting(history: History) -> None:
    """Confidential minutes written, rewritten (the row quotes them, no marking key: only the text
    changed), lowered to unclassified, then a decision recorded."""
    meeting = history.model("reporting.Meeting").objects.create(
        date=DAY, is_virtual=True, state="held", minutes_classification="confidential"
    )
    first, revised, public = "The Committee heard CTED on …", "The Committee heard CTED and UNODC on …", "A summary."
    history.write(
        "minutes.marked",
        meeting,
        before={"minutes": "", "minutes_classification": "unclassified"},
        after={"minutes": first, "minutes_classification": "confidential"},
    )
    history.write("minutes.quoted", meeting, before={"minutes": first}, after={"minutes": revised})
    history.write(
        "minutes.lowered",
        meeting,
        before={"minutes": revised, "minutes_classification": "confidential"},
        after={"minutes": public, "minutes_classification": "unclassified"},
    )
    meeting.minutes_classification = "unclassified"
    meeting.save(update_fields=["minutes_classification"])
    history.write("minutes.decision", meeting, after={"number": 1, "text": "The Committee took note."})


def strictly_confidential_submission(history: History) -> None:
    group = history.model("workinggroups.WorkingGroup").objects.create(number=7, name="Rule of law", short_name="RoL")
    period = history.model("reporting.ReportingPeriod").objects.create(
        kind="q1", covers_from=DAY, covers_until=DAY, opens_on=DAY, due_on=DAY, time_zone="UTC"
    )
    submission = history.model("reporting.Submission").objects.create(
        period=period, working_group=group, classification="strictly-confidential"
    )
    history.write("submission.submitted", submission, before={"status": "draft"}, after={"status": "submitted"})


def deleted_project(history: History) -> None:
    project = history.model("compact.Project").objects.create(title="Border security", status="ongoing")
    history.write("project.deleted", project, before={"title": project.title, "classification": "confidential"})
    project.delete()


def unmarked_rows(history: History) -> None:
    entity = history.model("compact.Entity").objects.create(acronym="UNODC", name="UNODC", kind="secretariat")
    history.write("entity.renamed", entity, before={"name": "ODC"}, after={"name": "UNODC"})
    history.write("matrix.imported", None, after={"created": 3, "file_name": "matrix.xlsx"})


def quoted_without_object(history: History) -> None:
    history.write("import.row", None, after={"title": "Cyber", "classification": "strictly-confidential"})
    history.write("import.lowered", None, before={"text_classification": "confidential"}, after={"n": 1})


@pytest.mark.long
def test_each_row_takes_the_highest_marking_of_its_objects_history_and_of_its_own_quotes():
    try:
        history = History(migrate_to([BEFORE_CLASSIFICATION]).apps)
        for write in (
            minutes_lowered_after_quoting,
            strictly_confidential_submission,
            deleted_project,
            unmarked_rows,
            quoted_without_object,
        ):
            write(history)
    finally:
        migrate_to(None)

    marked = dict(AuditEvent.objects.filter(pk__in=history.rows.values()).values_list("pk", "classification"))
    assert {name: marked[pk] for name, pk in history.rows.items()} == {
        "minutes.marked": "confidential",
        # Quotes the confidential minutes although the meeting is unclassified now.
        "minutes.quoted": "confidential",
        "minutes.lowered": "confidential",
        # The backfill cannot tell which rows quote the old text: the whole history keeps it.
        "minutes.decision": "confidential",
        "submission.submitted": "strictly-confidential",
        "project.deleted": "confidential",
        "entity.renamed": "unclassified",
        "matrix.imported": "unclassified",
        "import.row": "strictly-confidential",
        "import.lowered": "confidential",
    }
    assert append_only_trigger_enabled() is ENABLED


def query_a_missing_table(apps: Any, connection: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


def test_a_failing_backfill_raises_its_own_error_with_the_trigger_enabled_again(monkeypatch):
    migration = importlib.import_module("compact.migrations.0009_audit_classification")
    monkeypatch.setattr(migration, "_backfill", query_a_missing_table)
    with connection.schema_editor() as schema_editor:
        with pytest.raises(DatabaseError, match="no_such_table"):
            migration.mark_existing_rows(global_apps, schema_editor)
        # Still in the migration's transaction, which the failure left usable.
        assert append_only_trigger_enabled() is ENABLED
        assert AuditEvent.objects.filter(verb="no-such-verb").count() == 0
