"""Services for working groups and the roles entities hold in them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from compact.core.audit import audit_record, snapshot
from compact.core.roles import Role, user_roles_stored
from compact.registry.models import Entity, Evidence, Pillar
from compact.registry.services import person_roles_set
from workinggroups.models import RoleAssignment, WorkingGroup, WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.permissions import LEAD_PERMISSION, can_edit_work_plan

User = get_user_model()

GROUP_FIELDS = ("number", "name", "short_name", "mandate", "established_on", "retired_on", "merged_into", "evidence")
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
) -> WorkingGroup:
    """Set up a working group. Its number must not be held by another live group."""
    if WorkingGroup.objects.filter(number=number, retired_on__isnull=True).exists():
        raise ValidationError({"number": _("A working group with this number is already active.")})
    group = WorkingGroup(
        code=code or None,
        number=number,
        name=name.strip(),
        short_name=short_name.strip(),
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
    allowed = {"number", "name", "short_name", "mandate", "established_on", "evidence"}
    if set(changes) - allowed:
        raise TypeError(f"workinggroup_update() got unknown fields: {sorted(set(changes) - allowed)}")
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
) -> RoleAssignment:
    """Give ``entity`` a role (chair, vice-chair, member) in ``group`` from ``starts_on``.

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
        ends_on=group.retired_on - datetime.timedelta(days=1) if group.retired_on else None,
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


# --- Work plans ---------------------------------------------------------------------------------

BIENNIUM_FIRST_YEARS = range(2000, 2101)
ACTIVITY_FIELDS = ("output", "position", "title", "target_date", "pillars", "status", "lead_entities")
ACTIVITY_CHANGEABLE = frozenset({"title", "lead_entities", "target_date", "pillars", "status"})


def _require_plan_editor(actor: AbstractBaseUser | None, group: WorkingGroup) -> None:
    if actor is None or not can_edit_work_plan(actor, group):
        raise PermissionDenied(_("Only the group's chair and vice-chairs, and OCT, may edit its work plans."))


def _plan_locked(plan: WorkPlan) -> WorkPlan:
    """The plan, locked: edits to one plan (and the positions they hand out) run one by one."""
    return WorkPlan.objects.select_for_update().select_related("working_group").get(pk=plan.pk)


def _plan_touch(plan: WorkPlan) -> None:
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


def _next_position(rows: Any) -> int:
    return (rows.aggregate(last=Max("position"))["last"] or 0) + 1


def _activity_values(activity: WorkPlanActivity, fields: Iterable[str]) -> dict[str, Any]:
    """An audit snapshot of an activity; lead entities by acronym, as people read them."""
    fields = list(fields)
    values: dict[str, Any] = {
        "activity": activity.pk,
        **snapshot(activity, [f for f in fields if f != "lead_entities"]),
    }
    if "lead_entities" in fields:
        values["lead_entities"] = sorted(entity.acronym for entity in activity.lead_entities.all())
    return values


def _group_lives_in_biennium(group: WorkingGroup, first_year: int) -> bool:
    first_day, last_day = datetime.date(first_year, 1, 1), datetime.date(first_year + 1, 12, 31)
    established = group.established_on is None or group.established_on <= last_day
    return established and (group.retired_on is None or group.retired_on > first_day)


def _check_biennium(group: WorkingGroup, biennium_start: int) -> None:
    first, last = BIENNIUM_FIRST_YEARS[0], BIENNIUM_FIRST_YEARS[-1]
    if biennium_start not in BIENNIUM_FIRST_YEARS:
        message = _("Enter a first year between %(first)s and %(last)s.") % {"first": first, "last": last}
        raise ValidationError({"biennium_start": message})
    if not _group_lives_in_biennium(group, biennium_start):
        raise ValidationError({"biennium_start": _("The working group does not exist in that biennium.")})
    if group.work_plans.filter(biennium_start=biennium_start).exists():
        label = f"{biennium_start}–{biennium_start + 1}"
        raise ValidationError(
            {"biennium_start": _("This group already has a %(biennium)s work plan.") % {"biennium": label}}
        )


@transaction.atomic
def work_plan_create(
    *, group: WorkingGroup, biennium_start: int, actor: AbstractBaseUser | None, summary: str = ""
) -> WorkPlan:
    """Start ``group``'s work plan for the biennium that begins in ``biennium_start`` (one per
    biennium). Its chair and vice-chairs, or OCT, may."""
    _require_plan_editor(actor, group)
    # Lock the group so two editors starting the same biennium get a message, not a crash.
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    _check_biennium(group, biennium_start)
    plan = WorkPlan(working_group=group, biennium_start=biennium_start, summary=summary.strip())
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        verb="workplan.created",
        obj=plan,
        after=snapshot(plan, ("working_group", "biennium_start", "summary")),
    )
    return plan


