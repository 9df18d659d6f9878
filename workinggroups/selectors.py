"""Reads of working groups and role assignments, scoped to the asking user."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from compact.registry.models import Entity
from compact.registry.permissions import can_read_registry
from workinggroups.models import RoleAssignment, WorkingGroup


def workinggroups_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, active_on: datetime.date | None = None
) -> QuerySet[WorkingGroup]:
    """Working groups ``user`` may read; with ``active_on``, only those live on that day."""
    if not can_read_registry(user):
        return WorkingGroup.objects.none()
    groups = WorkingGroup.objects.select_related("merged_into")
    if active_on is not None:
        groups = groups.active_on(active_on)
    return groups.order_by("retired_on", "number")


def get_workinggroup_for_user_or_404(user: AbstractBaseUser | AnonymousUser, pk: int) -> WorkingGroup:
    """One group; the same 404 whether it is missing or hidden from ``user``."""
    group = workinggroups_visible_to(user).filter(pk=pk).first()
    if group is None:
        raise Http404("No such working group.")
    return group


def assignments_in_force(
    *,
    on: datetime.date,
    groups: QuerySet[WorkingGroup] | None = None,
    entity: Entity | None = None,
) -> QuerySet[RoleAssignment]:
    """Roles in force on ``on``, optionally for some groups or one entity, with the entity,
    group and representative loaded."""
    assignments = RoleAssignment.objects.in_force_on(on).select_related(
        "working_group", "entity", "person", "person__profile"
    )
    if groups is not None:
        assignments = assignments.filter(working_group__in=groups)
    if entity is not None:
        assignments = assignments.filter(entity=entity)
    return assignments


@dataclass
class GroupRoster:
    """Who holds which role in one working group on one day."""

    group: WorkingGroup
    chairs: list[RoleAssignment] = field(default_factory=list)
    vice_chairs: list[RoleAssignment] = field(default_factory=list)
    members: list[RoleAssignment] = field(default_factory=list)


def rosters_on(
    groups: QuerySet[WorkingGroup], *, on: datetime.date | None = None, with_members: bool = True
) -> list[GroupRoster]:
    """One roster per group, in the order given, with two queries in all; without
    ``with_members``, only the chairs and vice-chairs (the list of groups shows no more)."""
    day = on or timezone.localdate()
    by_group: dict[int, GroupRoster] = {group.pk: GroupRoster(group=group) for group in groups}
    slots = {
        RoleAssignment.Role.CHAIR: "chairs",
        RoleAssignment.Role.VICE_CHAIR: "vice_chairs",
        RoleAssignment.Role.MEMBER: "members",
    }
    # The group is already at hand and a roster names people, not their profiles: only the
    # entity and the representative are joined.
    assignments = (
        RoleAssignment.objects.in_force_on(day)
        .filter(working_group__in=list(by_group))
        .select_related("entity", "person")
        .order_by("role", "entity__acronym", "starts_on")
    )
    if not with_members:
        assignments = assignments.leading()
    for assignment in assignments:
        assignment.working_group = by_group[assignment.working_group_id].group
        getattr(by_group[assignment.working_group_id], slots[assignment.role]).append(assignment)
    return list(by_group.values())


def group_history(group: WorkingGroup) -> QuerySet[RoleAssignment]:
    """Every role ever held in the group, newest first."""
    return group.assignments.select_related("entity", "person").order_by("-starts_on", "role")


# Bumped whenever a role assignment is saved or deleted in this process (workinggroups.apps):
# what workinggroups_led_by remembered on a user object before that is read again.
_roles_version = 0


def leading_roles_changed(**_kwargs: object) -> None:
    """A role assignment changed: forget the leading roles remembered on user objects."""
    global _roles_version
    _roles_version += 1


def workinggroups_led_by(user: AbstractBaseUser, *, on: datetime.date | None = None) -> list[RoleAssignment]:
    """The leading roles ``user`` personally holds today.

    Read once per user object and day: one page asks it many times for its request's user (the
    menu, the task inbox and the Committee's and reviews' permission checks, seven reads for a
    chair), and the answer only changes when an assignment does (then read again)."""
    day = on or timezone.localdate()
    remembered = getattr(user, "_workinggroups_led", None)
    if remembered is not None and remembered[:2] == (day, _roles_version):
        return list(remembered[2])
    led = list(assignments_in_force(on=day).leading().filter(person=user).order_by("working_group__number"))
    user._workinggroups_led = (day, _roles_version, led)
    return list(led)


def entity_roles(entity: Entity) -> dict[str, list[RoleAssignment]]:
    """An entity's working-group roles, split into current and past."""
    today = timezone.localdate()
    split: dict[str, list[RoleAssignment]] = defaultdict(list)
    for assignment in entity.wg_roles.select_related("working_group", "person").order_by(
        "working_group__number", "-starts_on"
    ):
        split["current" if assignment.in_force_on(today) else "past"].append(assignment)
    return split


def workinggroups_with_current_roster(user: AbstractBaseUser | AnonymousUser) -> QuerySet[WorkingGroup]:
    """Groups with today's assignments prefetched as ``current_assignments`` (for the API)."""
    today = timezone.localdate()
    current = RoleAssignment.objects.in_force_on(today).select_related("entity", "person")
    return workinggroups_visible_to(user).prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def workinggroups_to_link(linked: Iterable[WorkingGroup] = ()) -> QuerySet[WorkingGroup]:
    """The groups a form may link something to: the live ones, plus those already linked (a
    group that retired keeps its place on what it was linked to), by number."""
    return WorkingGroup.objects.filter(Q(retired_on__isnull=True) | Q(pk__in=[group.pk for group in linked])).order_by(
        "number"
    )
