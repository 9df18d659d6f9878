"""Writes of reorganisations: OCT's draft (the new structure and the mapping), its withdrawal,
and its adoption, which applies the plan the preview showed (``selectors.reorganisation_plan``)
in one transaction: the old groups end the day before the new structure, the new groups start
on its day, and roles, outputs, themes, the programme's priorities and indicators and the open
reports move as the mapping says. Each step goes through the service of the domain that owns
it (its audit row included), and the adoption keeps what it did as ``ReorganisationEffect``."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.core.workflow import Move
from compact.lib.workflow import revision_check
from compact.matrix.services import projects_themes_carry
from compact.registry.models import Evidence
from reporting.committee.models import Decision
from reporting.programme.services import ADOPTING_STATES, programme_groups_carry
from reporting.reorganisation.models import (
    Reorganisation,
    ReorganisationEffect,
    ReorganisationMapping,
    ReorganisationTarget,
)
from reporting.reorganisation.permissions import can_manage_reorganisations
from reporting.reorganisation.selectors import (
    Plan,
    PlannedEffect,
    groups_to_continue,
    groups_to_map,
    reorganisation_plan,
)
from reporting.reorganisation.workflow import OCT, REORGANISATION_TRANSITIONS
from reporting.submissions.services import submission_carry, submission_close
from workinggroups.models import WorkingGroup, WorkPlan
from workinggroups.services import role_assign, workinggroup_create, workinggroup_retire, workinggroup_successors_set
from workinggroups.workplans import work_plan_activity_add, work_plan_create, work_plan_output_add

Kind = ReorganisationEffect.Kind
FIELDS = ("title", "rationale", "effective_on", "evidence", "source")
TARGET_FIELDS = ("continues", "number", "name", "short_name", "mandate")


def _require_oct(actor: AbstractBaseUser | None) -> None:
    if not can_manage_reorganisations(actor):
        raise PermissionDenied(_("Only the OCT secretariat drafts a reorganisation of the working groups."))


def _locked(reorganisation: Reorganisation, base_revision: int | None = None) -> Reorganisation:
    current = Reorganisation.objects.select_for_update(of=("self",)).get(pk=reorganisation.pk)
    message = _("This reorganisation was changed by someone else while you were editing it.")
    revision_check(current, base_revision, message)
    return current


def _draft_locked(
    reorganisation: Reorganisation, actor: AbstractBaseUser, base_revision: int | None = None
) -> Reorganisation:
    """The draft, locked, for a change by ``actor``: refused once it left the draft state."""
    _require_oct(actor)
    current = _locked(reorganisation, base_revision)
    if current.state != Reorganisation.State.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    return current


def _touch(reorganisation: Reorganisation, actor: AbstractBaseUser) -> None:
    """Every change to the draft counts: the revision goes up, and ``actor`` may not record its
    adoption (four eyes)."""
    Reorganisation.objects.filter(pk=reorganisation.pk).update(revision=F("revision") + 1)
    reorganisation.drafters.add(actor)
    reorganisation.refresh_from_db()


def _check_fields(*, title: str, effective_on: Any) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the reorganisation a title.")
    if not isinstance(effective_on, datetime.date) or effective_on.year < 2018:
        errors["effective_on"] = _("Give the first day of the new structure, from 2018.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reorganisation_create(
    *,
    title: str,
    effective_on: datetime.date,
    actor: AbstractBaseUser,
    rationale: str = "",
    evidence: str = Evidence.SECRETARIAT,
    source: str = "",
) -> Reorganisation:
    """Start OCT's draft of a reorganisation taking effect on ``effective_on``."""
    _require_oct(actor)
    _check_fields(title=title, effective_on=effective_on)
    if evidence not in Evidence.values:
        raise ValidationError({"evidence": _("Choose a known evidence mark.")})
    reorganisation = Reorganisation(
        title=title.strip(),
        rationale=(rationale or "").strip(),
        effective_on=effective_on,
        evidence=evidence,
        source=(source or "").strip(),
        created_by=actor,
    )
    reorganisation.full_clean()
    reorganisation.save()
    reorganisation.drafters.add(actor)
    audit_record(actor=actor, verb="reorganisation.drafted", obj=reorganisation, after=snapshot(reorganisation, FIELDS))
    return reorganisation


