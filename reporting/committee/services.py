"""The Coordination Committee's meetings: agenda, attendance, minutes, decisions, action
points and the cascade of policy briefings (Annex III, V.13–V.15).

OCT prepares and records every meeting. ``MEETING_TRANSITIONS`` takes a meeting from planned
to held (minutes can be written) to minutes approved (the record is closed);
``ACTION_TRANSITIONS`` closes action points. ``action_points_chase`` reminds owners before an
action point's due date and escalates after it, exactly once per offset, the way the
reporting scheduler does (a ``SchedulerEvent`` key claimed in the action's transaction).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.core.categories import EmailCategory
from compact.core.models import Classification, User
from compact.core.outbox import email_queue
from compact.core.permissions import can_read_classification, is_oct
from compact.core.roles import Role
from compact.core.timezones import is_time_zone
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.registry.models import Entity
from reporting.committee.chasing import action_point_owner_emails
from reporting.committee.invitations import (
    meeting_cancellation_queue,
    meeting_change_queue,
    meeting_invitation_queue,
    visible_changes,
)
from reporting.committee.models import (
    MEETING_FIELDS,
    ActionPoint,
    AgendaItem,
    Attendance,
    CascadeBriefing,
    Decision,
    Meeting,
    committee_time_zone,
)
from reporting.committee.permissions import (
    can_manage_meetings,
    can_record_cascade,
    cascade_groups_for,
    owns_action_point,
)
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS, OCT, OWNER, MeetingState, Status
from reporting.submissions.models import ReportingPeriod, Submission
from workinggroups.models import RoleAssignment, WorkingGroup

https_only = URLValidator(schemes=["https"])


def _require_oct(actor: AbstractBaseUser) -> None:
    if not can_manage_meetings(actor):
        raise PermissionDenied(_("Only the OCT secretariat prepares and records Committee meetings."))


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _not_closed(meeting: Meeting) -> None:
    if meeting.state == MeetingState.MINUTES_APPROVED:
        raise ValidationError(_("The minutes of this meeting are approved: its record can no longer change."))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("This meeting was cancelled: its record can no longer change."))


def _held(meeting: Meeting) -> None:
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("Minutes, decisions and action points are recorded once the meeting is held."))


def default_chair() -> User | None:
    """The Committee is chaired by the Under-Secretary-General (the USG role)."""
    return User.objects.filter(is_active=True, groups__name=Role.USG.value).order_by("pk").first()


# --- Meetings ------------------------------------------------------------------------------------


def _meeting_fields_check(fields: dict[str, Any], *, planned: bool = True) -> dict[str, Any]:
    """The fields cleaned, or a ValidationError naming each field that is wrong. A planned
    meeting needs its times (meetings recorded before times existed may keep none)."""
    cleaned = {
        **fields,
        "place": _one_line(fields.get("place")),
        "join_url": (fields.get("join_url") or "").strip(),
        "join_details": _one_line(fields.get("join_details")),
        "time_zone": (fields.get("time_zone") or "").strip() or committee_time_zone(),
        "quorum_note": (fields.get("quorum_note") or "").strip(),
    }
    errors = {**_where_errors(cleaned), **_when_errors(cleaned, planned=planned)}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _one_line(value: str | None) -> str:
    """A place or a dial-in note is one line: line breaks and runs of spaces become one space
    (they would be lost, or misread, in a calendar's location and an e-mail)."""
    return " ".join((value or "").split())


def _where_errors(fields: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not fields["is_virtual"] and not fields["place"]:
        errors["place"] = _("Give the place, or mark the meeting as virtual.")
    if fields["join_url"]:
        try:
            https_only(fields["join_url"])
        except ValidationError:
            errors["join_url"] = _("Give the link to join as a full https:// address.")
    if fields["is_virtual"] and not fields["join_url"] and not fields["join_details"]:
        errors["join_url"] = _("A virtual meeting needs a link to join, or say how to join.")
    return errors


def _when_errors(fields: dict[str, Any], *, planned: bool) -> dict[str, str]:
    errors = {}
    if fields.get("date") is None:
        errors["date"] = _("Give the meeting's date.")
    start, end = fields.get("start_time"), fields.get("end_time")
    if (planned or start or end) and start is None:
        errors["start_time"] = _("Give the time the meeting starts.")
    if (planned or start or end) and end is None:
        errors["end_time"] = _("Give the time the meeting ends.")
    if start is not None and end is not None and end <= start:
        errors["end_time"] = _("The meeting ends after it starts, on the same day.")
    if not is_time_zone(fields["time_zone"]):
        errors["time_zone"] = _("Choose a time zone by its name, e.g. America/New_York or Europe/Vienna.")
    return errors


@transaction.atomic
def meeting_create(
    *,
    actor: AbstractBaseUser,
    date: datetime.date,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    time_zone: str = "",
    is_virtual: bool = False,
    place: str = "",
    join_url: str = "",
    join_details: str = "",
    chair: User | None = None,
    quorum_note: str = "",
) -> Meeting:
    """Plan a meeting (its date, times and zone; a place, a link to join, or both); the chair
    is the USG unless another is given. The Committee and OCT are sent an invitation with
    the meeting's calendar event, unless the day is past (a meeting recorded afterwards)."""
    _require_oct(actor)
    fields = _meeting_fields_check(
        {
            "date": date,
            "start_time": start_time,
            "end_time": end_time,
            "time_zone": time_zone,
            "is_virtual": is_virtual,
            "place": place,
            "join_url": join_url,
            "join_details": join_details,
            "chair": chair,
            "quorum_note": quorum_note,
        }
    )
    fields["chair"] = fields["chair"] or default_chair()
    meeting = Meeting.objects.create(**fields, created_by=actor)
    audit_record(actor=actor, verb="committee.meeting_created", obj=meeting, after=snapshot(meeting, MEETING_FIELDS))
    if meeting.date >= timezone.localdate():
        meeting_invitation_queue(meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: AbstractBaseUser, **fields: Any) -> Meeting:
    """Change the meeting's fields (not once the minutes are approved). When a planned
    meeting's date, times, zone, place or link change, the invitees are told what changed,
    with the event's SEQUENCE one higher; a change to the chair or the quorum note is not
    announced."""
    _require_oct(actor)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    meeting = _locked(meeting)
    _not_closed(meeting)
    before = snapshot(meeting, MEETING_FIELDS)
    shown_before = copy.copy(meeting)
    current = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    planned = meeting.state == MeetingState.PLANNED
    for name, value in _meeting_fields_check({**current, **fields}, planned=planned).items():
        setattr(meeting, name, value)
    changed_shown = visible_changes(shown_before, meeting) if planned else []
    if changed_shown:
        meeting.invitation_sequence += 1
    meeting.save(update_fields=[*MEETING_FIELDS, "invitation_sequence"])
    after = snapshot(meeting, MEETING_FIELDS)
    changed = [k for k in after if after[k] != before[k]]
    audit_record(
        actor=actor,
        verb="committee.meeting_updated",
        obj=meeting,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    if changed_shown:
        meeting_change_queue(meeting, before=shown_before, changed=changed_shown)
    return meeting


@transaction.atomic
def meeting_act(*, meeting: Meeting, action: str, actor: AbstractBaseUser) -> Meeting:
    """Take a move of ``MEETING_TRANSITIONS`` (compare-and-swap on the state, audited).
    Cancelling a planned meeting tells its invitees, with a ``METHOD:CANCEL`` .ics (the
    event's SEQUENCE one higher) that takes it out of their calendars."""
    _require_oct(actor)
    meeting = _locked(meeting)
    move = Move.start(table=MEETING_TRANSITIONS, obj=meeting, action=action, by=OCT, actor=actor, state_field="state")
    if action == "approve_minutes" and not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before approving them."))
    if action == "approve_minutes" and not can_read_classification(actor, meeting.minutes_classification):
        raise PermissionDenied(_("These minutes are marked above your clearance."))
    cancelling = action == "cancel"
    values = {"invitation_sequence": meeting.invitation_sequence + 1} if cancelling else {}
    move.swap(stale=_("Someone else changed this meeting's state meanwhile."), **values)
    move.record(actor=actor, verb=f"committee.meeting_{action}")
    if cancelling:
        meeting_cancellation_queue(meeting)
    return meeting


# --- Attendance ----------------------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *, meeting: Meeting, entity: Entity, actor: AbstractBaseUser, person: User | None = None, person_name: str = ""
) -> Attendance:
    """Record who attended for ``entity`` (replacing an earlier record for it)."""
    _require_oct(actor)
    meeting = _locked(meeting)
    _not_closed(meeting)
    person_name = person_name.strip()
    if person is None and not person_name:
        raise ValidationError({"person_name": _("Name the person present, or choose a registered user.")})
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting, entity=entity, defaults={"person": person, "person_name": person_name}
    )
    audit_record(
        actor=actor,
        verb="committee.attendance_set",
        obj=meeting,
        after={"entity": entity.pk, "person": person.pk if person else None, "person_name": person_name},
    )
    return row


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: AbstractBaseUser) -> None:
    _require_oct(actor)
    meeting = _locked(attendance.meeting)
    _not_closed(meeting)
    audit_record(actor=actor, verb="committee.attendance_removed", obj=meeting, before={"entity": attendance.entity_id})
    attendance.delete()


