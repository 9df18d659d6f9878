"""Who may do what with Coordination Committee meetings. Every rule lives here.

The Committee (members, the USG, every chair and vice-chair) and OCT read the meetings; OCT
prepares and records them. Approved minutes are read by the Committee within their clearance;
minutes being written by OCT only. An action point's owners (the owning group's chair and
vice-chairs, or the owning entity's focal points) mark it done; OCT does anything.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from compact.core.permissions import can_read_classification, is_oct
from compact.lib.workflow import Transition
from compact.registry.permissions import can_manage_entity
from reporting.committee.models import ActionPoint, AgendaItem, Meeting
from reporting.committee.workflow import ACTION_TRANSITIONS, OCT, OWNER
from reporting.submissions.permissions import reads_for_committee
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.permissions import can_lead_group

AnyUser = AbstractBaseUser | AnonymousUser


def can_read_meetings(user: AnyUser) -> bool:
    return is_oct(user) or reads_for_committee(user)


def can_manage_meetings(user: AnyUser) -> bool:
    """OCT prepares the agenda and records attendance, minutes, decisions and action points."""
    return is_oct(user)


def can_read_minutes(user: AnyUser, meeting: Meeting) -> bool:
    if not can_read_classification(user, meeting.minutes_classification):
        return False
    if is_oct(user):
        return True
    return meeting.state == Meeting.State.MINUTES_APPROVED and reads_for_committee(user)


def owns_action_point(user: AnyUser, point: ActionPoint) -> bool:
    if point.owner_group_id is not None:
        return can_lead_group(user, point.owner_group)
    return point.owner_entity is not None and can_manage_entity(user, point.owner_entity)


def action_point_moves(user: AnyUser, point: ActionPoint, *, owned: bool | None = None) -> list[Transition]:
    """The moves ``user`` may make on ``point`` now, in table order (buttons). ``owned`` is
    whether ``user`` owns it, when the caller already knows (a list works it out once)."""

    parties = set()
    if is_oct(user):
        parties |= {OCT, OWNER}
    elif owned if owned is not None else owns_action_point(user, point):
        parties.add(OWNER)
    return [t for t in ACTION_TRANSITIONS if t.by in parties and point.status in t.sources]


def cascade_groups_for(user: AnyUser) -> list[WorkingGroup]:
    """The groups ``user`` may record a cascade briefing for: OCT any live group; a Committee
    reader the groups their entity takes part in today and those they lead."""
    today = timezone.localdate()
    live = WorkingGroup.objects.active_on(today).order_by("number")
    if is_oct(user):
        return list(live)
    if not reads_for_committee(user):
        return []
    entity_id = getattr(getattr(user, "profile", None), "entity_id", None)
    roles = RoleAssignment.objects.in_force_on(today)
    mine = roles.filter(person=user)
    if entity_id is not None:
        mine = mine | roles.filter(entity_id=entity_id)
    return list(live.filter(pk__in=mine.values("working_group_id")))


def can_record_cascade(user: AnyUser, item: AgendaItem) -> bool:
    return (
        item.kind == AgendaItem.Kind.POLICY_BRIEFING
        and item.meeting.state not in (Meeting.State.PLANNED, Meeting.State.CANCELLED)
        and bool(cascade_groups_for(user))
    )
