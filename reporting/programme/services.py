"""The Committee's two-year programme of work (Annex III, V.12): OCT's working copy, and the
versions the Committee adopts by a decision at a meeting.

OCT edits the working copy (the programme's own text, its priorities, their expected results
and the groups' work-plan outputs that deliver them). Every save raises the programme's
``revision``; an editor that loaded an older revision is refused with who saved meanwhile and
nothing is written (``EditConflictError``), as for OCT's report text.

``programme_adopt`` freezes the working copy, its M&E indicators included, as
``ProgrammeVersion`` N+1 (``programme_snapshot``), once per decision of a held meeting and only
if something changed since the last version. ``programme_version_diff`` compares two snapshots
field by field: the working copy against the last version, or any two versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_changes, audit_record, snapshot
from compact.lib.workflow import duties_separate, revision_check
from compact.registry.models import Pillar
from reporting.committee.models import Decision, Meeting
from reporting.programme.content import (
    PROGRAMME_FIELDS,
    programme_snapshot,
    programme_version_diff,
)
from reporting.programme.models import ExpectedResult, Indicator, Priority, ProgrammeOfWork, ProgrammeVersion
from reporting.programme.permissions import can_manage_programme, programme_drafter_ids
from workinggroups.models import WorkingGroup, WorkPlanOutput

PROGRAMME_TEXT = ("title", "strategy_review_resolution", "introduction")
MAX_RESOURCES = Decimal("999999999999.99")
PRIORITY_FIELDS = ("code", "title", "description", "pillars", "resources_needed_usd")
ADOPTING_STATES = (Meeting.State.HELD, Meeting.State.MINUTES_APPROVED)


# --- Helpers --------------------------------------------------------------------------------------


def _require_oct(actor: AbstractBaseUser) -> None:
    if not can_manage_programme(actor):
        raise PermissionDenied(_("Only the OCT secretariat drafts the programme of work."))


def _locked(programme: ProgrammeOfWork, base_revision: int | None = None) -> ProgrammeOfWork:
    """The programme, locked for this transaction; a stale ``base_revision`` is refused."""
    current = ProgrammeOfWork.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=programme.pk)
    revision_check(current, base_revision, _("This programme was changed by someone else while you were editing it."))
    return current


def programme_lock(programme: ProgrammeOfWork, base_revision: int | None = None) -> ProgrammeOfWork:
    """The working copy locked for the caller's transaction (the M&E framework's edits change
    it too: its indicators are part of what the Committee adopts)."""
    return _locked(programme, base_revision)


def programme_touch(programme: ProgrammeOfWork, actor: AbstractBaseUser) -> ProgrammeOfWork:
    """Count a change to the working copy made elsewhere (an indicator): a new revision."""
    return _touch(programme, actor)


def _touch(programme: ProgrammeOfWork, actor: AbstractBaseUser, **changes: Any) -> ProgrammeOfWork:
    """Save ``changes`` and raise the revision: every change to the working copy counts."""
    ProgrammeOfWork.objects.filter(pk=programme.pk).update(
        **changes, revision=F("revision") + 1, updated_at=timezone.now(), updated_by=actor
    )
    programme.drafters.add(actor)
    programme.refresh_from_db()
    return programme


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _pillars_check(pillars: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(pillars or []))
    unknown = [p for p in chosen if p not in Pillar.values]
    if unknown:
        raise ValidationError({"pillars": _("Unknown pillars: %(names)s") % {"names": ", ".join(map(str, unknown))}})
    return [p for p in Pillar.values if p in chosen]  # always in the Strategy's order


def _groups_check(groups: Iterable[WorkingGroup]) -> list[WorkingGroup]:
    return list({group.pk: group for group in groups or []}.values())


def _outputs_check(programme: ProgrammeOfWork, outputs: Iterable[WorkPlanOutput]) -> list[WorkPlanOutput]:
    """Only outputs of the groups' work plans for the programme's own biennium."""
    chosen = list({output.pk: output for output in outputs or []}.values())
    ids = [output.pk for output in chosen]
    fitting = set(
        WorkPlanOutput.objects.filter(pk__in=ids, work_plan__biennium_start=programme.biennium_start).values_list(
            "pk", flat=True
        )
    )
    if len(fitting) != len(ids):
        raise ValidationError(
            {
                "outputs": _("Choose outputs of the working groups' %(biennium)s work plans only.")
                % {"biennium": programme.biennium_label}
            }
        )
    return chosen


def _renumber(items: Sequence[Priority | ExpectedResult]) -> None:
    for position, each in enumerate(items, start=1):
        if each.position != position:
            type(each).objects.filter(pk=each.pk).update(position=position)


def _move(items: list[Any], pk: int, direction: str) -> bool:
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    index = next(i for i, each in enumerate(items) if each.pk == pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    return True


# --- The programme --------------------------------------------------------------------------------


def _biennium_check(biennium_start: int | None) -> int:
    if biennium_start is None or not 2000 <= int(biennium_start) <= 2100:
        raise ValidationError({"biennium_start": _("Enter a first year between 2000 and 2100.")})
    if ProgrammeOfWork.objects.filter(biennium_start=biennium_start).exists():
        raise ValidationError({"biennium_start": _("There is a programme of work for this biennium already.")})
    return int(biennium_start)


@transaction.atomic
def programme_create(
    *,
    actor: AbstractBaseUser,
    biennium_start: int,
    title: str,
    strategy_review_resolution: str = "",
    introduction: str = "",
) -> ProgrammeOfWork:
    """Start the working copy of a biennium's programme (one per biennium)."""
    _require_oct(actor)
    fields = {
        "biennium_start": _biennium_check(biennium_start),
        "title": _required(title, "title", _("Give the programme a title.")),
        "strategy_review_resolution": (strategy_review_resolution or "").strip(),
        "introduction": (introduction or "").strip(),
    }
    try:
        with transaction.atomic():
            programme = ProgrammeOfWork.objects.create(**fields, created_by=actor, updated_by=actor)
            programme.drafters.add(actor)
    except IntegrityError:
        raise ValidationError(
            {"biennium_start": _("There is a programme of work for this biennium already.")}
        ) from None
    audit_record(actor=actor, verb="programme.created", obj=programme, after=snapshot(programme, PROGRAMME_FIELDS))
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: ProgrammeOfWork,
    actor: AbstractBaseUser,
    base_revision: int,
    title: str,
    strategy_review_resolution: str = "",
    introduction: str = "",
) -> ProgrammeOfWork:
    """Change the programme's title, GA resolution and introduction. ``base_revision`` is the
    revision the editor loaded: if anyone saved since, EditConflictError carries the
    programme as it is now and nothing is written."""
    _require_oct(actor)
    changes = {
        "title": _required(title, "title", _("Give the programme a title.")),
        "strategy_review_resolution": (strategy_review_resolution or "").strip(),
        "introduction": (introduction or "").strip(),
    }
    if len(changes["strategy_review_resolution"]) > 40:
        raise ValidationError({"strategy_review_resolution": _("A resolution symbol has at most 40 characters.")})
    programme = _locked(programme, base_revision)
    before = snapshot(programme, PROGRAMME_TEXT)
    programme = _touch(programme, actor, **changes)
    after = snapshot(programme, PROGRAMME_TEXT)
    audit_changes(actor=actor, verb="programme.updated", obj=programme, before=before, after=after)
    return programme