# --- The agenda ----------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(n=Max("position"))["n"] or 0) + 1


def _item_check(kind: str, title: str, presenter: Entity | None) -> str:
    if kind not in (AgendaItem.Kind.POLICY_BRIEFING, AgendaItem.Kind.OTHER):
        raise ValidationError(
            {"kind": _("Working-group briefings are added from their accepted submissions, not by hand.")}
        )
    if kind == AgendaItem.Kind.POLICY_BRIEFING and presenter is None:
        raise ValidationError({"presenter": _("Say who gives the policy briefing: OCT or an entity.")})
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the item a title.")})
    return title


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, actor: AbstractBaseUser, kind: str, title: str, presenter: Entity | None = None
) -> AgendaItem:
    """Add a policy-development briefing or another item at the end of the agenda."""
    _require_oct(actor)
    meeting = _locked(meeting)
    _not_closed(meeting)
    title = _item_check(kind, title, presenter)
    item = AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), kind=kind, title=title, presenter=presenter
    )
    audit_record(actor=actor, verb="committee.agenda_item_added", obj=meeting, after=snapshot(item, ("kind", "title")))
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, actor: AbstractBaseUser, title: str, presenter: Entity | None = None
) -> AgendaItem:
    """Change an item's title and presenter (its kind, and a briefing's link, stay)."""
    _require_oct(actor)
    _not_closed(_locked(item.meeting))
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the item a title.")})
    if item.kind == AgendaItem.Kind.POLICY_BRIEFING and presenter is None:
        raise ValidationError({"presenter": _("Say who gives the policy briefing: OCT or an entity.")})
    before = snapshot(item, ("title", "presenter"))
    item.title, item.presenter = title, presenter
    item.save(update_fields=["title", "presenter"])
    audit_record(
        actor=actor, verb="committee.agenda_item_updated", obj=item, before=before, after=snapshot(item, before)
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: AbstractBaseUser) -> None:
    _require_oct(actor)
    meeting = _locked(item.meeting)
    _not_closed(meeting)
    if item.cascade.exists():
        raise ValidationError(_("Committee members recorded briefing their groups on this item: it stays."))
    audit_record(
        actor=actor, verb="committee.agenda_item_removed", obj=meeting, before=snapshot(item, ("kind", "title"))
    )
    item.delete()
    _renumber(meeting, list(meeting.agenda.order_by("position", "pk")))


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    for position, each in enumerate(items, start=1):
        if each.position != position:
            AgendaItem.objects.filter(pk=each.pk).update(position=position)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: AbstractBaseUser, direction: str) -> None:
    """Move an item one place ``up`` or ``down``; positions stay 1, 2, 3…"""
    _require_oct(actor)
    meeting = _locked(item.meeting)
    _not_closed(meeting)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    items = list(meeting.agenda.order_by("position", "pk"))
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        _renumber(meeting, items)
        audit_record(actor=actor, verb="committee.agenda_item_moved", obj=item, after={"direction": direction})


