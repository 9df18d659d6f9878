"""Demo accounts exist for every role, on top of the real roster, and are made once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from compact.core.roles import Role, user_roles
from portal.demo import DEMO_PEOPLE, demo_load
from portal.reference import reference_load
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def account_user(username):
    return get_user_model().objects.filter(username=username).first()


def test_every_role_has_a_demo_account():
    reference_load()
    demo_load(password="pw")
    held = set().union(*(user_roles(account_user(p.username)) for p in DEMO_PEOPLE))
    assert held == set(Role)
    group = WorkingGroup.objects.get(number=7)
    assert group.assignments.get(entity__acronym="OHCHR", role="chair").person.username == "ohchr.chair"
    assert account_user("ohchr.chair").has_perm("workinggroups.lead_workinggroup", group)


def test_loading_twice_creates_nothing_new():
    reference_load()
    first = demo_load(password="pw")
    second = demo_load(password="pw")
    assert all(a.created for a in first) and not any(a.created for a in second)


def test_oct_has_a_small_sign_on_queue_to_try():
    from compact.signon.models import SignOnRequest

    reference_load()
    demo_load(password="pw")
    demo_load(password="pw")
    states = dict(SignOnRequest.objects.values_list("acronym", "state"))
    assert states == {"UNITAR": "new", "UN-Habitat": "in-consultation"}


def test_demo_accounts_can_sign_in(client):
    reference_load()
    demo_load(password="pw")
    assert client.post(reverse("login"), {"username": "unesco.focal", "password": "pw"}).status_code == 302


@override_settings(DEBUG=False)
def test_the_command_refuses_to_run_in_production_mode():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_the_demo_has_an_open_briefing_and_an_accepted_mid_year_report(time_machine):
    from reporting.submissions.models import ReportingPeriod, Submission

    time_machine.move_to("2026-11-28 12:00Z")
    reference_load()
    demo_load(password="pw")
    demo_load(password="pw")
    briefing = ReportingPeriod.objects.get(kind="q4", covers_from="2026-10-01")
    assert (
        briefing.state == "open"
        and briefing.submissions.count() == WorkingGroup.objects.active_on(briefing.covers_until).count()
    )
    report = Submission.objects.get(period__kind="mid-year", working_group__number=7)
    assert report.status == "accepted" and report.submitted_by.username == "ohchr.chair"
    # The chair's work plan fills the report's activity lines.
    assert [line.title for line in report.activity_progress.order_by("position")] == [
        "Draft and publish the guidance note",
        "Regional workshops for practitioners",
    ]


def test_the_demo_holds_the_real_2018_matrix_once():
    from compact.matrix.models import Project

    reference_load()
    demo_load(password="pw")
    demo_load(password="pw")
    assert Project.objects.filter(source_key__startswith="a72-840:").count() == 317


def test_cted_rep_has_three_country_visits_once():
    from compact.visits.models import CountryVisit

    reference_load()
    demo_load(password="pw")
    demo_load(password="pw")
    states = dict(CountryVisit.objects.values_list("country", "state"))
    assert states == {"TN": "followed_up", "ML": "withheld", "KE": "planned"}
    assert {visit.created_by.username for visit in CountryVisit.objects.all()} == {"cted.rep"}
    assert CountryVisit.objects.get(country="ML").confidentiality_requested
