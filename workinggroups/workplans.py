"""Work plans of the working groups (Annex III, III.c): a plan per biennium, its outputs and their
activities, edited by the group's chair, vice-chair or OCT, each change audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.registry.models import Entity, Pillar
from workinggroups.models import WorkingGroup, WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.permissions import can_edit_work_plan

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