def _group_entity(group: WorkingGroup, day: datetime.date) -> Entity | None:
    """The entity chairing ``group`` on ``day`` (the briefing's presenter)."""
    role = RoleAssignment.objects.in_force_on(day).filter(working_group=group, role="chair").first()
    return role.entity if role else None


@transaction.atomic
def agenda_build_from_briefings(*, meeting: Meeting, period: ReportingPeriod, actor: AbstractBaseUser) -> int:
    """Add one item per working group whose quarterly briefing for ``period`` is accepted and
    not on the agenda yet. Returns how many were added; running it again adds nothing."""
    _require_oct(actor)
    meeting = _locked(meeting)
    _not_closed(meeting)
    if not period.is_briefing:
        raise ValidationError({"period": _("Choose a quarterly-briefing period.")})
    briefings = (
        Submission.objects.filter(period=period, status=Submission.Status.ACCEPTED)
        .exclude(agenda_items__meeting=meeting)
        .select_related("working_group")
        .order_by("working_group__number")
    )
    added = []
    for submission in briefings:
        group = submission.working_group
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=_next_position(meeting),
            kind=AgendaItem.Kind.WG_BRIEFING,
            title=_("Briefing by working group %(number)s: %(name)s") % {"number": group.number, "name": group.name},
            presenter=_group_entity(group, meeting.date),
            submission=submission,
        )
        added.append(item.submission_id)
    if added:
        audit_record(
            actor=actor,
            verb="committee.agenda_built",
            obj=meeting,
            after={"period": period.pk, "submissions": added},
        )
    return len(added)