@transaction.atomic
def work_plan_update(*, plan: WorkPlan, summary: str, actor: AbstractBaseUser | None) -> bool:
    """Change a plan's summary; returns whether anything changed. ``plan`` is refreshed in place."""
    _require_plan_editor(actor, plan.working_group)
    current = _plan_locked(plan)
    summary = summary.strip()
    if current.summary == summary:
        return False
    before = snapshot(current, ("summary",))
    current.summary = summary
    current.updated_at = timezone.now()
    current.save(update_fields=["summary", "updated_at"])
    audit_record(actor=actor, verb="workplan.updated", obj=current, before=before, after={"summary": summary})
    plan.refresh_from_db()
    return True


def _output_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Enter the output.")})
    return title


@transaction.atomic
def work_plan_output_add(*, plan: WorkPlan, title: str, actor: AbstractBaseUser | None) -> WorkPlanOutput:
    """Add an expected output at the end of ``plan``."""
    _require_plan_editor(actor, plan.working_group)
    plan = _plan_locked(plan)
    output = WorkPlanOutput(work_plan=plan, title=_output_title(title), position=_next_position(plan.outputs))
    output.full_clean()
    output.save()
    after = {"output": output.pk, **snapshot(output, ("position", "title"))}
    audit_record(actor=actor, verb="workplan.output_added", obj=plan, after=after)
    _plan_touch(plan)
    return output


def _output_locked(output: WorkPlanOutput) -> WorkPlanOutput:
    current = WorkPlanOutput.objects.select_for_update().filter(pk=output.pk).first()
    if current is None:
        raise ValidationError(_("This output has been removed meanwhile."))
    return current


@transaction.atomic
def work_plan_output_update(*, output: WorkPlanOutput, title: str, actor: AbstractBaseUser | None) -> bool:
    """Reword an output; returns whether anything changed. ``output`` is refreshed in place."""
    _require_plan_editor(actor, output.work_plan.working_group)
    plan = _plan_locked(output.work_plan)
    current = _output_locked(output)
    title = _output_title(title)
    if current.title == title:
        return False
    before = {"output": current.pk, "title": current.title}
    current.title = title
    current.full_clean()
    current.save(update_fields=["title"])
    audit_record(
        actor=actor,
        verb="workplan.output_updated",
        obj=plan,
        before=before,
        after={"output": current.pk, "title": title},
    )
    _plan_touch(plan)
    output.refresh_from_db()
    return True


@transaction.atomic
def work_plan_output_remove(*, output: WorkPlanOutput, actor: AbstractBaseUser | None) -> None:
    """Remove an output with its activities. Reports already written keep the activities'
    titles and statuses (their progress rows only lose the link)."""
    _require_plan_editor(actor, output.work_plan.working_group)
    plan = _plan_locked(output.work_plan)
    current = WorkPlanOutput.objects.select_for_update().filter(pk=output.pk).first()
    if current is None:
        return  # Someone removed it first: what was asked for is done.
    before = {
        "output": current.pk,
        **snapshot(current, ("position", "title")),
        "activities": list(current.activities.order_by("position", "id").values_list("title", flat=True)),
    }
    audit_record(actor=actor, verb="workplan.output_removed", obj=plan, before=before)
    current.delete()
    _plan_touch(plan)


def work_plan_activity_problems(*, plan: WorkPlan, target_date: datetime.date | None, pillars: Any) -> dict[str, str]:
    """What breaks the rules of a plan's activities beyond each field's own: the target date
    falls within the plan's biennium, and the pillars are pillars I–IV of the Strategy.
    The admin's form asks here too."""
    problems: dict[str, str] = {}
    if target_date is not None and not plan.covers(target_date):
        problems["target_date"] = _("Choose a target date within the %(biennium)s biennium of this work plan.") % {
            "biennium": plan.biennium_label
        }
    if isinstance(pillars, str) or not set(pillars or ()) <= set(Pillar.values):
        problems["pillars"] = _("Choose among pillars I, II, III and IV of the Strategy.")
    return problems


def _pillars_in_order(pillars: Iterable[str]) -> list[str]:
    chosen = set(pillars or ())
    return [pillar for pillar in Pillar.values if pillar in chosen]


def _unknown_entities(entities: list[Entity]) -> bool:
    keys = {entity.pk for entity in entities}
    return None in keys or Entity.objects.filter(pk__in=keys).count() != len(keys)


