"""The Coordination Committee is derived from the working groups' roles, on any date."""

import datetime

import pytest
import time_machine

from tests.factories import COMPACT_SIGNED, WorkingGroupFactory
from workinggroups.composition import SeatKind, committee_on
from workinggroups.services import role_assign, role_end, workinggroup_retire

pytestmark = pytest.mark.django_db
D = datetime.date


def seats(committee):
    return [
        (
            seat.kind,
            seat.entity.acronym if seat.entity else None,
            seat.working_group.number if seat.working_group else None,
        )
        for seat in committee.seats
    ]


def test_it_is_the_usg_cted_and_the_chairs_and_vice_chairs_of_active_groups(roster, usg, committee_member, chair):
    committee = committee_on(D(2020, 1, 1))
    assert seats(committee) == [
        (SeatKind.CHAIR, "UNOCT", None),
        (SeatKind.CTED, "CTED", None),
        (SeatKind.GROUP_CHAIR, "UNODC", 2),
        (SeatKind.GROUP_CHAIR, "OHCHR", 7),
        (SeatKind.GROUP_VICE_CHAIR, "UNODC", 7),
    ]
    assert committee.chair.person == usg
    assert committee.seats[1].person == committee_member
    assert committee.seats[3].person == chair
    assert [e.acronym for e in committee.entities] == ["CTED", "OHCHR", "UNOCT", "UNODC"]


def test_members_of_a_group_do_not_sit_on_the_committee(roster):
    role_assign(group=roster.group, entity=roster.unesco, role="member", starts_on=COMPACT_SIGNED, actor=None)
    assert "UNESCO" not in [e.acronym for e in committee_on(D(2020, 1, 1)).entities]


def test_changing_a_chair_changes_the_committee_from_that_day(roster):
    role_end(assignment=roster.chair_role, ends_on=D(2022, 6, 30), actor=None)
    role_assign(group=roster.group, entity=roster.unesco, role="chair", starts_on=D(2022, 7, 1), actor=None)
    before, after = committee_on(D(2022, 6, 30)), committee_on(D(2022, 7, 1))
    assert (SeatKind.GROUP_CHAIR, "OHCHR", 7) in seats(before)
    assert (SeatKind.GROUP_CHAIR, "UNESCO", 7) not in seats(before)
    assert (SeatKind.GROUP_CHAIR, "UNESCO", 7) in seats(after)
    assert (SeatKind.GROUP_CHAIR, "OHCHR", 7) not in seats(after)


@time_machine.travel("2023-03-02 03:00Z")  # still 1 March in New York, the secretariat's day
def test_today_is_the_default_day(roster):
    role_end(assignment=roster.vice_chair_role, ends_on=D(2023, 2, 28), actor=None)
    assert committee_on().on == D(2023, 3, 1)
    assert (SeatKind.GROUP_VICE_CHAIR, "UNODC", 7) not in seats(committee_on())
    assert (SeatKind.GROUP_VICE_CHAIR, "UNODC", 7) in seats(committee_on(D(2023, 2, 28)))


def test_a_retired_group_leaves_the_committee_but_stays_in_its_past(roster):
    successor = WorkingGroupFactory(number=13, established_on=D(2019, 1, 1))
    workinggroup_retire(group=roster.other_group, retired_on=D(2019, 1, 1), merged_into=successor, actor=None)
    assert (SeatKind.GROUP_CHAIR, "UNODC", 2) in seats(committee_on(D(2018, 12, 31)))
    assert (SeatKind.GROUP_CHAIR, "UNODC", 2) not in seats(committee_on(D(2019, 1, 1)))


def test_a_group_not_yet_established_has_no_seat(roster):
    future = WorkingGroupFactory(number=14, established_on=D(2030, 1, 1))
    role_assign(group=future, entity=roster.unesco, role="chair", starts_on=D(2030, 1, 1), actor=None)
    assert (SeatKind.GROUP_CHAIR, "UNESCO", 14) not in seats(committee_on(D(2029, 12, 31)))
    assert (SeatKind.GROUP_CHAIR, "UNESCO", 14) in seats(committee_on(D(2030, 1, 1)))


def test_the_page_shows_the_committee_as_of_a_past_date(roster, chair, client_for):
    role_end(assignment=roster.chair_role, ends_on=D(2022, 6, 30), actor=None)
    role_assign(group=roster.group, entity=roster.unesco, role="chair", starts_on=D(2022, 7, 1), actor=None)
    past = client_for(chair).get("/committee/", {"on": "2020-01-01"})
    now = client_for(chair).get("/committee/")
    assert past.status_code == now.status_code == 200
    assert b'href="/entities/OHCHR/"' in past.content
    assert b'href="/entities/UNESCO/"' not in past.content
    assert b'href="/entities/UNESCO/"' in now.content


def test_the_page_explains_a_bad_date(roster, chair, client_for):
    response = client_for(chair).get("/committee/", {"on": "2010-01-01"})
    assert response.status_code == 200
    assert "The Compact dates from 2018" in response.content.decode()