# --- Minutes, decisions, action points -------------------------------------------------------------


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, actor: AbstractBaseUser, minutes: str, classification: str, quorum_note: str | None = None
) -> Meeting:
    """Write the minutes (once held, until approved), marked with a classification."""
    _require_oct(actor)
    meeting = _locked(meeting)
    _held(meeting)
    if classification not in Classification.values:
        raise ValidationError({"classification": _("Choose a classification.")})
    if not can_read_classification(actor, classification) or not can_read_classification(
        actor, meeting.minutes_classification
    ):
        raise ValidationError({"classification": _("You cannot mark minutes above your own clearance.")})
    names = ["minutes", "minutes_classification", "quorum_note"]
    before = snapshot(meeting, names)
    meeting.minutes = minutes.strip()
    meeting.minutes_classification = classification
    if quorum_note is not None:
        meeting.quorum_note = quorum_note.strip()
    meeting.save(update_fields=names)
    after = snapshot(meeting, names)
    changed = [k for k in names if before[k] != after[k]]
    audit_record(
        actor=actor,
        verb="committee.minutes_saved",
        obj=meeting,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return meeting


@transaction.atomic
def decision_add(*, meeting: Meeting, actor: AbstractBaseUser, text: str) -> Decision:
    """Record a decision; decisions are numbered 1, 2, 3… within the meeting."""
    _require_oct(actor)
    meeting = _locked(meeting)
    _held(meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision.objects.create(meeting=meeting, number=number, text=text)
    audit_record(actor=actor, verb="committee.decision_added", obj=meeting, after={"number": number, "text": text})
    return decision


@transaction.atomic
def action_point_add(
    *,
    meeting: Meeting,
    actor: AbstractBaseUser,
    text: str,
    due_on: datetime.date,
    owner_entity: Entity | None = None,
    owner_group: WorkingGroup | None = None,
) -> ActionPoint:
    """Record an action point owned by one entity or one working group."""
    _require_oct(actor)
    meeting = _locked(meeting)
    _held(meeting)
    if (owner_entity is None) == (owner_group is None):
        raise ValidationError(_("An action point is owned by one entity or one working group, not both."))
    if not text.strip():
        raise ValidationError({"text": _("Say what is to be done.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Give a due date.")})
    point = ActionPoint.objects.create(
        meeting=meeting, text=text.strip(), due_on=due_on, owner_entity=owner_entity, owner_group=owner_group
    )
    audit_record(
        actor=actor,
        verb="committee.action_point_added",
        obj=point,
        after=snapshot(point, ("meeting", "text", "due_on", "owner_entity", "owner_group")),
    )
    # Its owners learn of it now, not from the first reminder a week before it is due.
    email_queue(
        occasion=f"action-point:{point.pk}:assigned",
        recipients=action_point_owner_emails(point, timezone.localdate()),
        template="action-point-assigned",
        category=EmailCategory.ACTION_POINTS,
        context={
            "point": point,
            "meeting": meeting,
            "owner": point.owner_group or point.owner_entity,
            "url": absolute_url(reverse("committee-meeting", args=[meeting.pk]) + "#action-points"),
        },
    )
    return point


@transaction.atomic
def action_point_act(*, point: ActionPoint, action: str, actor: AbstractBaseUser) -> ActionPoint:
    """Mark done (its owners or OCT), drop or reopen (OCT); compare-and-swap, audited."""
    transition = ACTION_TRANSITIONS.get(action)
    if transition.by == OCT and not is_oct(actor):
        raise PermissionDenied(_("Only the OCT secretariat drops or reopens action points."))
    if transition.by == OWNER and not (is_oct(actor) or owns_action_point(actor, point)):
        raise PermissionDenied(_("Only the action point's owners mark it done."))
    move = Move.start(table=ACTION_TRANSITIONS, obj=point, action=action, by=transition.by, actor=actor)
    closing = transition.target != Status.OPEN
    values = {"done_at": timezone.now() if closing else None, "done_by": actor if closing else None}
    move.swap(stale=_("Someone else changed this action point meanwhile."), **values)
    move.record(actor=actor, verb=f"committee.action_point_{action}")
    return point


# --- The cascade (V.15) -------------------------------------------------------------------------


@transaction.atomic
def cascade_record(
    *, item: AgendaItem, group: WorkingGroup, briefed_on: datetime.date, note: str, actor: AbstractBaseUser
) -> CascadeBriefing:
    """A Committee member records briefing ``group`` on a policy item of a held meeting."""
    if not can_record_cascade(actor, item):
        raise PermissionDenied(_("Only Committee members record briefing their groups on a policy item."))
    if group not in cascade_groups_for(actor):
        raise ValidationError({"group": _("Choose a working group your entity takes part in.")})
    if briefed_on is None or briefed_on < item.meeting.date:
        raise ValidationError({"briefed_on": _("The briefing comes on or after the Committee meeting.")})
    if CascadeBriefing.objects.filter(agenda_item=item, working_group=group).exists():
        raise ValidationError({"group": _("This group's briefing on this item is recorded already.")})
    try:
        with transaction.atomic():
            cascade = CascadeBriefing.objects.create(
                agenda_item=item, working_group=group, briefed_on=briefed_on, note=note.strip(), recorded_by=actor
            )
    except IntegrityError:
        raise ValidationError({"group": _("This group's briefing on this item is recorded already.")}) from None
    audit_record(
        actor=actor,
        verb="committee.cascade_recorded",
        obj=item,
        after={"group": group.pk, "briefed_on": str(briefed_on)},
    )
    return cascade
