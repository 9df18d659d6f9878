"""Names resolve to entities through acronyms, aliases, former names and full names."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from compact.models import AuditEvent, Entity, EntityAlias
from compact.selectors import entity_resolve
from compact.services import entity_alias_add, entity_create, entity_rename
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unoct() -> Entity:
    entity = EntityFactory(acronym="UNOCT", name="United Nations Office of Counter-Terrorism")
    entity_alias_add(entity=entity, name="UNCCT", kind=EntityAlias.Kind.UNIT, actor=None)
    return entity


@pytest.mark.parametrize(
    "name", ["UNOCT", "unoct", " UnOct ", "UNCCT", "uncct", "United Nations  Office of Counter-Terrorism"]
)
def test_it_resolves_acronym_alias_and_full_name_in_any_case(unoct, name):
    assert entity_resolve(name) == unoct


@pytest.mark.parametrize("name", ["", "   ", "EU", "UNOC"])
def test_it_returns_none_for_unknown_or_empty_names(unoct, name):
    assert entity_resolve(name) is None


def test_renaming_keeps_the_old_acronym_as_a_former_name():
    dpko = EntityFactory(acronym="DPKO", name="Department of Peacekeeping Operations")
    entity_rename(
        entity=dpko,
        acronym="DPO",
        name="Department of Peace Operations",
        effective_on=datetime.date(2019, 1, 1),
        actor=None,
    )
    assert entity_resolve("DPKO") == dpko
    assert entity_resolve("DPO") == dpko
    alias = dpko.aliases.get()
    assert (alias.kind, alias.used_until) == (EntityAlias.Kind.FORMER_NAME, datetime.date(2018, 12, 31))
    assert list(AuditEvent.objects.filter(object_id=str(dpko.pk)).values_list("verb", flat=True).order_by("id")) == [
        "entity.updated",
        "entity.alias_added",
    ]


def test_it_refuses_a_new_entity_whose_acronym_is_an_alias(unoct):
    with pytest.raises(ValidationError) as error:
        entity_create(acronym="uncct", name="Counter-Terrorism Centre", kind=Entity.Kind.SECRETARIAT, actor=None)
    assert "already used by UNOCT" in str(error.value)
    assert not Entity.objects.filter(acronym__iexact="uncct").exists()


def test_it_refuses_an_alias_that_names_another_entity(unoct):
    cted = EntityFactory(acronym="CTED")
    with pytest.raises(ValidationError):
        entity_alias_add(entity=cted, name="UNCCT", actor=None)


def test_the_database_keeps_acronyms_unique_in_any_case(unoct):
    with pytest.raises(IntegrityError):
        Entity.objects.create(acronym="unoct", name="Duplicate", kind=Entity.Kind.SECRETARIAT)


def test_the_database_keeps_alias_names_unique_in_any_case(unoct):
    with pytest.raises(IntegrityError):
        EntityAlias.objects.create(entity=unoct, name="Uncct")
