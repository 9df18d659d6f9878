"""The USG's briefings to Member States (Annex III, V.14) and their public summaries.

OCT records a briefing with its notes (which may be classified) and writes a public summary.
The summary is kept unclassified in three ways: its automatic draft
(``briefing_public_summary_draft``) is built only from ``unclassified_facts`` — which reads
unclassified rows alone — and from the notes only when they are marked unclassified; OCT edits
it; and ``briefing_act("publish")`` requires OCT to confirm that it contains only unclassified
information. ``BRIEFING_TRANSITIONS`` is the only list of allowed moves.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.core.audit import audit_record, snapshot
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.core.workflow import Move
from compact.matrix.models import Project
from compact.outreach.models import (
    CADENCE_MONTHS_MAX,
    CADENCE_REMINDER_DAYS_MAX,
    CADENCE_REMINDERS_MAX,
    BriefingCadence,
    MemberStateBriefing,
    MemberStateBriefingStep,
)
from compact.outreach.permissions import can_manage_briefings, can_publish_briefings, can_set_briefing_cadence
from compact.outreach.selectors import UnclassifiedFacts, unclassified_facts
from compact.outreach.workflow import BRIEFING_TRANSITIONS, OCT

State = MemberStateBriefing.State
BRIEFING_FIELDS = ("date", "audience", "title", "place", "virtual", "notes", "notes_classification", "public_summary")
TEXT_LIMITS = {"audience": 255, "title": 255, "place": 255}
FILL_MODES = ("replace", "append")
ACTION_VERBS = {"publish": "outreach.briefing_published", "unpublish": "outreach.briefing_unpublished"}


def _require_manager(actor: AbstractBaseUser) -> None:
    if not can_manage_briefings(actor):
        raise PermissionDenied(_("Only the USG and the OCT secretariat record briefings to Member States."))


def _require_publisher(actor: AbstractBaseUser) -> None:
    if not can_publish_briefings(actor):
        raise PermissionDenied(_("Only the OCT secretariat publishes summaries on the public page."))


def _locked(briefing: MemberStateBriefing) -> MemberStateBriefing:
    return MemberStateBriefing.objects.select_for_update().get(pk=briefing.pk)


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit row keeps: the notes may be classified above an auditor's clearance, so
    the trail records that they changed (and their length), never their text."""
    if "notes" in values:
        return {**values, "notes": _("(%(n)d characters)") % {"n": len(values["notes"] or "")}}
    return values