# --- Priorities -----------------------------------------------------------------------------------


def _resources_needed(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > MAX_RESOURCES:
        raise ValidationError(
            {"resources_needed_usd": _("Give the resources needed in US dollars: from 0 to 999,999,999,999.99.")}
        )
    return value.quantize(Decimal("0.01"))


def _priority_fields(
    programme: ProgrammeOfWork,
    *,
    code: str,
    title: str,
    description: str,
    pillars: Iterable[str],
    exclude: int | None,
    resources_needed_usd: Decimal | None = None,
) -> dict[str, Any]:
    code = _required(code, "code", _("Number the priority, e.g. 1 or 2.a."))
    if len(code) > 12:
        raise ValidationError({"code": _("A priority's number has at most 12 characters.")})
    if programme.priorities.filter(code=code).exclude(pk=exclude).exists():
        raise ValidationError({"code": _("Another priority of this programme has this number.")})
    return {
        "code": code,
        "title": _required(title, "title", _("Name the priority.")),
        "description": (description or "").strip(),
        "pillars": _pillars_check(pillars),
        "resources_needed_usd": _resources_needed(resources_needed_usd),
    }


def _priority_audit(priority: Priority) -> dict[str, Any]:
    groups = sorted(priority.working_groups.values_list("number", flat=True))
    return {**snapshot(priority, PRIORITY_FIELDS), "working_groups": groups}


@transaction.atomic
def priority_add(
    *,
    programme: ProgrammeOfWork,
    actor: AbstractBaseUser,
    code: str,
    title: str,
    description: str = "",
    pillars: Iterable[str] = (),
    working_groups: Iterable[WorkingGroup] = (),
    base_revision: int | None = None,
    resources_needed_usd: Decimal | None = None,
) -> Priority:
    """Add a priority at the end of the programme, with its pillars, working groups and the
    resources it needs each year."""
    _require_oct(actor)
    programme = _locked(programme, base_revision)
    fields = _priority_fields(
        programme,
        code=code,
        title=title,
        description=description,
        pillars=pillars,
        exclude=None,
        resources_needed_usd=resources_needed_usd,
    )
    position = (programme.priorities.aggregate(n=Max("position"))["n"] or 0) + 1
    priority = Priority.objects.create(programme=programme, position=position, **fields)
    priority.working_groups.set(_groups_check(working_groups))
    _touch(programme, actor)
    audit_record(actor=actor, verb="programme.priority_added", obj=programme, after=_priority_audit(priority))
    return priority


@transaction.atomic
def priority_update(
    *,
    priority: Priority,
    actor: AbstractBaseUser,
    code: str,
    title: str,
    description: str = "",
    pillars: Iterable[str] = (),
    working_groups: Iterable[WorkingGroup] = (),
    base_revision: int | None = None,
    resources_needed_usd: Decimal | None = None,
) -> Priority:
    """Change a priority's number, title, description, pillars, working groups and the
    resources it needs each year."""
    _require_oct(actor)
    programme = _locked(priority.programme, base_revision)
    fields = _priority_fields(
        programme,
        code=code,
        title=title,
        description=description,
        pillars=pillars,
        exclude=priority.pk,
        resources_needed_usd=resources_needed_usd,
    )
    before = _priority_audit(priority)
    for name, value in fields.items():
        setattr(priority, name, value)
    priority.save(update_fields=list(fields))
    priority.working_groups.set(_groups_check(working_groups))
    after = _priority_audit(priority)
    _touch(programme, actor)
    audit_changes(actor=actor, verb="programme.priority_updated", obj=priority, before=before, after=after)
    return priority


@transaction.atomic
def priority_remove(*, priority: Priority, actor: AbstractBaseUser, base_revision: int | None = None) -> None:
    """Remove a priority and its expected results (adopted versions keep them)."""
    _require_oct(actor)
    programme = _locked(priority.programme, base_revision)
    before = {**_priority_audit(priority), "results": list(priority.results.values_list("text", flat=True))}
    priority.delete()
    _renumber(list(programme.priorities.order_by("position", "pk")))
    _touch(programme, actor)
    audit_record(actor=actor, verb="programme.priority_removed", obj=programme, before=before)


@transaction.atomic
def priority_move(*, priority: Priority, actor: AbstractBaseUser, direction: str) -> None:
    """Move a priority one place ``up`` or ``down``; positions stay 1, 2, 3…"""
    _require_oct(actor)
    programme = _locked(priority.programme)
    if _move(list(programme.priorities.order_by("position", "pk")), priority.pk, direction):
        _touch(programme, actor)
        audit_record(actor=actor, verb="programme.priority_moved", obj=priority, after={"direction": direction})


# --- Expected results -----------------------------------------------------------------------------


def _result_audit(result: ExpectedResult) -> dict[str, Any]:
    return {"text": result.text, "outputs": sorted(result.outputs.values_list("pk", flat=True))}


@transaction.atomic
def result_add(
    *,
    priority: Priority,
    actor: AbstractBaseUser,
    text: str,
    outputs: Iterable[WorkPlanOutput] = (),
    base_revision: int | None = None,
) -> ExpectedResult:
    """Add an expected result at the end of ``priority``, with the outputs that deliver it."""
    _require_oct(actor)
    programme = _locked(priority.programme, base_revision)
    text = _required(text, "text", _("Say what the priority should achieve."))
    chosen = _outputs_check(programme, outputs)
    position = (priority.results.aggregate(n=Max("position"))["n"] or 0) + 1
    result = ExpectedResult.objects.create(priority=priority, position=position, text=text)
    result.outputs.set(chosen)
    _touch(programme, actor)
    audit_record(
        actor=actor,
        verb="programme.result_added",
        obj=programme,
        after={"priority": priority.code, **_result_audit(result)},
    )
    return result


@transaction.atomic
def result_update(
    *,
    result: ExpectedResult,
    actor: AbstractBaseUser,
    text: str,
    outputs: Iterable[WorkPlanOutput] = (),
    base_revision: int | None = None,
) -> ExpectedResult:
    """Change an expected result's text and the outputs linked to it."""
    _require_oct(actor)
    programme = _locked(result.priority.programme, base_revision)
    text = _required(text, "text", _("Say what the priority should achieve."))
    chosen = _outputs_check(programme, outputs)
    before = _result_audit(result)
    result.text = text
    result.save(update_fields=["text"])
    result.outputs.set(chosen)
    after = _result_audit(result)
    _touch(programme, actor)
    audit_changes(actor=actor, verb="programme.result_updated", obj=result, before=before, after=after)
    return result


@transaction.atomic
def result_remove(*, result: ExpectedResult, actor: AbstractBaseUser, base_revision: int | None = None) -> None:
    _require_oct(actor)
    priority = result.priority
    programme = _locked(priority.programme, base_revision)
    before = {"priority": priority.code, **_result_audit(result)}
    result.delete()
    _renumber(list(priority.results.order_by("position", "pk")))
    _touch(programme, actor)
    audit_record(actor=actor, verb="programme.result_removed", obj=programme, before=before)


@transaction.atomic
def result_move(*, result: ExpectedResult, actor: AbstractBaseUser, direction: str) -> None:
    """Move an expected result one place ``up`` or ``down`` within its priority."""
    _require_oct(actor)
    programme = _locked(result.priority.programme)
    if _move(list(result.priority.results.order_by("position", "pk")), result.pk, direction):
        _touch(programme, actor)
        audit_record(actor=actor, verb="programme.result_moved", obj=result, after={"direction": direction})


# --- Snapshots, versions and their differences ------------------------------------------------------


def programme_latest_version(programme: ProgrammeOfWork) -> ProgrammeVersion | None:
    return programme.versions.select_related("decision__meeting").order_by("-number").first()


@transaction.atomic
def programme_adopt(
    *,
    programme: ProgrammeOfWork,
    decision: Decision,
    change_note: str,
    actor: AbstractBaseUser,
    base_revision: int | None = None,
) -> ProgrammeVersion:
    """Record that the Committee adopted the working copy by ``decision``: version N+1 freezes
    the programme as it is now. The decision must be of a meeting that was held, not used for
    another version, and not older than the last version's; something must have changed.
    ``base_revision`` is the working copy the officer reviewed: if it changed since (indicators
    included), nothing is frozen (EditConflictError)."""
    _require_oct(actor)
    programme = _locked(programme, base_revision)
    # Four eyes: whoever changed the working copy since the last adoption does not record this one.
    duties_separate(actor=actor, proposer=programme_drafter_ids(programme), action=_("Record the adoption"))
    decision = Decision.objects.select_related("meeting").get(pk=decision.pk)
    if decision.meeting.state not in ADOPTING_STATES:
        raise ValidationError({"decision": _("Choose a decision of a meeting that was held.")})
    if ProgrammeVersion.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": _("This decision adopted a version of a programme already.")})
    content = programme_snapshot(programme)
    if not content["priorities"]:
        raise ValidationError(_("Add at least one priority before the Committee adopts the programme."))
    last = programme_latest_version(programme)
    if last is not None:
        if decision.meeting.date < last.adopted_on:
            raise ValidationError({"decision": _("This meeting came before the one that adopted the last version.")})
        if not programme_version_diff(last.content, content)["changed"]:
            raise ValidationError(
                _("Nothing changed since version %(number)s: there is nothing to adopt.") % {"number": last.number}
            )
    number = (last.number if last else 0) + 1
    try:
        with transaction.atomic():
            version = ProgrammeVersion.objects.create(
                programme=programme,
                number=number,
                content=content,
                decision=decision,
                adopted_on=decision.meeting.date,
                change_note=(change_note or "").strip(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"decision": _("This decision adopted a version of a programme already.")}) from None
    audit_record(
        actor=actor,
        verb="programme.adopted",
        obj=programme,
        after={
            "version": number,
            "decision": decision.pk,
            "meeting": decision.meeting_id,
            "adopted_on": str(version.adopted_on),
        },
    )
    programme.drafters.clear()  # the next adoption is checked against the changes made after this one
    return version


@transaction.atomic
def programme_groups_carry(
    *, source: WorkingGroup, targets: Sequence[WorkingGroup], from_day: Any, actor: AbstractBaseUser
) -> tuple[list[Priority], list[Indicator]]:
    """Pass ``source``'s place in the working copies of the programmes that run on or after
    ``from_day`` to ``targets`` (a reorganisation): the priorities it served and the indicators it
    reports are theirs from now on. Adopted versions keep the old group: they are frozen. Each
    programme changed counts as changed since its last adoption."""
    priorities: list[Priority] = []
    indicators: list[Indicator] = []
    programmes = ProgrammeOfWork.objects.filter(biennium_start__gte=from_day.year - 1).order_by("biennium_start")
    for programme in programmes:
        programme = _locked(programme)
        touched_priorities = list(programme.priorities.filter(working_groups=source).order_by("position", "pk"))
        touched_indicators = list(programme.indicators.filter(working_groups=source).order_by("position", "pk"))
        for row in (*touched_priorities, *touched_indicators):
            row.working_groups.remove(source)
            row.working_groups.add(*targets)
        if not touched_priorities and not touched_indicators:
            continue
        _touch(programme, actor)
        audit_record(
            actor=actor,
            verb="programme.groups_carried",
            obj=programme,
            after={
                "from": source.pk,
                "to": sorted(group.pk for group in targets),
                "priorities": [row.code for row in touched_priorities],
                "indicators": [row.code for row in touched_indicators],
            },
        )
        priorities += touched_priorities
        indicators += touched_indicators
    return priorities, indicators
