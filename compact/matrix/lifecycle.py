"""Services of a project's lifecycle and of its human-rights due diligence (A/72/840, Annex IV,
para. 9; Annex III, IV(j)).

- ``project_stage_move``: one move of ``LIFECYCLE_TRANSITIONS``, with the day the stage was
  reached, the entity responsible, CTED's contribution where Annex IV asks for it and a reason
  for a step back. A project that supports non-UN security forces (or may: nobody said) does not
  reach implementation without an HRDDP assessment that allows the support, dated on or before
  that day.
- ``project_security_forces_set``: whether the project supports non-UN security forces.
- ``project_hrddp_record``: an assessment, by whom, when and with what outcome.

The editors are the matrix's (``can_edit_project``): OCT, or a focal point of the project's lead
or partner entity, within their clearance. Each write is atomic with its audit row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.core.audit import audit_record
from compact.core.workflow import Move
from compact.lib.workflow import Transition
from compact.matrix.models import HrddpAssessment, Project, ProjectStageStep
from compact.matrix.permissions import can_edit_project
from compact.matrix.workflow import CTED_STAGES, EDITOR, HRDDP_GATE, LIFECYCLE_TRANSITIONS
from compact.registry.models import Entity

TEXT_LIMIT = 5_000


def lifecycle_moves_for(user: AbstractBaseUser | AnonymousUser, project: Project) -> list[Transition]:
    """The lifecycle moves ``user`` may make on ``project`` now (none unless they edit it)."""
    if not can_edit_project(user, project):
        return []
    return LIFECYCLE_TRANSITIONS.available(project.stage, by=EDITOR)


def _editable(project: Project, actor: AbstractBaseUser) -> Project:
    """The project, locked; PermissionDenied unless ``actor`` edits it."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not can_edit_project(actor, locked):
        raise PermissionDenied(_("Only OCT and the focal points of the project's entities change its lifecycle."))
    return locked


def _day_errors(day: Any, *, field: str, today: datetime.date) -> dict[str, str]:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        return {field: _("Give the date.")}
    if day > today:
        return {field: _("Give a date today or before: the lifecycle records what has happened.")}
    return {}


def _text_errors(values: dict[str, str]) -> dict[str, str]:
    return {
        name: _("Keep it under %(n)d characters.") % {"n": TEXT_LIMIT}
        for name, value in values.items()
        if len(value) > TEXT_LIMIT
    }


def hrddp_gate_error(project: Project, day: datetime.date) -> str | None:
    """Why ``project`` may not reach implementation on ``day``, or None: a project that
    supports non-UN security forces needs its latest assessment on or before that day to allow
    the support; whether it supports them must be said first."""
    if project.supports_security_forces is None:
        return _("Say whether the project supports non-UN security forces before it moves to implementation.")
    if not project.supports_security_forces:
        return None
    latest = project.hrddp_assessments.filter(assessed_on__lte=day).order_by("-assessed_on", "-id").first()
    if latest is None:
        return _(
            "The project supports non-UN security forces: record a human rights due diligence assessment "
            "before it moves to implementation."
        )
    if not latest.allows_support:
        return _("The latest human rights due diligence assessment found a substantial risk: no support may proceed.")
    return None


@transaction.atomic
def project_stage_move(
    *,
    project: Project,
    action: str,
    actor: AbstractBaseUser,
    reached_on: datetime.date,
    entity: Entity | None = None,
    cted_input: str = "",
    reason: str = "",
) -> Project:
    """Move the project one step of its lifecycle (TransitionNotAllowedError if the table does
    not allow ``action`` now; ValidationError naming each problem, and nothing saved)."""
    project = _editable(project, actor)
    move = Move.start(
        table=LIFECYCLE_TRANSITIONS, obj=project, action=action, by=EDITOR, actor=actor, state_field="stage"
    )
    reason, cted_input = (reason or "").strip(), (cted_input or "").strip()
    errors = _day_errors(reached_on, field="reached_on", today=timezone.localdate())
    errors |= _text_errors({"reason": reason, "cted_input": cted_input})
    if move.transition.message == "required" and not reason:
        errors["reason"] = _("Say why the project goes back a step.")
    if cted_input and move.target not in CTED_STAGES:
        errors["cted_input"] = _("CTED's contribution is recorded at planning, financing and initiation.")
    last = project.stage_steps.order_by("-reached_on").values_list("reached_on", flat=True).first()
    if "reached_on" not in errors and last is not None and reached_on < last:
        errors["reached_on"] = _("The previous step was reached on %(day)s: give that day or a later one.") % {
            "day": date_format(last, "DATE_FORMAT")
        }
    if "reached_on" not in errors and move.target == HRDDP_GATE:
        gate = hrddp_gate_error(project, reached_on)
        if gate:
            errors["action"] = gate
    if errors:
        raise ValidationError(errors)
    move.swap(
        stale=_("This project's lifecycle was changed by someone else meanwhile; reload it."),
        updated_at=timezone.now(),
        updated_by=actor,
    )
    move.record(
        actor=actor,
        verb="project.stage_moved",
        step=ProjectStageStep,
        step_fields={
            "project": project,
            "reached_on": reached_on,
            "entity": entity,
            "cted_input": cted_input,
            "message": reason,
        },
        after={"reached_on": reached_on.isoformat(), "entity": entity.pk if entity else None},
        note=reason,
    )
    return project


@transaction.atomic
def project_security_forces_set(*, project: Project, actor: AbstractBaseUser, supports: bool) -> Project:
    """Say whether the project supports non-UN security forces (the HRDDP applies if it does)."""
    project = _editable(project, actor)
    if project.supports_security_forces == supports:
        return project
    before = project.supports_security_forces
    Project.objects.filter(pk=project.pk).update(
        supports_security_forces=supports, updated_at=timezone.now(), updated_by=actor
    )
    project.refresh_from_db()
    audit_record(
        actor=actor,
        verb="project.security_forces_set",
        obj=project,
        before={"supports_security_forces": before},
        after={"supports_security_forces": supports},
    )
    return project


@transaction.atomic
def project_hrddp_record(
    *,
    project: Project,
    actor: AbstractBaseUser,
    assessed_on: datetime.date,
    outcome: str,
    entity: Entity | None = None,
    summary: str = "",
) -> HrddpAssessment:
    """Record an HRDDP assessment of a project that supports non-UN security forces (recording
    one says that it does)."""
    project = _editable(project, actor)
    summary = (summary or "").strip()
    errors = _day_errors(assessed_on, field="assessed_on", today=timezone.localdate())
    errors |= _text_errors({"summary": summary})
    if outcome not in HrddpAssessment.Outcome.values:
        errors["outcome"] = _("Choose the outcome of the assessment.")
    if outcome == HrddpAssessment.Outcome.MITIGATED and not summary:
        errors["summary"] = _("Say which measures mitigate the risk.")
    if errors:
        raise ValidationError(errors)
    if project.supports_security_forces is not True:
        project_security_forces_set(project=project, actor=actor, supports=True)
    assessment = HrddpAssessment.objects.create(
        project=project, assessed_on=assessed_on, outcome=outcome, entity=entity, summary=summary, recorded_by=actor
    )
    audit_record(
        actor=actor,
        verb="project.hrddp_recorded",
        obj=project,
        after={
            "assessed_on": assessed_on.isoformat(),
            "outcome": outcome,
            "entity": entity.pk if entity else None,
            "summary": _("(%(n)d characters)") % {"n": len(summary)},
        },
        classification=project.classification,
    )
    return assessment
