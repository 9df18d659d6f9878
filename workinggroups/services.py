"""Services for working groups and the roles entities hold in them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from compact.core.audit import audit_record, snapshot
from compact.core.roles import Role, user_roles_stored
from compact.lib.languages import translations_clean
from compact.registry.models import Entity, Evidence
from compact.registry.services import person_roles_set
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.permissions import LEAD_PERMISSION

User = get_user_model()

GROUP_FIELDS = ("number", "name", "short_name", "mandate", "established_on", "retired_on", "merged_into", "evidence")
# What a working group's name has in each other language.
GROUP_NAME_FIELDS = ("name", "short_name")
ASSIGNMENT_FIELDS = ("working_group", "entity", "role", "person", "starts_on", "ends_on", "evidence", "note")


@transaction.atomic
def workinggroup_create(
    *,
    number: int,
    name: str,
    short_name: str,
    actor: AbstractBaseUser | None,
    code: str | None = None,
    mandate: str = "",
    established_on: datetime.date | None = None,
    evidence: str = Evidence.SECRETARIAT,
    name_translations: dict[str, dict[str, str]] | None = None,
) -> WorkingGroup:
    """Set up a working group. Its number must not be held by another live group.
    ``name_translations``: its names in other languages ({"fr": {"name": …, "short_name": …}})."""
    if WorkingGroup.objects.filter(number=number, retired_on__isnull=True).exists():
        raise ValidationError({"number": _("A working group with this number is already active.")})
    group = WorkingGroup(
        code=code or None,
        number=number,
        name=name.strip(),
        short_name=short_name.strip(),
        name_translations=translations_clean(name_translations or {}, GROUP_NAME_FIELDS),
        mandate=mandate,
        established_on=established_on,
        evidence=evidence,
    )
    group.full_clean()
    group.save()
    audit_record(actor=actor, verb="workinggroup.created", obj=group, after=snapshot(group, GROUP_FIELDS))
    return group


@transaction.atomic
def workinggroup_update(*, group: WorkingGroup, actor: AbstractBaseUser | None, **changes: Any) -> bool:
    """Rename a group or edit its mandate; history is kept in the audit trail."""
    allowed = {"number", "name", "short_name", "name_translations", "mandate", "established_on", "evidence"}
    if set(changes) - allowed:
        raise TypeError(f"workinggroup_update() got unknown fields: {sorted(set(changes) - allowed)}")
    if "name_translations" in changes:
        changes["name_translations"] = translations_clean(changes["name_translations"], GROUP_NAME_FIELDS)
    changed = {k: v for k, v in changes.items() if getattr(group, k) != v}
    if not changed:
        return False
    before = snapshot(group, changed)
    for field, value in changed.items():
        setattr(group, field, value)
    group.updated_at = timezone.now()
    group.full_clean()
    group.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, verb="workinggroup.updated", obj=group, before=before, after=snapshot(group, changed))
    return True


@transaction.atomic
def workinggroup_retire(
    *,
    group: WorkingGroup,
    retired_on: datetime.date,
    actor: AbstractBaseUser | None,
    merged_into: WorkingGroup | None = None,
) -> WorkingGroup:
    """Retire a group from ``retired_on`` (optionally merged into another live group).

    Every role still in force ends the day before (roles due to start later are withdrawn),
    so the Committee loses the group's chairs from that day; its history stays readable.
    """
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if group.retired_on is not None:
        raise ValidationError(_("This working group is already retired."))
    if merged_into is not None and (merged_into.pk == group.pk or not merged_into.is_active_on(retired_on)):
        raise ValidationError({"merged_into": _("A group can only merge into another group that is active.")})
    before = snapshot(group, ("retired_on", "merged_into"))
    last_day = retired_on - datetime.timedelta(days=1)
    for assignment in group.assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=last_day)):
        if assignment.starts_on > last_day:
            # A role due to start after the group ends never takes effect: it goes.
            role_withdraw(assignment=assignment, actor=actor)
        else:
            role_end(assignment=assignment, ends_on=last_day, actor=actor)
    group.retired_on, group.merged_into = retired_on, merged_into
    group.updated_at = timezone.now()
    group.save(update_fields=["retired_on", "merged_into", "updated_at"])
    audit_record(
        actor=actor,
        verb="workinggroup.retired",
        obj=group,
        before=before,
        after=snapshot(group, ("retired_on", "merged_into")),
    )
    return group


def _check_assignment(
    *, group: WorkingGroup, entity: Entity, role: str, person: AbstractBaseUser | None, starts_on: datetime.date
) -> None:
    if not group.is_active_on(starts_on):
        raise ValidationError({"starts_on": _("The working group is not active on that date.")})
    # The new role is open-ended, so any same role that has not ended before it starts overlaps.
    overlapping = RoleAssignment.objects.filter(working_group=group, entity=entity, role=role).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if overlapping.exists():
        raise ValidationError(
            {"role": _("%(entity)s already holds this role in this group on that date.") % {"entity": entity}}
        )
    person_entity = getattr(getattr(person, "profile", None), "entity_id", None)
    if person is not None and person_entity != entity.pk:
        raise ValidationError({"person": _("The representative must work for %(entity)s.") % {"entity": entity}})


@transaction.atomic
def role_assign(
    *,
    group: WorkingGroup,
    entity: Entity,
    role: str,
    starts_on: datetime.date,
    actor: AbstractBaseUser | None,
    person: AbstractBaseUser | None = None,
    evidence: str = Evidence.SECRETARIAT,
    note: str = "",
    ends_on: datetime.date | None = None,
) -> RoleAssignment:
    """Give ``entity`` a role (chair, vice-chair, member) in ``group`` from ``starts_on``, until
    ``ends_on`` (its last day) if the term is known.

    The representative, if any, gains the right to lead the group while the role is in force.
    A group due to retire caps the role at its last day.
    """
    # Lock the group: concurrent assignments (or a retirement) for one group run one by one,
    # so the overlap check below cannot be raced.
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    _check_assignment(group=group, entity=entity, role=role, person=person, starts_on=starts_on)
    assignment = RoleAssignment(
        working_group=group,
        entity=entity,
        role=role,
        person=person,
        starts_on=starts_on,
        ends_on=_capped(ends_on, group),
        evidence=evidence,
        note=note,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor, verb="workinggroup.role_assigned", obj=group, after=snapshot(assignment, ASSIGNMENT_FIELDS)
    )
    if person is not None:
        role_permissions_sync(user=person)
    return assignment


def _capped(ends_on: datetime.date | None, group: WorkingGroup) -> datetime.date | None:
    """A role's last day: its own, or the group's last day if that comes first."""
    last_day = group.retired_on - datetime.timedelta(days=1) if group.retired_on else None
    return min(day for day in (ends_on, last_day) if day is not None) if (ends_on or last_day) else None


@transaction.atomic
def role_end(*, assignment: RoleAssignment, ends_on: datetime.date, actor: AbstractBaseUser | None) -> RoleAssignment:
    """End a role on ``ends_on`` (its last day)."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("A role cannot end before it starts.")})
    if assignment.ends_on is not None and assignment.ends_on < ends_on:
        raise ValidationError({"ends_on": _("This role has already ended.")})
    before = snapshot(assignment, ("ends_on",))
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    audit_record(
        actor=actor,
        verb="workinggroup.role_ended",
        obj=assignment.working_group,
        before={"assignment": assignment.pk, **before},
        after={"assignment": assignment.pk, **snapshot(assignment, ("ends_on",))},
    )
    if assignment.person is not None:
        role_permissions_sync(user=assignment.person)
    return assignment