def _clean(values: dict[str, Any], actor: AbstractBaseUser) -> dict[str, Any]:
    """The briefing's fields, stripped and checked; a ValidationError names every problem."""
    unknown = set(values) - set(BRIEFING_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    errors: dict[str, str] = {}
    if "date" in cleaned and not isinstance(cleaned["date"], datetime.date):
        errors["date"] = _("Give the date of the briefing.")
    for name in ("audience", "title"):
        if name in cleaned and not cleaned[name]:
            errors[name] = _("This field is required.")
    for name, limit in TEXT_LIMITS.items():
        if len(cleaned.get(name) or "") > limit:
            errors[name] = _("At most %(n)d characters.") % {"n": limit}
    level = cleaned.get("notes_classification")
    if level is not None and level not in Classification.values:
        errors["notes_classification"] = _("Choose a classification.")
    elif level is not None and not can_read_classification(actor, level):
        errors["notes_classification"] = _("You cannot mark notes above your own clearance.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def briefing_create(*, actor: AbstractBaseUser, **values: Any) -> MemberStateBriefing:
    """Record a briefing (as a draft: nothing is public until OCT publishes it)."""
    _require_manager(actor)
    cleaned = _clean(values, actor)
    for name in ("date", "audience", "title"):
        if name not in cleaned:
            raise ValidationError({name: _("This field is required.")})
    briefing = MemberStateBriefing.objects.create(**cleaned, created_by=actor, updated_by=actor)
    audit_record(
        actor=actor,
        verb="outreach.briefing_created",
        obj=briefing,
        after=_audited(snapshot(briefing, [*BRIEFING_FIELDS, "state"])),
    )
    return briefing


@transaction.atomic
def briefing_update(*, briefing: MemberStateBriefing, actor: AbstractBaseUser, **values: Any) -> MemberStateBriefing:
    """Change a draft briefing (a published one is withdrawn from the public page first, so
    what the public reads is always what OCT confirmed)."""
    _require_manager(actor)
    briefing = _locked(briefing)
    if not can_read_classification(actor, briefing.notes_classification):
        raise PermissionDenied(_("The notes of this briefing are marked above your clearance."))
    if briefing.is_published:
        raise ValidationError(_("This briefing is published: withdraw it from the public page before editing it."))
    cleaned = _clean(values, actor)
    before = snapshot(briefing, cleaned)
    for name, value in cleaned.items():
        setattr(briefing, name, value)
    after = snapshot(briefing, cleaned)
    changed = [name for name in cleaned if before[name] != after[name]]
    if not changed:
        return briefing
    briefing.updated_at, briefing.updated_by = timezone.now(), actor
    briefing.save(update_fields=[*changed, "updated_at", "updated_by"])
    audit_record(
        actor=actor,
        verb="outreach.briefing_updated",
        obj=briefing,
        before=_audited({name: before[name] for name in changed}),
        after=_audited({name: after[name] for name in changed}),
    )
    return briefing


# --- The automatic draft of the public summary ------------------------------------------------


def _facts_paragraphs(facts: UnclassifiedFacts) -> list[str]:
    day = date_format(facts.day, "DATE_FORMAT")
    paragraphs = [
        ngettext(
            "As of %(day)s, the Compact has %(members)d member entity",
            "As of %(day)s, the Compact has %(members)d member entities",
            facts.members,
        )
        % {"day": day, "members": facts.members}
        + ngettext(" and %(n)d observer.", " and %(n)d observers.", facts.observers) % {"n": facts.observers}
    ]
    if facts.groups:
        lines = [_("Its working groups, and the entities that chair them:")]
        for group in facts.groups:
            chairs = ", ".join(group.chairs) or _("no chair at present")
            lines.append(
                _("- Working group %(number)d, %(name)s: %(chairs)s")
                % {"number": group.number, "name": group.name, "chairs": chairs}
            )
        paragraphs.append("\n".join(lines))
    if facts.accepted_reports:
        paragraphs.append(
            ngettext(
                "In the past twelve months, %(n)d progress report was accepted, from: %(groups)s.",
                "In the past twelve months, %(n)d progress reports were accepted, from: %(groups)s.",
                facts.accepted_reports,
            )
            % {"n": facts.accepted_reports, "groups": "; ".join(facts.accepted_report_groups)}
        )
    if facts.projects_by_status:
        labels = dict(Project.Status.choices)
        parts = [f"{labels.get(status, status)}: {n}" for status, n in sorted(facts.projects_by_status.items())]
        total = sum(facts.projects_by_status.values())
        paragraphs.append(
            ngettext(
                "The matrix of the entities' projects lists %(n)d public project (%(parts)s).",
                "The matrix of the entities' projects lists %(n)d public projects (%(parts)s).",
                total,
            )
            % {"n": total, "parts": ", ".join(parts)}
        )
    return paragraphs


def briefing_public_summary_draft(
    *, briefing: MemberStateBriefing, actor: AbstractBaseUser, on: datetime.date | None = None
) -> str:
    """A starting text for the public summary, built only from unclassified sources: today's
    membership counts, the active groups and their chairs (entities), the unclassified progress
    reports accepted in the last 12 months, the unclassified projects, and the briefing's notes
    only if they are marked unclassified. Reads only; OCT edits the result."""
    _require_manager(actor)
    heading = _("Briefing to %(audience)s on the implementation of the Compact, %(date)s.") % {
        "audience": briefing.audience,
        "date": date_format(briefing.date, "DATE_FORMAT"),
    }
    paragraphs = [heading, *_facts_paragraphs(unclassified_facts(on=on))]
    if briefing.notes_classification == Classification.UNCLASSIFIED and briefing.notes.strip():
        paragraphs.append(briefing.notes.strip())
    return "\n\n".join(paragraphs)


@transaction.atomic
def briefing_summary_fill(
    *, briefing: MemberStateBriefing, actor: AbstractBaseUser, mode: str = ""
) -> MemberStateBriefing:
    """Put the automatic draft in the public summary. If OCT already wrote one, ``mode`` says
    whether the draft replaces it or goes after it; without a mode nothing changes."""
    _require_manager(actor)
    current = _locked(briefing)
    draft = briefing_public_summary_draft(briefing=current, actor=actor)
    existing = current.public_summary.strip()
    if existing and mode not in FILL_MODES:
        raise ValidationError(
            {"mode": _("The summary already has text: choose whether the draft replaces it or is added after it.")}
        )
    text = f"{existing}\n\n{draft}" if existing and mode == "append" else draft
    return briefing_update(briefing=current, actor=actor, public_summary=text)


# --- Publishing -------------------------------------------------------------------------------


@transaction.atomic
def briefing_act(
    *,
    briefing: MemberStateBriefing,
    action: str,
    actor: AbstractBaseUser,
    reason: str = "",
    confirm_unclassified: bool = False,
) -> MemberStateBriefing:
    """Publish the summary on the public page (OCT confirms it holds only unclassified
    information) or withdraw it (with a reason). Compare-and-swap on the state."""
    _require_publisher(actor)
    briefing = _locked(briefing)
    move = Move.start(table=BRIEFING_TRANSITIONS, obj=briefing, action=action, by=OCT, actor=actor, state_field="state")
    transition = move.transition
    reason = reason.strip()
    if transition.message == "required" and not reason:
        raise ValidationError({"reason": _("Say why the summary is withdrawn.")})
    changes: dict[str, Any] = {}
    if action == "publish":
        if not briefing.public_summary.strip():
            raise ValidationError({"public_summary": _("Write the public summary before publishing it.")})
        if confirm_unclassified is not True:
            raise ValidationError(
                {"confirm_unclassified": _("Confirm that the summary contains only unclassified information.")}
            )
        changes = {"published_at": timezone.now(), "published_by": actor}
    else:
        changes = {"published_at": None, "published_by": None}
    move.swap(
        stale=_("This briefing was changed by someone else meanwhile; reload it."),
        updated_at=timezone.now(),
        updated_by=actor,
        **changes,
    )
    move.record(
        actor=actor,
        verb=ACTION_VERBS[action],
        step=MemberStateBriefingStep,
        step_fields={"briefing": briefing, "message": reason},
        after={"confirmed_unclassified": True} if action == "publish" else {},
        note=reason,
    )
    return briefing


# --- The cadence ------------------------------------------------------------------------------

CADENCE_FIELDS = ("every_months", "first_due_on", "reminder_days", "active")


def _cadence_errors(every_months: Any, first_due_on: Any, reminder_days: Any) -> dict[str, str]:
    errors = {}
    if (
        not isinstance(every_months, int)
        or isinstance(every_months, bool)
        or not 1 <= every_months <= CADENCE_MONTHS_MAX
    ):
        errors["every_months"] = _("Give a number of months from 1 to %(max)d.") % {"max": CADENCE_MONTHS_MAX}
    if not isinstance(first_due_on, datetime.date) or isinstance(first_due_on, datetime.datetime):
        errors["first_due_on"] = _("Give the date the first briefing is due.")
    days_ok = isinstance(reminder_days, list | tuple) and all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= CADENCE_REMINDER_DAYS_MAX
        for day in reminder_days
    )
    if not days_ok or len(set(reminder_days)) != len(reminder_days) or len(reminder_days) > CADENCE_REMINDERS_MAX:
        errors["reminder_days"] = _(
            "Give at most %(n)d different numbers of days before the due date, each from 0 to %(max)d."
        ) % {"n": CADENCE_REMINDERS_MAX, "max": CADENCE_REMINDER_DAYS_MAX}
    return errors


@transaction.atomic
def briefing_cadence_set(
    *,
    actor: AbstractBaseUser,
    every_months: int,
    first_due_on: datetime.date,
    reminder_days: list[int],
    active: bool = True,
) -> BriefingCadence:
    """Set how often the USG briefs Member States and when the USG and OCT are reminded (the
    USG, or OCT for the USG). A ValidationError names every problem; nothing is saved then."""
    if not can_set_briefing_cadence(actor):
        raise PermissionDenied(_("Only the USG and the OCT secretariat set the cadence of briefings."))
    errors = _cadence_errors(every_months, first_due_on, reminder_days)
    if errors:
        raise ValidationError(errors)
    cadence = BriefingCadence.objects.select_for_update().filter(pk=BriefingCadence.SINGLE_ROW).first()
    before = snapshot(cadence, CADENCE_FIELDS) if cadence else {}
    values = {
        "every_months": every_months,
        "first_due_on": first_due_on,
        "reminder_days": sorted(set(reminder_days), reverse=True),
        "active": bool(active),
    }
    cadence = cadence or BriefingCadence(pk=BriefingCadence.SINGLE_ROW)
    for name, value in values.items():
        setattr(cadence, name, value)
    after = snapshot(cadence, CADENCE_FIELDS)
    if before == after:
        return cadence
    cadence.updated_at, cadence.updated_by = timezone.now(), actor
    cadence.save()
    changed = [name for name in CADENCE_FIELDS if before.get(name) != after[name]]
    audit_record(
        actor=actor,
        verb="outreach.cadence_set",
        obj=cadence,
        before={name: before[name] for name in changed if name in before},
        after={name: after[name] for name in changed},
    )
    return cadence
