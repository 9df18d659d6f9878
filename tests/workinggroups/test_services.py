"""Working-group roles: dated, non-overlapping, and carrying the right to lead the group."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from guardian.shortcuts import assign_perm

from compact.core.models import AuditEvent
from compact.core.roles import Role, user_roles_stored
from tests.factories import COMPACT_SIGNED, ProfileFactory, WorkingGroupFactory
from tests.helpers import fresh
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.services import (
    role_assign,
    role_end,
    role_permissions_sync,
    role_permissions_sync_all,
    role_representative_set,
    workinggroup_create,
    workinggroup_retire,
    workinggroup_update,
)

pytestmark = pytest.mark.django_db
D = datetime.date
LEAD = "workinggroups.lead_workinggroup"


def test_a_chair_may_lead_their_group_and_no_other(roster, chair):
    assert chair.has_perm(LEAD, roster.group)
    assert not chair.has_perm(LEAD, roster.other_group)
    assert Role.CHAIR in user_roles_stored(chair)


def test_a_vice_chair_may_lead_too(roster, vice_chair):
    assert vice_chair.has_perm(LEAD, roster.group)


def test_ending_the_role_takes_the_right_away(roster, chair):
    role_end(assignment=roster.chair_role, ends_on=D(2020, 1, 1), actor=None)
    chair = fresh(chair)
    assert not chair.has_perm(LEAD, roster.group)
    assert Role.CHAIR not in user_roles_stored(chair)


def test_a_new_representative_takes_over_the_right(roster, chair):
    successor = ProfileFactory(entity=roster.ohchr).user
    role_representative_set(assignment=roster.chair_role, person=successor, actor=None)
    assert fresh(successor).has_perm(LEAD, roster.group)
    assert not fresh(chair).has_perm(LEAD, roster.group)


def test_a_representative_must_work_for_the_entity(roster):
    stranger = ProfileFactory(entity=roster.unesco).user
    with pytest.raises(ValidationError, match="must work for OHCHR"):
        role_representative_set(assignment=roster.chair_role, person=stranger, actor=None)


def test_a_role_that_starts_later_takes_effect_on_its_day(roster):
    person = ProfileFactory(entity=roster.unesco).user
    with time_machine.travel("2025-06-01 16:00Z"):
        role_assign(
            group=roster.group,
            entity=roster.unesco,
            role="vice-chair",
            person=person,
            starts_on=D(2025, 7, 1),
            actor=None,
        )
        assert not fresh(person).has_perm(LEAD, roster.group)
    with time_machine.travel("2025-07-01 16:00Z"):
        assert role_permissions_sync_all() >= 1
        assert fresh(person).has_perm(LEAD, roster.group)
        assert role_permissions_sync(user=person) is False  # idempotent


def test_an_entity_cannot_hold_the_same_role_twice_at_once(roster):
    with pytest.raises(ValidationError, match="already holds this role"):
        role_assign(group=roster.group, entity=roster.ohchr, role="chair", starts_on=D(2024, 1, 1), actor=None)
    role_end(assignment=roster.chair_role, ends_on=D(2023, 12, 31), actor=None)
    role_assign(group=roster.group, entity=roster.ohchr, role="chair", starts_on=D(2024, 1, 1), actor=None)
    assert roster.group.assignments.filter(entity=roster.ohchr, role="chair").count() == 2


def test_a_role_cannot_end_before_it_starts(roster):
    with pytest.raises(ValidationError):
        role_end(assignment=roster.chair_role, ends_on=COMPACT_SIGNED - datetime.timedelta(days=1), actor=None)
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.filter(pk=roster.chair_role.pk).update(ends_on=D(2000, 1, 1))


def test_renaming_a_group_keeps_the_old_name_in_the_audit_trail(roster):
    workinggroup_update(group=roster.group, name="Human rights, rule of law and accountability", actor=None)
    event = AuditEvent.objects.get(verb="workinggroup.updated")
    assert event.before == {"name": "Human rights and the rule of law"}


def test_a_live_group_number_is_unique(roster):
    with pytest.raises(ValidationError, match="already active"):
        workinggroup_create(number=7, name="Another", short_name="Another", actor=None)


def test_retiring_and_merging_keeps_history_and_frees_the_number(roster, chair):
    successor = WorkingGroupFactory(number=20, established_on=D(2019, 1, 1))
    workinggroup_retire(group=roster.group, retired_on=D(2019, 1, 1), merged_into=successor, actor=None)
    roster.group.refresh_from_db()
    assert roster.group.merged_into == successor
    assert set(roster.group.assignments.values_list("ends_on", flat=True)) == {D(2018, 12, 31)}
    assert not fresh(chair).has_perm(LEAD, roster.group)
    renumbered = workinggroup_create(number=7, name="New group seven", short_name="Seven", actor=None)
    assert WorkingGroup.objects.filter(number=7).count() == 2 and renumbered.is_active


def test_a_group_merges_only_into_a_live_group(roster):
    gone = WorkingGroupFactory(number=30, retired_on=D(2018, 6, 1))
    with pytest.raises(ValidationError, match="only merge into another group that is active"):
        workinggroup_retire(group=roster.group, retired_on=D(2019, 1, 1), merged_into=gone, actor=None)
    with pytest.raises(ValidationError, match="only merge into another group that is active"):
        workinggroup_retire(group=roster.group, retired_on=D(2019, 1, 1), merged_into=roster.group, actor=None)
    roster.group.refresh_from_db()
    assert roster.group.retired_on is None
    with pytest.raises(IntegrityError):
        WorkingGroup.objects.filter(pk=roster.other_group.pk).update(merged_into=roster.group)


def test_retiring_ends_roles_that_ran_past_the_date_and_withdraws_later_ones(roster, chair):
    role_end(assignment=roster.vice_chair_role, ends_on=D(2030, 12, 31), actor=None)
    later = role_assign(group=roster.group, entity=roster.unesco, role="member", starts_on=D(2026, 6, 1), actor=None)
    workinggroup_retire(group=roster.group, retired_on=D(2025, 1, 1), actor=None)
    assert set(roster.group.assignments.values_list("ends_on", flat=True)) == {D(2024, 12, 31)}
    assert not RoleAssignment.objects.filter(pk=later.pk).exists()
    assert AuditEvent.objects.filter(verb="workinggroup.role_withdrawn").count() == 1


def test_a_role_in_a_group_due_to_retire_ends_with_it(roster):
    future = WorkingGroupFactory(number=31)
    workinggroup_retire(group=future, retired_on=D(2030, 1, 1), actor=None)
    role = role_assign(group=future, entity=roster.unesco, role="chair", starts_on=D(2025, 1, 1), actor=None)
    assert role.ends_on == D(2029, 12, 31)
    with pytest.raises(ValidationError, match="not active on that date"):
        role_assign(group=future, entity=roster.ohchr, role="chair", starts_on=D(2030, 1, 1), actor=None)


def test_no_one_leads_a_retired_group_even_if_a_role_was_left_open(roster, chair):
    # A retirement written straight to the table leaves the chair's role open; the sync must
    # still refuse to let anyone lead a group that no longer exists.
    WorkingGroup.objects.filter(pk=roster.group.pk).update(retired_on=D(2020, 1, 1))
    assert role_permissions_sync(user=chair) is True
    assert not fresh(chair).has_perm(LEAD, roster.group)
    assert Role.CHAIR not in user_roles_stored(chair)


def test_the_hourly_sync_revokes_rights_nobody_holds_a_role_for(roster, chair):
    stray = ProfileFactory(entity=roster.unesco).user
    assign_perm(LEAD, stray, roster.other_group)  # e.g. granted by hand in a database console
    stray.groups.add(Group.objects.get(name=Role.CHAIR.value))
    assert role_permissions_sync_all() == 1
    stray = fresh(stray)
    assert not stray.has_perm(LEAD, roster.other_group)
    assert Role.CHAIR not in user_roles_stored(stray)
    assert fresh(chair).has_perm(LEAD, roster.group)
    assert role_permissions_sync_all() == 0


def test_every_role_change_is_audited(roster, chair):
    successor = ProfileFactory(entity=roster.ohchr).user
    role_representative_set(assignment=roster.chair_role, person=successor, actor=chair)
    role_end(assignment=roster.vice_chair_role, ends_on=D(2021, 1, 1), actor=chair)
    workinggroup_retire(group=roster.other_group, retired_on=D(2022, 1, 1), actor=chair)
    verbs = list(AuditEvent.objects.filter(actor=chair).order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "workinggroup.representative_changed",
        "workinggroup.role_ended",
        "workinggroup.role_ended",
        "workinggroup.retired",
    ]
    synced = AuditEvent.objects.filter(verb="workinggroup.lead_rights_synced", object_id=str(successor.pk)).get()
    assert (synced.before, synced.after) == ({"groups": []}, {"groups": [roster.group.pk]})