@transaction.atomic
def reorganisation_update(
    *,
    reorganisation: Reorganisation,
    actor: AbstractBaseUser,
    title: str,
    effective_on: datetime.date,
    rationale: str = "",
    base_revision: int | None = None,
) -> Reorganisation:
    reorganisation = _draft_locked(reorganisation, actor, base_revision)
    _check_fields(title=title, effective_on=effective_on)
    changes = {"title": title.strip(), "effective_on": effective_on, "rationale": (rationale or "").strip()}
    changed = {field: value for field, value in changes.items() if getattr(reorganisation, field) != value}
    if not changed:
        return reorganisation
    before = snapshot(reorganisation, changed)
    for field, value in changed.items():
        setattr(reorganisation, field, value)
    reorganisation.full_clean()
    reorganisation.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        verb="reorganisation.updated",
        obj=reorganisation,
        before=before,
        after=snapshot(reorganisation, changed),
    )
    _touch(reorganisation, actor)
    return reorganisation


@transaction.atomic
def reorganisation_target_add(
    *,
    reorganisation: Reorganisation,
    actor: AbstractBaseUser,
    continues: WorkingGroup | None = None,
    number: int | None = None,
    name: str = "",
    short_name: str = "",
    mandate: str = "",
) -> ReorganisationTarget:
    """Add a group to the new structure: an existing live group that carries on as it is, or a
    new group with its number, names and mandate (created when the reorganisation is adopted)."""
    reorganisation = _draft_locked(reorganisation, actor)
    if continues is not None:
        if not groups_to_continue(reorganisation).filter(pk=continues.pk).exists():
            raise ValidationError({"continues": _("Choose a group that is live on the day the new structure starts.")})
        if reorganisation.targets.filter(continues=continues).exists():
            raise ValidationError({"continues": _("This group is in the new structure already.")})
        target = ReorganisationTarget(reorganisation=reorganisation, continues=continues)
    else:
        errors = {}
        if number is None or not 1 <= number <= 99:
            errors["number"] = _("Give the new group a number from 1 to 99.")
        elif reorganisation.targets.filter(continues__isnull=True, number=number).exists():
            errors["number"] = _("Another new group of this draft has this number.")
        if not (name or "").strip():
            errors["name"] = _("Give the new group a name.")
        if not (short_name or "").strip():
            errors["short_name"] = _("Give the new group a short name.")
        if errors:
            raise ValidationError(errors)
        target = ReorganisationTarget(
            reorganisation=reorganisation,
            number=number,
            name=name.strip(),
            short_name=short_name.strip(),
            mandate=(mandate or "").strip(),
        )
    target.full_clean(exclude=["reorganisation"])
    target.save()
    audit_record(
        actor=actor,
        verb="reorganisation.target_added",
        obj=reorganisation,
        after={"target": target.pk, **snapshot(target, TARGET_FIELDS)},
    )
    _touch(reorganisation, actor)
    return target


@transaction.atomic
def reorganisation_target_remove(*, target: ReorganisationTarget, actor: AbstractBaseUser) -> None:
    """Take a group out of the new structure (and out of every line of the mapping)."""
    reorganisation = _draft_locked(target.reorganisation, actor)
    target = reorganisation.targets.get(pk=target.pk)
    audit_record(
        actor=actor,
        verb="reorganisation.target_removed",
        obj=reorganisation,
        before={"target": target.pk, **snapshot(target, TARGET_FIELDS)},
    )
    target.delete()  # a line's ``reports_to`` pointing at it is set to null (SET_NULL)
    _touch(reorganisation, actor)


