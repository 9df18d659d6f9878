"""The audit trail is written with each change, in the same transaction, and never altered."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from compact.core.audit import audit_record
from compact.core.models import AuditEvent
from compact.registry.models import Entity
from compact.registry.services import entity_create, entity_update
from tests.conftest import require_or_skip
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_records_who_what_and_before_after():
    actor = UserFactory(username="amina")
    entity = EntityFactory(acronym="DPI", name="Department of Public Information")
    entity_update(entity=entity, actor=actor, name="Department of Global Communications")
    event = AuditEvent.objects.get(verb="entity.updated")
    assert event.actor == actor and event.actor_label == "amina"
    assert event.object_repr == "DPI"
    assert event.before == {"name": "Department of Public Information"}
    assert event.after == {"name": "Department of Global Communications"}


def test_an_update_that_changes_nothing_writes_nothing():
    entity = EntityFactory(name="Same")
    assert entity_update(entity=entity, actor=None, name="Same") is False
    assert not AuditEvent.objects.exists()


def test_a_failed_service_leaves_neither_change_nor_audit_row():
    EntityFactory(acronym="CTED")
    with pytest.raises(ValidationError):
        entity_create(acronym="cted", name="Another", kind=Entity.Kind.SECRETARIAT, actor=None)
    assert Entity.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm():
    entity = entity_create(acronym="UNOCT", name="Office of Counter-Terrorism", kind="secretariat", actor=None)
    event = AuditEvent.objects.get(object_id=str(entity.pk))
    event.verb = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_postgresql_itself_refuses_to_change_audit_rows():
    if connection.vendor != "postgresql":
        require_or_skip("the append-only trigger is PostgreSQL's")
    entity_create(acronym="UNOCT", name="Office of Counter-Terrorism", kind="secretariat", actor=None)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE compact_auditevent SET verb = 'tampered'")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM compact_auditevent")
    assert AuditEvent.objects.filter(verb="entity.created").count() == 1


def test_audit_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, verb="loose.write")
    assert not AuditEvent.objects.exists()
