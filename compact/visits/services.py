"""Services of CTED's country visits (A/72/840, Annex IV, C.2).

- ``visit_create`` / ``visit_update``: CTED records a visit (Member State, dates, whether the
  Member State asked for confidentiality, classification) and corrects it until its assessment
  is recorded.
- ``visit_act``: one move of ``VISIT_TRANSITIONS``: CTED records that OCT was informed, that the
  visit was carried out, shares its assessment with OCT or keeps it confidential, or cancels the
  visit; OCT records the follow-up consultation and the projects it led to.

The assessment never enters an audit row (its length does), a step row or a message: the audit
log is OCT's to read, and a confidential assessment must not reach OCT by any channel. Each
write is atomic with its audit row and locks the visit; the state moves by compare-and-swap.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from compact.core.audit import audit_changes, audit_record, snapshot
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.core.workflow import Move
from compact.lib.workflow import Transition
from compact.matrix.models import Project
from compact.matrix.selectors import projects_visible_to
from compact.visits.models import TEXT_LIMIT, CountryVisit, CountryVisitStep
from compact.visits.permissions import can_follow_up_visits, can_record_visits
from compact.visits.workflow import CTED, EDITABLE_STATES, OCT, VISIT_TRANSITIONS

State = CountryVisit.State
VISIT_FIELDS = ("country", "starts_on", "ends_on", "confidentiality_requested", "classification")
ACTION_VERBS = {
    "inform-oct": "visit.oct_informed",
    "carry-out": "visit.carried_out",
    "share": "visit.assessment_shared",
    "withhold": "visit.assessment_withheld",
    "follow-up": "visit.followed_up",
    "cancel": "visit.cancelled",
}
# The longest a visit may last, and how far ahead one may be planned: a typo in a year is caught.
VISIT_DAYS_MAX = 60
PLAN_YEARS_AHEAD = 5
REASON_LIMIT = 5_000


def visit_moves_for(user: AbstractBaseUser | AnonymousUser, visit: CountryVisit) -> list[Transition]:
    """The moves ``user`` may make on ``visit`` now (CTED's or OCT's; none for anyone else, nor
    above their clearance)."""
    if not can_read_classification(user, visit.classification):
        return []
    parties = [party for party, may in ((CTED, can_record_visits(user)), (OCT, can_follow_up_visits(user))) if may]
    return [move for party in parties for move in VISIT_TRANSITIONS.available(visit.state, by=party)]


def _require_cted(actor: AbstractBaseUser) -> None:
    if not can_record_visits(actor):
        raise PermissionDenied(_("Only CTED records its country visits."))


def _require_party(actor: AbstractBaseUser, party: str) -> None:
    if party == CTED:
        _require_cted(actor)
    elif party == OCT and not can_follow_up_visits(actor):
        raise PermissionDenied(_("Only OCT records the follow-up of a country visit."))


def _locked(visit: CountryVisit, actor: AbstractBaseUser) -> CountryVisit:
    """The visit, locked; PermissionDenied when it is above the actor's clearance."""
    locked = CountryVisit.objects.select_for_update().get(pk=visit.pk)
    if not can_read_classification(actor, locked.classification):
        raise PermissionDenied(_("This visit is marked above your clearance."))
    return locked


