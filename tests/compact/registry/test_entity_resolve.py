"""Names resolve to entities through acronyms, aliases, former names and full names."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from compact.core.models import AuditEvent
from compact.registry.models import Entity, EntityAlias
from compact.registry.selectors import entity_resolve
from compact.registry.services import entity_alias_add, entity_create, entity_rename
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


def rename(entity, acronym, name, year):
    entity_rename(entity=entity, acronym=acronym, name=name, effective_on=datetime.date(year, 1, 1), actor=None)


def test_renaming_keeps_the_old_acronym_and_name_as_former_names():
    dpko = EntityFactory(acronym="DPKO", name="Department of Peacekeeping Operations")
    rename(dpko, "DPO", "Department of Peace Operations", 2019)
    for name in ("DPKO", "Department of Peacekeeping Operations", "DPO", "department of peace operations"):
        assert entity_resolve(name) == dpko, name
    aliases = set(dpko.aliases.values_list("name", "kind", "used_until"))
    assert aliases == {
        ("DPKO", EntityAlias.Kind.FORMER_NAME, datetime.date(2018, 12, 31)),
        ("Department of Peacekeeping Operations", EntityAlias.Kind.FORMER_NAME, datetime.date(2018, 12, 31)),
    }
    verbs = AuditEvent.objects.filter(object_id=str(dpko.pk)).order_by("id").values_list("verb", flat=True)
    assert list(verbs) == ["entity.updated", "entity.alias_added", "entity.alias_added"]


def test_taking_back_a_former_name_drops_it_from_the_aliases():
    dpko = EntityFactory(acronym="DPKO", name="Department of Peacekeeping Operations")
    rename(dpko, "DPO", "Department of Peace Operations", 2019)
    rename(dpko, "DPKO", "Department of Peace Operations", 2020)
    assert dpko.acronym == "DPKO"
    assert set(dpko.aliases.values_list("name", flat=True)) == {"DPO", "Department of Peacekeeping Operations"}


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