@transaction.atomic
def reorganisation_mapping_set(
    *,
    reorganisation: Reorganisation,
    source: WorkingGroup,
    targets: list[ReorganisationTarget],
    actor: AbstractBaseUser,
    carry_roles: bool = True,
    carry_outputs: bool = True,
    carry_themes: bool = True,
    carry_indicators: bool = True,
    reports_to: ReorganisationTarget | None = None,
    note: str = "",
) -> ReorganisationMapping:
    """Say where ``source``'s work goes (its line of the mapping, replaced if it had one):
    ``targets`` (none: the work ends with the group), what goes with it, and the successor that
    takes its open reports (none: they are closed with ``note``)."""
    reorganisation = _draft_locked(reorganisation, actor)
    errors = {}
    if not groups_to_map(reorganisation).filter(pk=source.pk).exists():
        errors["source"] = _("Choose a group that is live the day before the new structure starts.")
    if reorganisation.targets.filter(continues=source).exists():
        errors["source"] = _("This group carries on in the new structure: it cannot also end.")
    own = {target.pk for target in reorganisation.targets.all()}
    if any(target.pk not in own for target in targets):
        errors["targets"] = _("Choose groups of this draft's new structure.")
    if reports_to is not None and reports_to.pk not in {target.pk for target in targets}:
        errors["reports_to"] = _("The open reports can only go to one of the group's successors.")
    if errors:
        raise ValidationError(errors)
    mapping, created = ReorganisationMapping.objects.get_or_create(reorganisation=reorganisation, source=source)
    before = None if created else _mapping_snapshot(mapping)
    carried = (carry_roles, carry_outputs, carry_themes, carry_indicators)
    for flag, value in zip(ReorganisationMapping.CARRY_FLAGS, carried, strict=True):
        setattr(mapping, flag, bool(value))
    mapping.reports_to = reports_to
    mapping.note = (note or "").strip()
    mapping.full_clean(exclude=["reorganisation", "source"])
    mapping.save()
    mapping.targets.set(targets)
    audit_record(
        actor=actor,
        verb="reorganisation.mapping_set",
        obj=reorganisation,
        before=before,
        after=_mapping_snapshot(mapping),
    )
    _touch(reorganisation, actor)
    return mapping


def _mapping_snapshot(mapping: ReorganisationMapping) -> dict[str, Any]:
    return {
        "source": mapping.source_id,
        "targets": sorted(target.pk for target in mapping.targets.all()),
        **{flag: getattr(mapping, flag) for flag in ReorganisationMapping.CARRY_FLAGS},
        "reports_to": mapping.reports_to_id,
        "note": mapping.note,
    }


@transaction.atomic
def reorganisation_mapping_remove(*, mapping: ReorganisationMapping, actor: AbstractBaseUser) -> None:
    reorganisation = _draft_locked(mapping.reorganisation, actor)
    mapping = reorganisation.mappings.get(pk=mapping.pk)
    audit_record(
        actor=actor, verb="reorganisation.mapping_removed", obj=reorganisation, before=_mapping_snapshot(mapping)
    )
    mapping.delete()
    _touch(reorganisation, actor)


# --- Moves ---------------------------------------------------------------------------------------


@transaction.atomic
def reorganisation_act(
    *,
    reorganisation: Reorganisation,
    action: str,
    actor: AbstractBaseUser,
    message: str = "",
    decision: Decision | None = None,
    base_revision: int | None = None,
    today: datetime.date | None = None,
) -> Reorganisation:
    """Take ``action`` (the table's: adopt, withdraw, redraft). Adoption needs the Committee's
    ``decision`` and applies the plan; a withdrawal needs a reason."""
    _require_oct(actor)
    reorganisation = _locked(reorganisation, base_revision)
    drafters = set(reorganisation.drafters.values_list("pk", flat=True))
    move = Move.start(
        table=REORGANISATION_TRANSITIONS,
        obj=reorganisation,
        action=action,
        by=OCT,
        actor=actor,
        proposer=drafters,
        state_field="state",
    )
    message = (message or "").strip()
    if move.transition.message == "required" and not message:
        raise ValidationError({"message": _("Say why.")})
    stale = _("This reorganisation was changed by someone else: reload it.")
    if action != "adopt":
        move.swap(stale=stale)
        move.record(actor=actor, verb=f"reorganisation.{action}", note=message)
        return reorganisation
    decision = _decision_check(reorganisation, decision, today or timezone.localdate())
    plan = reorganisation_plan(reorganisation)
    if not plan.adoptable:
        raise ValidationError(plan.problems)
    _apply(plan, actor)
    move.swap(stale=stale, decision=decision, adopted_by=actor, adopted_at=timezone.now())
    move.record(
        actor=actor,
        verb="reorganisation.adopted",
        after={
            "decision": decision.pk,
            "meeting": decision.meeting_id,
            "effective_on": reorganisation.effective_on.isoformat(),
            "effects": len(plan.effects),
        },
    )
    return reorganisation


