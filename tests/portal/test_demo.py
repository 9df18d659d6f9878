"""Demo accounts exist for every role, on top of the real roster, and are made once.

The roster and the first load of the demo (~2 s of CPU) are built once for the module, in a
transaction of its own (``shared_until_rolled_back``): each test starts from them in a savepoint
and rolls back, and a test that checks a rerun loads the demo again itself. The demo's load on a
given day (a clock other than today's) is in test_demo_dated.py: it needs a load of its own."""

import copy

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from compact.core.roles import Role, user_roles
from portal.demo import DEMO_PEOPLE, demo_load
from portal.reference import reference_load
from tests.helpers import shared_until_rolled_back
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def reference_and_demo_load():
    """The real roster loaded, then the demo once: the accounts that first load reported."""
    reference_load()
    return demo_load(password="pw")


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    with shared_until_rolled_back(django_db_blocker, reference_and_demo_load) as accounts:
        yield accounts


@pytest.fixture
def first_load(_demo_loaded, db):
    """The roster and the demo loaded once (for this test, rolled back after it): the accounts
    that load reported, a copy of the test's own."""
    return copy.deepcopy(_demo_loaded)


def account_user(username):
    return get_user_model().objects.filter(username=username).first()


def test_every_role_has_a_demo_account(first_load):
    held = set().union(*(user_roles(account_user(p.username)) for p in DEMO_PEOPLE))
    assert held == set(Role)
    group = WorkingGroup.objects.get(number=7)
    assert group.assignments.get(entity__acronym="OHCHR", role="chair").person.username == "ohchr.chair"
    assert account_user("ohchr.chair").has_perm("workinggroups.lead_workinggroup", group)


def test_loading_twice_creates_nothing_new(first_load):
    first = first_load
    second = demo_load(password="pw")
    assert all(a.created for a in first) and not any(a.created for a in second)


def test_oct_has_a_small_sign_on_queue_to_try(first_load):
    from compact.signon.models import SignOnRequest

    demo_load(password="pw")
    states = dict(SignOnRequest.objects.values_list("acronym", "state"))
    assert states == {"UNITAR": "new", "UN-Habitat": "in-consultation"}


def test_demo_accounts_can_sign_in(first_load, client):
    assert client.post(reverse("login"), {"username": "unesco.focal", "password": "pw"}).status_code == 302


@override_settings(DEBUG=False)
def test_the_command_refuses_to_run_in_production_mode():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_the_demo_holds_the_real_2018_matrix_once(first_load):
    from compact.matrix.models import Project

    demo_load(password="pw")
    assert Project.objects.filter(source_key__startswith="a72-840:").count() == 317


def test_cted_rep_has_three_country_visits_once(first_load):
    from compact.visits.models import CountryVisit

    demo_load(password="pw")
    states = dict(CountryVisit.objects.values_list("country", "state"))
    assert states == {"TN": "followed_up", "ML": "withheld", "KE": "planned"}
    assert {visit.created_by.username for visit in CountryVisit.objects.all()} == {"cted.rep"}
    assert CountryVisit.objects.get(country="ML").confidentiality_requested
