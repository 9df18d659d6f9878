"""The transaction for data a module's tests share (tests.helpers.shared_until_rolled_back):
the data is built once in it, its foreign keys are checked where it is built, and all of it is
rolled back when the module is done."""

import pytest
from django.db import IntegrityError

from compact.registry.models import Entity, EntityAlias
from tests.factories import EntityFactory
from tests.helpers import shared_until_rolled_back

# The marker makes pytest-django set up the test database when this module runs alone; each test's
# own transaction then holds the shared one as a savepoint, which rolls back the same way.
pytestmark = pytest.mark.django_db


def test_the_shared_data_is_yielded_and_rolled_back_afterwards(django_db_setup, django_db_blocker):
    with shared_until_rolled_back(django_db_blocker, lambda: EntityFactory(acronym="SHARED")) as entity:
        assert Entity.objects.get(pk=entity.pk).acronym == "SHARED"
    with django_db_blocker.unblock():
        assert not Entity.objects.filter(acronym="SHARED").exists()


def test_a_dangling_foreign_key_fails_where_the_data_is_built_not_in_each_test(django_db_setup, django_db_blocker):
    """Checked once when built (before, each test's closing check re-fired every deferred check
    of the shared rows); a broken world stops the module at once instead of passing unchecked."""

    def broken() -> None:
        EntityFactory(acronym="BUILT")
        EntityAlias.objects.create(entity_id=987654321, name="Nobody's alias")

    with pytest.raises(IntegrityError), shared_until_rolled_back(django_db_blocker, broken):
        pytest.fail("the module's tests would have run on the broken data")
    with django_db_blocker.unblock():
        assert not Entity.objects.filter(acronym="BUILT").exists()
        assert not EntityAlias.objects.filter(name="Nobody's alias").exists()