def _is_day(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _date_errors(starts_on: Any, ends_on: Any, today: datetime.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _is_day(starts_on):
        errors["starts_on"] = _("Give the first day of the visit.")
    if not _is_day(ends_on):
        errors["ends_on"] = _("Give the last day of the visit.")
    if errors:
        return errors
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day comes on or after the first day.")
    elif (ends_on - starts_on).days >= VISIT_DAYS_MAX:
        errors["ends_on"] = _("A visit lasts at most %(n)d days.") % {"n": VISIT_DAYS_MAX}
    if starts_on.year > today.year + PLAN_YEARS_AHEAD:
        errors["starts_on"] = _("Plan a visit at most %(n)d years ahead.") % {"n": PLAN_YEARS_AHEAD}
    return errors


def _clean(values: dict[str, Any], actor: AbstractBaseUser) -> dict[str, Any]:
    """The visit's facts, checked; a ValidationError names every problem."""
    unknown = set(values) - set(VISIT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    cleaned = dict(values)
    errors: dict[str, str] = {}
    code = str(cleaned.get("country") or "").strip().upper()
    if code not in dict(countries):
        errors["country"] = _("Choose a Member State.")
    cleaned["country"] = code
    errors |= _date_errors(cleaned.get("starts_on"), cleaned.get("ends_on"), timezone.localdate())
    level = cleaned.get("classification")
    if level not in Classification.values:
        errors["classification"] = _("Choose a classification.")
    elif not can_read_classification(actor, level):
        errors["classification"] = _("You cannot mark a visit above your own clearance.")
    if not isinstance(cleaned.get("confidentiality_requested"), bool):
        errors["confidentiality_requested"] = _("Say whether the Member State asked for confidentiality.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def visit_create(*, actor: AbstractBaseUser, **values: Any) -> CountryVisit:
    """Record a planned visit (CTED). Every fact is required; nothing is saved on an error."""
    _require_cted(actor)
    values.setdefault("confidentiality_requested", False)
    values.setdefault("classification", Classification.CONFIDENTIAL)
    cleaned = _clean(values, actor)
    visit = CountryVisit.objects.create(**cleaned, created_by=actor, updated_by=actor)
    audit_record(actor=actor, verb="visit.created", obj=visit, after=snapshot(visit, [*VISIT_FIELDS, "state"]))
    return visit


@transaction.atomic
def visit_update(*, visit: CountryVisit, actor: AbstractBaseUser, **values: Any) -> CountryVisit:
    """Correct a visit's facts (CTED) until its assessment is recorded: after that, whether OCT
    may read it is settled and the Member State's request for confidentiality cannot change."""
    _require_cted(actor)
    visit = _locked(visit, actor)
    if visit.state not in EDITABLE_STATES:
        raise ValidationError(_("The assessment of this visit is recorded: its facts no longer change."))
    cleaned = _clean({**{name: getattr(visit, name) for name in VISIT_FIELDS}, **values}, actor)
    before = snapshot(visit, VISIT_FIELDS)
    for name, value in cleaned.items():
        setattr(visit, name, value)
    after = snapshot(visit, VISIT_FIELDS)
    changed = [name for name in VISIT_FIELDS if before[name] != after[name]]
    if not changed:
        return visit
    visit.updated_at, visit.updated_by = timezone.now(), actor
    visit.save(update_fields=[*changed, "updated_at", "updated_by"])
    # Only the changed fields; a visit marked down keeps its old marking in the row (audit_classification).
    audit_changes(actor=actor, verb="visit.updated", obj=visit, before=before, after=after)
    return visit


def _past_day_error(day: Any, *, missing: str, today: datetime.date) -> str | None:
    if not _is_day(day):
        return missing
    if day > today:
        return _("Give a date today or before: this records what has happened.")
    return None


def _text_error(text: str, *, missing: str) -> str | None:
    if not text:
        return missing
    if len(text) > TEXT_LIMIT:
        return _("Keep it under %(n)d characters.") % {"n": TEXT_LIMIT}
    return None


def _projects_checked(projects: Iterable[Project], actor: AbstractBaseUser) -> list[Project] | None:
    """The projects to link, or None when one is not readable by the actor (or unknown)."""
    wanted = {project.pk for project in projects}
    found = list(projects_visible_to(actor).filter(pk__in=wanted))
    return found if len(found) == len(wanted) else None


def _move_values(visit: CountryVisit, action: str, data: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """The columns ``action`` writes, from ``data``; a ValidationError names every problem."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if action == "inform-oct":
        day = data.get("oct_informed_on")
        error = _past_day_error(day, missing=_("Give the day OCT was informed."), today=today)
        if error:
            errors["oct_informed_on"] = error
        values = {"oct_informed_on": day}
    elif action == "carry-out":
        if visit.starts_on > today:
            errors["action"] = _("The visit starts on %(day)s: record it as carried out from that day.") % {
                "day": visit.starts_on.isoformat()
            }
        values = {"carried_out_on": today}
    elif action in ("share", "withhold"):
        text = (data.get("assessment") or "").strip()
        error = _text_error(text, missing=_("Write CTED's recommendations and assessment."))
        if error:
            errors["assessment"] = error
        if action == "share" and visit.confidentiality_requested:
            errors["action"] = _(
                "The Member State asked for confidentiality: CTED keeps the assessment, OCT sees only "
                "that the visit took place."
            )
        if action == "withhold" and not visit.confidentiality_requested:
            errors["action"] = _(
                "CTED shares its assessment with OCT unless the Member State asked for confidentiality; "
                "record that request on the visit first."
            )
        values = {"assessment": text, "assessment_on": today, "assessment_shared": action == "share"}
    elif action == "follow-up":
        day = data.get("followup_on")
        error = _past_day_error(day, missing=_("Give the day of the consultation."), today=today)
        if error is None and day < visit.starts_on:
            error = _("The consultation follows the visit: give a day on or after its first day.")
        if error:
            errors["followup_on"] = error
        text = (data.get("followup_support") or "").strip()
        error = _text_error(text, missing=_("Say what support OCT could give."))
        if error:
            errors["followup_support"] = error
        values = {"followup_on": day, "followup_support": text}
    if errors:
        raise ValidationError(errors)
    return values


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit row keeps: dates and flags; the texts' lengths, never the texts."""
    kept: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("assessment", "followup_support"):
            kept[name] = _("(%(n)d characters)") % {"n": len(value)}
        elif isinstance(value, datetime.date):
            kept[name] = value.isoformat()
        else:
            kept[name] = value
    return kept


@transaction.atomic
def visit_act(
    *,
    visit: CountryVisit,
    action: str,
    actor: AbstractBaseUser,
    oct_informed_on: datetime.date | None = None,
    assessment: str = "",
    followup_on: datetime.date | None = None,
    followup_support: str = "",
    projects: Iterable[Project] = (),
    reason: str = "",
) -> CountryVisit:
    """Take one move of the visit's transition table. Each move writes only its own facts:
    ``inform-oct`` the day OCT was told; ``carry-out`` today; ``share``/``withhold`` CTED's
    assessment (shared only when the Member State did not ask for confidentiality, kept only
    when it did); ``follow-up`` (OCT) the consultation's day, the support OCT could give and the
    projects it led to (each readable by OCT); ``cancel`` a reason. TransitionNotAllowedError if
    the table does not allow the move now; ValidationError naming each problem, nothing saved."""
    party = VISIT_TRANSITIONS.get(action).by
    _require_party(actor, party)
    visit = _locked(visit, actor)
    move = Move.start(table=VISIT_TRANSITIONS, obj=visit, action=action, by=party, actor=actor, state_field="state")
    reason = (reason or "").strip()
    today = timezone.localdate()
    data = {
        "oct_informed_on": oct_informed_on,
        "assessment": assessment,
        "followup_on": followup_on,
        "followup_support": followup_support,
    }
    errors: dict[str, Any] = {}
    try:
        values = _move_values(visit, action, data, today)
    except ValidationError as error:
        errors |= error.message_dict
        values = {}
    if move.transition.message == "required" and not reason:
        errors["reason"] = [_("Say why the visit is cancelled.")]
    elif move.transition.message == "none" and reason:
        # The step row and its history are read by OCT: a move that takes no reason carries no
        # text (a withheld assessment's words must not travel in one).
        errors["reason"] = [_("This step takes no reason.")]
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = [_("Keep it under %(n)d characters.") % {"n": REASON_LIMIT}]
    linked: list[Project] = []
    if action == "follow-up":
        checked = _projects_checked(projects, actor)
        if checked is None:
            errors["projects"] = [_("Choose projects of the matrix that you may read.")]
        linked = checked or []
    if errors:
        raise ValidationError(errors)
    move.swap(
        stale=_("This visit was changed by someone else meanwhile; reload it."),
        updated_at=timezone.now(),
        updated_by=actor,
        **values,
    )
    if linked:
        visit.projects.add(*linked)
    after = _audited(values)
    if linked:
        after["projects"] = sorted(project.pk for project in linked)
    move.record(
        actor=actor,
        verb=ACTION_VERBS[action],
        step=CountryVisitStep,
        step_fields={"visit": visit, "message": reason},
        after=after,
        note=reason,
    )
    return visit
