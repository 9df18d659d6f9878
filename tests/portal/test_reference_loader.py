"""The reference loader reads the roster from data/reference/, once, whatever the reruns.

The first load into an empty database (~0.8 s of CPU) is made once for the module, in a
transaction of its own (``shared_until_rolled_back``): each test starts from it in a savepoint and
rolls back. The tests that load into a database without the roster, or with the test roster
first, are in test_reference_loader_fresh.py."""

import copy
import csv
import shutil

import pytest

from compact.core.models import AuditEvent
from compact.registry.models import Entity, EntityAlias, Membership
from compact.registry.selectors import entities_with_status, entity_resolve
from portal.reference import DEFAULT_DATA_DIR, reference_load
from tests.factories import UserFactory
from tests.helpers import shared_until_rolled_back
from workinggroups.models import RoleAssignment, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _first_load(django_db_setup, django_db_blocker):
    with shared_until_rolled_back(django_db_blocker, reference_load) as report:
        yield report


@pytest.fixture
def first_load(_first_load, db):
    """The roster loaded into the empty database (for this test, rolled back after it): the
    report of that load, a copy of the test's own."""
    return copy.deepcopy(_first_load)


def table_sizes():
    return {
        model.__name__: model.objects.count()
        for model in (Entity, EntityAlias, Membership, WorkingGroup, RoleAssignment, AuditEvent)
    }


def test_it_loads_the_roster_from_the_repository(first_load):
    report = first_load
    assert not report.warnings
    assert Entity.objects.count() == 37
    assert WorkingGroup.objects.count() == 12
    assert RoleAssignment.objects.filter(role="chair").count() == 24
    statuses = dict(entities_with_status().values_list("acronym", "status"))
    assert statuses["UNOCT"] == "member"
    assert statuses["UNHCR"] == "observer"
    assert statuses["IPU"] == "member"


def test_running_it_twice_changes_nothing(first_load):
    before = table_sizes()
    report = reference_load()
    assert report.changed == 0
    assert table_sizes() == before


def test_renamed_entities_are_loaded_under_their_current_names_and_resolve_from_old_ones(first_load):
    assert entity_resolve("DPKO").acronym == "DPO"
    assert entity_resolve("DPI").acronym == "DGC"
    assert entity_resolve("UNCCT").acronym == "UNOCT"
    assert entity_resolve("1540 Committee").acronym == "1540GoE"
    # The roles file names DPI as chair of WG 12; it lands on DGC through the alias.
    assert WorkingGroup.objects.get(number=12).assignments.filter(entity__acronym="DGC", role="chair").exists()


def test_it_keeps_the_evidence_and_shows_unverified_facts(first_load, client_for):
    reader = UserFactory()
    assert Entity.objects.get(acronym="WHO").evidence == "unverified"
    assert RoleAssignment.objects.get(working_group__number=7, entity__acronym="OHCHR").evidence == "seed"
    page = client_for(reader).get("/entities/", {"q": "World Health"}).content.decode()
    assert "WHO" in page and 'class="badge evidence-unverified"' in page
    group = WorkingGroup.objects.get(number=3)
    assert "evidence-unverified" in client_for(reader).get(f"/working-groups/{group.pk}/").content.decode()


def test_by_default_it_never_overwrites_what_the_secretariat_corrected(first_load):
    Entity.objects.filter(acronym="WHO").update(evidence="public")
    reference_load()
    assert Entity.objects.get(acronym="WHO").evidence == "public"


def copy_data(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def rewrite(path, change):
    rows = list(csv.DictReader(path.open()))
    for row in rows:
        change(row)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_with_update_it_applies_corrected_files(first_load, tmp_path):
    data = copy_data(tmp_path)
    rewrite(data / "entities.csv", lambda row: row.update(evidence="public") if row["acronym"] == "WHO" else None)
    report = reference_load(data_dir=data, update=True)
    assert report.counts["entities updated"] == 1
    assert Entity.objects.get(acronym="WHO").evidence == "public"
    event = AuditEvent.objects.filter(verb="entity.updated").get()
    assert (event.before, event.after) == ({"evidence": "unverified"}, {"evidence": "public"})


def test_a_group_renamed_and_renumbered_in_the_product_is_still_recognised(first_load):
    from workinggroups.services import workinggroup_update

    group = WorkingGroup.objects.get(number=7)
    workinggroup_update(group=group, name="Human rights and the rule of law", number=17, actor=None)
    before = table_sizes()
    report = reference_load()
    assert not report.warnings and report.changed == 0
    assert table_sizes() == before


# --- Names in the six languages -------------------------------------------------------------------


def test_official_entity_names_and_the_groups_names_load_in_the_other_languages(first_load):
    from django.utils import translation

    osapg = Entity.objects.get(acronym="OSAPG")
    assert osapg.name_translations["fr"]["name"].startswith("Bureau de la prévention du génocide")
    assert "ru" not in osapg.name_translations  # our own translation is not an official name
    group = WorkingGroup.objects.get(code="ctitf-2018-02")
    assert set(group.name_translations) == {"ar", "es", "fr", "ru", "zh-hans"}
    with translation.override("ru"):
        assert osapg.local_name == osapg.name and osapg.local_name_is_english
        assert group.local_name == group.name_translations["ru"]["name"]
        short = group.name_translations["ru"]["short_name"]
        assert str(group) == translation.gettext("WG %(number)s: %(name)s") % {"number": 2, "name": short}
        assert str(group) != f"WG 2: {group.short_name}"
    with translation.override("fr"):
        assert osapg.local_name == osapg.name_translations["fr"]["name"] and not osapg.local_name_is_english
    with translation.override("en"):
        assert group.local_name == group.name and not osapg.local_name_is_english