@transaction.atomic
def role_withdraw(*, assignment: RoleAssignment, actor: AbstractBaseUser | None) -> None:
    """Remove a role that never takes effect, such as one due to start after its group retires.
    Roles that were held are ended with ``role_end`` instead, to keep the history."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    audit_record(
        actor=actor,
        verb="workinggroup.role_withdrawn",
        obj=assignment.working_group,
        before=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    person = assignment.person
    assignment.delete()
    if person is not None:
        role_permissions_sync(user=person)


@transaction.atomic
def role_representative_set(
    *, assignment: RoleAssignment, person: AbstractBaseUser | None, actor: AbstractBaseUser | None
) -> RoleAssignment:
    """Change who represents the entity in this role; rights move with the person."""
    assignment = RoleAssignment.objects.select_for_update(of=("self",)).select_related("person").get(pk=assignment.pk)
    previous = assignment.person
    person_entity = getattr(getattr(person, "profile", None), "entity_id", None)
    if person is not None and person_entity != assignment.entity_id:
        raise ValidationError(
            {"person": _("The representative must work for %(entity)s.") % {"entity": assignment.entity}}
        )
    assignment.person = person
    assignment.save(update_fields=["person"])
    audit_record(
        actor=actor,
        verb="workinggroup.representative_changed",
        obj=assignment.working_group,
        before={"assignment": assignment.pk, "person": previous.pk if previous else None},
        after={"assignment": assignment.pk, "person": person.pk if person else None},
    )
    for user in {previous, person} - {None}:
        role_permissions_sync(user=user)
    return assignment


@transaction.atomic
def role_permissions_sync(*, user: AbstractBaseUser, today: datetime.date | None = None) -> bool:
    """Make ``user``'s rights match the leading roles they hold today.

    Grants the ``lead_workinggroup`` object permission on each group they chair or vice-chair,
    revokes it elsewhere, and keeps them in the chair role exactly while they lead a group.
    Idempotent: returns whether anything changed. Runs after each assignment change and from
    an hourly task, so roles that start or end on a future date take effect on their own.
    """
    today = today or timezone.localdate()
    leading = RoleAssignment.objects.in_force_on(today).leading().filter(person=user)
    leads = set(WorkingGroup.objects.active_on(today).filter(pk__in=leading.values("working_group")))
    held = set(
        get_objects_for_user(user, LEAD_PERMISSION, klass=WorkingGroup, with_superuser=False, accept_global_perms=False)
    )
    for group in leads - held:
        assign_perm(LEAD_PERMISSION, user, group)
    for group in held - leads:
        remove_perm(LEAD_PERMISSION, user, group)
    roles = user_roles_stored(user)
    wanted_roles = roles | {Role.CHAIR} if leads else roles - {Role.CHAIR}
    roles_changed = person_roles_set(user=user, roles=wanted_roles, actor=None)
    changed = bool(leads ^ held) or roles_changed
    if leads ^ held:
        audit_record(
            actor=None,
            verb="workinggroup.lead_rights_synced",
            obj=user,
            before={"groups": sorted(g.pk for g in held)},
            after={"groups": sorted(g.pk for g in leads)},
        )
    return changed


def role_permissions_sync_all(*, today: datetime.date | None = None) -> int:
    """Reconcile everyone who leads a group, held the right to, or holds the chair role;
    returns how many people changed. Idempotent."""
    leaders = RoleAssignment.objects.filter(role__in=RoleAssignment.LEADING_ROLES).values("person")
    holders = UserObjectPermission.objects.filter(permission__codename="lead_workinggroup").values("user")
    people = User.objects.filter(Q(pk__in=leaders) | Q(pk__in=holders) | Q(groups__name=Role.CHAIR.value)).distinct()
    return sum(role_permissions_sync(user=person, today=today) for person in people)


@transaction.atomic
def workinggroup_successors_set(
    *, group: WorkingGroup, successors: list[WorkingGroup], actor: AbstractBaseUser | None
) -> WorkingGroup:
    """Record the groups a retired group's work went to (a reorganisation's mapping); with one
    successor, it is also what the group merged into."""
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if group.retired_on is None:
        raise ValidationError(_("Only a retired group has successors."))
    if any(s.pk == group.pk or not s.is_active_on(group.retired_on) for s in successors):
        raise ValidationError(_("A group's successors are other groups, active on the day it ends."))
    before = {"successors": sorted(group.successors.values_list("pk", flat=True)), "merged_into": group.merged_into_id}
    group.successors.set(successors)
    group.merged_into = successors[0] if len(successors) == 1 else None
    group.updated_at = timezone.now()
    group.save(update_fields=["merged_into", "updated_at"])
    after = {"successors": sorted(s.pk for s in successors), "merged_into": group.merged_into_id}
    audit_record(actor=actor, verb="workinggroup.successors_set", obj=group, before=before, after=after)
    return group
