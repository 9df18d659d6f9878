"""Many rows at once: ``rows_insert`` writes exactly what ``bulk_create`` would (COPY on
PostgreSQL), and audit rows written in bulk are the rows ``audit_record`` writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compact.core.audit import audit_event, audit_record, audit_record_many
from compact.core.bulk import rows_insert
from compact.core.models import AuditEvent
from compact.registry.models import Entity
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

AWKWARD = {"text": 'quotes " and \\ backslashes,\ttabs\nand lines', "none": None, "list": [1, "two", {"3": []}]}


def fields(event: AuditEvent) -> tuple:
    return (
        event.classification,
        event.actor_id,
        event.actor_label,
        event.verb,
        event.content_type_id,
        event.object_id,
        event.object_repr,
        event.before,
        event.after,
        event.note,
    )


def test_audit_rows_written_in_bulk_are_those_audit_record_writes():
    actor = UserFactory(username="amina")
    entities = [EntityFactory(acronym=f"E{n}", name=f"Entity “{n}”") for n in range(3)]
    with transaction.atomic():
        one_by_one = [audit_record(actor=actor, verb="entity.seen", obj=e, after=AWKWARD) for e in entities]
        expected = [fields(event) for event in one_by_one]
        transaction.set_rollback(True)
    with transaction.atomic():
        audit_record_many([audit_event(actor=actor, verb="entity.seen", obj=e, after=AWKWARD) for e in entities])
    assert [fields(event) for event in AuditEvent.objects.order_by("id")] == expected
    assert AuditEvent.objects.first().after == AWKWARD


def test_bulk_audit_rows_need_the_services_transaction(transactional_db):
    event = audit_event(actor=None, verb="entity.seen", obj=EntityFactory())
    with pytest.raises(RuntimeError):
        audit_record_many([event])
    assert not AuditEvent.objects.exists()


def test_rows_insert_writes_every_kind_of_value_in_one_statement():
    when = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    rows = [Entity(acronym=f"X{n}", name=f'Name, with "quotes" {n}', kind=Entity.Kind.SECRETARIAT) for n in range(3)]
    rows.append(
        Entity(
            acronym="ÉTAT",
            name="État \\ arabe: الأمم المتحدة",
            kind=Entity.Kind.SECRETARIAT,
            name_translations=AWKWARD,
            is_active=False,
            created_at=when,
        )
    )
    with CaptureQueriesContext(connection) as queries:
        rows_insert(rows)
    assert len(queries.captured_queries) == 1
    stored = {e.acronym: (e.name, e.name_translations, e.is_active) for e in Entity.objects.all()}
    assert stored == {r.acronym: (r.name, r.name_translations, r.is_active) for r in rows}
    assert Entity.objects.get(acronym="ÉTAT").created_at == when
    audit = [audit_event(actor=None, verb="x", after={"at": when.isoformat()})]
    with transaction.atomic():
        audit_record_many(audit)
    assert AuditEvent.objects.get().after == {"at": "2026-03-01T12:30:00+00:00"}


def test_rows_insert_of_nothing_does_nothing():
    with CaptureQueriesContext(connection) as queries:
        rows_insert([])
    assert not queries.captured_queries