def _activity_check(
    activity: WorkPlanActivity, plan: WorkPlan, changed: Iterable[str], entities: list[Entity] | None
) -> None:
    """Raise every problem with the activity's ``changed`` fields at once, for the form to show."""
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    problems = work_plan_activity_problems(
        plan=plan,
        target_date=activity.target_date if "target_date" in changed else None,
        pillars=activity.pillars if "pillars" in changed else (),
    )
    for field, message in problems.items():
        errors.setdefault(field, []).append(message)
    if entities is not None and _unknown_entities(entities):
        errors["lead_entities"] = [_("Choose lead entities from the registry.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def work_plan_activity_add(
    *,
    output: WorkPlanOutput,
    title: str,
    actor: AbstractBaseUser | None,
    lead_entities: Iterable[Entity] = (),
    target_date: datetime.date | None = None,
    pillars: Iterable[str] = (),
    status: str = WorkPlanActivity.Status.PLANNED,
) -> WorkPlanActivity:
    """Add an activity at the end of ``output``, with its lead entities, a target date within
    the plan's biennium, the Strategy pillars it serves and its status."""
    _require_plan_editor(actor, output.work_plan.working_group)
    plan = _plan_locked(output.work_plan)
    output = _output_locked(output)
    entities = list(lead_entities)
    activity = WorkPlanActivity(
        output=output,
        position=_next_position(output.activities),
        title=title.strip(),
        target_date=target_date,
        pillars=pillars if isinstance(pillars, str) else list(pillars or ()),
        status=status,
    )
    _activity_check(activity, plan, ("target_date", "pillars"), entities)
    activity.pillars = _pillars_in_order(activity.pillars)
    activity.save()
    activity.lead_entities.set(entities)
    audit_record(
        actor=actor, verb="workplan.activity_added", obj=plan, after=_activity_values(activity, ACTIVITY_FIELDS)
    )
    _plan_touch(plan)
    return activity


def _activity_changes(current: WorkPlanActivity, changes: dict[str, Any]) -> dict[str, Any]:
    """The requested values that differ from what is stored, in their stored form."""
    wanted = dict(changes)
    if "title" in wanted:
        wanted["title"] = wanted["title"].strip()
    if "pillars" in wanted and not isinstance(wanted["pillars"], str):
        wanted["pillars"] = list(wanted["pillars"] or ())
        if set(wanted["pillars"]) <= set(Pillar.values):
            wanted["pillars"] = _pillars_in_order(wanted["pillars"])
    changed = {
        name: value for name, value in wanted.items() if name != "lead_entities" and getattr(current, name) != value
    }
    if "lead_entities" in wanted:
        entities = list(wanted["lead_entities"])
        if {entity.pk for entity in entities} != set(current.lead_entities.values_list("pk", flat=True)):
            changed["lead_entities"] = entities
    return changed


@transaction.atomic
def work_plan_activity_update(*, activity: WorkPlanActivity, actor: AbstractBaseUser | None, **changes: Any) -> bool:
    """Change an activity's title, lead entities, target date, pillars or status; returns
    whether anything changed. ``activity`` is refreshed in place."""
    unknown = set(changes) - ACTIVITY_CHANGEABLE
    if unknown:
        raise TypeError(f"work_plan_activity_update() got unknown fields: {sorted(unknown)}")
    _require_plan_editor(actor, activity.output.work_plan.working_group)
    plan = _plan_locked(activity.output.work_plan)
    current = WorkPlanActivity.objects.select_for_update().filter(pk=activity.pk).first()
    if current is None:
        raise ValidationError(_("This activity has been removed meanwhile."))
    changed = _activity_changes(current, changes)
    if not changed:
        return False
    before = _activity_values(current, changed)
    plain = [name for name in changed if name != "lead_entities"]
    for name in plain:
        setattr(current, name, changed[name])
    _activity_check(current, plan, changed, changed.get("lead_entities"))
    if plain:
        current.save(update_fields=plain)
    if "lead_entities" in changed:
        current.lead_entities.set(changed["lead_entities"])
    after = _activity_values(current, changed)
    audit_record(actor=actor, verb="workplan.activity_updated", obj=plan, before=before, after=after)
    _plan_touch(plan)
    activity.refresh_from_db()
    return True


@transaction.atomic
def work_plan_activity_remove(*, activity: WorkPlanActivity, actor: AbstractBaseUser | None) -> None:
    """Remove an activity. Reports already written keep its title and status."""
    _require_plan_editor(actor, activity.output.work_plan.working_group)
    plan = _plan_locked(activity.output.work_plan)
    current = WorkPlanActivity.objects.select_for_update().filter(pk=activity.pk).first()
    if current is None:
        return  # Someone removed it first: what was asked for is done.
    audit_record(
        actor=actor, verb="workplan.activity_removed", obj=plan, before=_activity_values(current, ACTIVITY_FIELDS)
    )
    current.delete()
    _plan_touch(plan)