def _decision_check(reorganisation: Reorganisation, decision: Decision | None, today: datetime.date) -> Decision:
    if decision is None:
        raise ValidationError({"decision": _("Choose the Committee's decision that adopted the reorganisation.")})
    decision = Decision.objects.select_related("meeting").get(pk=decision.pk)
    if decision.meeting.state not in ADOPTING_STATES:
        raise ValidationError({"decision": _("Choose a decision of a meeting that was held.")})
    if hasattr(decision, "programme_version") or Reorganisation.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": _("This decision adopted something else already.")})
    if reorganisation.effective_on < decision.meeting.date:
        raise ValidationError({"decision": _("The new structure cannot start before the meeting that adopted it.")})
    if reorganisation.effective_on > today:
        raise ValidationError(
            _("The new structure starts on %(day)s: record its adoption from that day.")
            % {"day": reorganisation.effective_on.isoformat()}
        )
    return decision


def _apply(plan: Plan, actor: AbstractBaseUser) -> None:
    reorganisation = plan.reorganisation
    day = reorganisation.effective_on
    for mapping in plan.mappings:
        workinggroup_retire(group=mapping.source, retired_on=day, actor=actor)
    groups: dict[int, WorkingGroup] = {}
    for target in plan.targets:
        if target.continues_id:
            groups[target.pk] = target.continues
            continue
        target.group = workinggroup_create(
            number=target.number,
            name=target.name,
            short_name=target.short_name,
            mandate=target.mandate,
            established_on=day,
            # A group loaded from a source keeps the mark of its name (unverified until checked).
            evidence=target.evidence,
            actor=actor,
        )
        target.save(update_fields=["group"])
        groups[target.pk] = target.group
    for mapping in plan.mappings:
        successors = [groups[target.pk] for target in mapping.targets.all()]
        workinggroup_successors_set(group=mapping.source, successors=successors, actor=actor)
        if mapping.carry_themes and successors:
            projects_themes_carry(source=mapping.source, targets=successors, actor=actor)
        if mapping.carry_indicators and successors:
            programme_groups_carry(source=mapping.source, targets=successors, from_day=day, actor=actor)
    rows = [_apply_effect(effect, groups, reorganisation, actor) for effect in plan.effects]
    ReorganisationEffect.objects.bulk_create(rows)


def _apply_effect(
    effect: PlannedEffect, groups: dict[int, WorkingGroup], reorganisation: Reorganisation, actor: AbstractBaseUser
) -> ReorganisationEffect:
    """Do what ``effect`` says (those not already done for the whole mapping) and return its
    record."""
    day = reorganisation.effective_on
    target_group = groups.get(effect.target.pk) if effect.target is not None else None
    # What is written on the rows themselves is the reorganisation's title (OCT's words, in no
    # one language); each page says the rest in its reader's language.
    origin = reorganisation.title[:255]
    if effect.kind == Kind.ROLE_CARRIED:
        assignment = effect.assignment
        person = assignment.person
        if person is not None and getattr(getattr(person, "profile", None), "entity_id", None) != assignment.entity_id:
            person = None  # the representative moved to another entity: the entity names a new one
        role_assign(
            group=target_group,
            entity=assignment.entity,
            role=assignment.role,
            starts_on=day,
            ends_on=assignment.ends_on,
            person=person,
            evidence=assignment.evidence,
            note=origin,
            actor=actor,
        )
    elif effect.kind == Kind.OUTPUT_CARRIED:
        _output_carry(effect, target_group, actor)
    elif effect.kind == Kind.REPORT_CARRIED:
        submission_carry(submission=effect.submission, group=target_group, note=effect.note or origin, actor=actor)
    elif effect.kind == Kind.REPORT_CLOSED:
        effect.submission.refresh_from_db()
        submission_close(submission=effect.submission, note=effect.note or origin, actor=actor)
    return ReorganisationEffect(
        reorganisation=reorganisation,
        kind=effect.kind,
        source=effect.source,
        target=target_group,
        subject=effect.subject[:500],
        submission=effect.submission,
        role=effect.role,
        project=effect.project,
        classification=effect.classification,
        note=effect.note[:500],
    )


def _output_carry(effect: PlannedEffect, group: WorkingGroup, actor: AbstractBaseUser) -> None:
    """Copy the output, with its activities still to deliver, into ``group``'s plan for the
    same biennium (started if it has none)."""
    biennium = effect.output.work_plan.biennium_start
    work_plan = WorkPlan.objects.filter(working_group=group, biennium_start=biennium).first()
    if work_plan is None:
        work_plan = work_plan_create(group=group, biennium_start=biennium, actor=actor)
    output = work_plan_output_add(plan=work_plan, title=effect.output.title, actor=actor)
    for activity in effect.activities:
        work_plan_activity_add(
            output=output,
            title=activity.title,
            lead_entities=list(activity.lead_entities.all()),
            target_date=activity.target_date,
            pillars=activity.pillars,
            status=activity.status,
            actor=actor,
        )


@transaction.atomic
def reorganisation_load(
    *,
    key: str,
    title: str,
    effective_on: datetime.date,
    evidence: str,
    source: str,
    groups: list[dict[str, Any]],
    mappings: list[dict[str, Any]],
    rationale: str = "",
) -> tuple[Reorganisation, bool]:
    """A reorganisation known from a source (``load_reference``), loaded as a draft for OCT to
    check and adopt: its new groups (``number``, ``name``, ``short_name``, ``evidence``) and its
    lines (``source``: an old group, ``numbers``: the new groups' numbers, ``evidence``,
    ``note``), every fact with its evidence mark. Nothing changes if it is loaded already;
    returns it and whether it was created. ``key`` (the reference file's) finds it again,
    whatever OCT corrected since."""
    existing = Reorganisation.objects.filter(reference_key=key).first()
    if existing is not None:
        return existing, False
    if evidence not in Evidence.values or not source.strip():
        raise ValidationError(_("A loaded reorganisation needs an evidence mark and a source."))
    _check_fields(title=title, effective_on=effective_on)
    reorganisation = Reorganisation.objects.create(
        reference_key=key,
        title=title.strip(),
        effective_on=effective_on,
        evidence=evidence,
        source=source.strip(),
        rationale=rationale,
    )
    targets = {}
    for row in groups:
        if row["evidence"] not in Evidence.values:
            raise ValidationError(_("Choose a known evidence mark."))
        target = ReorganisationTarget(reorganisation=reorganisation, **row)
        target.full_clean(exclude=["reorganisation"])
        target.save()
        targets[target.number] = target
    for row in mappings:
        unknown = set(row["numbers"]) - set(targets)
        if unknown or row["evidence"] not in Evidence.values:
            raise ValidationError(_("A line names a new group the reorganisation does not have."))
        mapping = ReorganisationMapping.objects.create(
            reorganisation=reorganisation, source=row["source"], note=row.get("note", ""), evidence=row["evidence"]
        )
        mapping.targets.set([targets[number] for number in row["numbers"]])
    audit_record(
        actor=None,
        verb="reorganisation.loaded",
        obj=reorganisation,
        after={**snapshot(reorganisation, FIELDS), "groups": len(targets), "lines": len(mappings)},
    )
    return reorganisation, True
