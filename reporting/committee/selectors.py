"""Reads of the Coordination Committee's meetings, scoped to what the asking user may see.

OCT and the Committee (members, the USG, chairs and vice-chairs) read the meetings; anyone
else gets a 404. On a meeting, a briefing on the agenda links to its submission only if the
reader may read it; minutes show once approved (OCT: always), within the reader's clearance;
generated briefing packs within the reader's clearance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from compact.core.permissions import objects_permitted
from compact.lib.workflow import Transition
from compact.registry.models import Entity
from reporting.committee.models import ActionPoint, AgendaItem, CascadeBriefing, Decision, Meeting
from reporting.committee.permissions import action_point_moves, can_read_meetings, can_record_cascade
from reporting.compiled.models import ReportEdition
from reporting.submissions.permissions import can_read_edition
from reporting.submissions.selectors import submissions_visible_to
from workinggroups.models import WorkingGroup
from workinggroups.permissions import LEAD_PERMISSION

AnyUser = AbstractBaseUser | AnonymousUser


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    """Every meeting for OCT and the Committee; none for anyone else."""
    meetings = Meeting.objects.select_related("chair")
    return meetings if can_read_meetings(user) else meetings.none()


def get_meeting_for_user_or_404(user: AnyUser, pk: int) -> Meeting:
    """One meeting; the same 404 whether it is missing or hidden from ``user``."""
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def meeting_joinable(meeting: Meeting, *, now: datetime.datetime | None = None) -> bool:
    """Whether to offer the link to join: a planned meeting with a link, today (in its own
    time zone) or to come. Whoever reads the meeting reads its link."""
    if not meeting.join_url or meeting.state != Meeting.State.PLANNED:
        return False
    return meeting.date >= (now or timezone.now()).astimezone(meeting.zone).date()


def decisions_visible_to(user: AnyUser) -> QuerySet[Decision]:
    """Decisions are on their meeting's page for every reader of the meeting."""
    return Decision.objects.filter(meeting__in=meetings_visible_to(user)).select_related("meeting")


def get_agenda_item_for_user_or_404(user: AnyUser, pk: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting").filter(pk=pk, meeting__in=meetings_visible_to(user)).first()
    if item is None:
        raise Http404("No such agenda item.")
    return item


def _owned(user: AnyUser) -> Q:
    """Action points of the groups ``user`` chairs or vice-chairs and of the entities they are
    focal point of."""
    groups = objects_permitted(user, LEAD_PERMISSION, WorkingGroup)
    entities = objects_permitted(user, "compact.manage_entity_profile", Entity)
    return Q(owner_group__in=groups) | Q(owner_entity__in=entities)


def action_points_visible_to(user: AnyUser) -> QuerySet[ActionPoint]:
    """The action points of the meetings ``user`` reads, and those ``user`` owns (any status):
    a focal point outside the Committee still sees and closes their entity's."""
    if not user.is_authenticated or not user.is_active:
        return ActionPoint.objects.none()
    scope = Q(meeting__in=meetings_visible_to(user)) | _owned(user)
    return (
        ActionPoint.objects.filter(scope)
        .select_related("meeting", "owner_entity", "owner_group", "done_by")
        .order_by("due_on", "pk")
    )


def action_points_owned_by(user: AnyUser) -> set[int]:
    """The ids of the action points ``user`` owns, any status (one query, for lists)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(ActionPoint.objects.filter(_owned(user)).values_list("pk", flat=True))


def cascade_briefings_visible_to(user: AnyUser) -> QuerySet[CascadeBriefing]:
    return (
        CascadeBriefing.objects.filter(agenda_item__meeting__in=meetings_visible_to(user))
        .select_related("agenda_item", "working_group", "recorded_by")
        .order_by("briefed_on", "pk")
    )


def get_action_point_for_user_or_404(user: AnyUser, pk: int) -> ActionPoint:
    point = action_points_visible_to(user).filter(pk=pk).first()
    if point is None:
        raise Http404("No such action point.")
    return point


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    briefing_readable: bool  # whether to link the working group's submission
    cascade: list[CascadeBriefing]
    may_record_cascade: bool


def agenda_rows(user: AnyUser, meeting: Meeting) -> list[AgendaRow]:
    """The agenda in order, with the links and cascade records ``user`` may see."""
    cascade = Prefetch("cascade", queryset=CascadeBriefing.objects.select_related("working_group", "recorded_by"))
    items = list(
        meeting.agenda.select_related("presenter", "submission__working_group", "submission__period")
        .prefetch_related(cascade)
        .order_by("position", "pk")
    )
    linked = [item.submission_id for item in items if item.submission_id]
    readable = set(submissions_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
    return [
        AgendaRow(
            item=item,
            briefing_readable=item.submission_id in readable,
            cascade=list(item.cascade.all()),
            may_record_cascade=can_record_cascade(user, item),
        )
        for item in items
    ]


@dataclass(frozen=True)
class ActionRow:
    point: ActionPoint
    moves: list[Transition]


def action_rows(user: AnyUser, meeting: Meeting) -> list[ActionRow]:
    points = meeting.action_points.select_related("owner_entity", "owner_group", "done_by")
    return [ActionRow(point, action_point_moves(user, point)) for point in points]


def open_action_points_for(user: AnyUser) -> QuerySet[ActionPoint]:
    """The open action points ``user`` owns: those of the groups they chair or vice-chair and
    of the entities they are focal point of, soonest due first (for the home page)."""
    if not user.is_authenticated or not user.is_active:
        return ActionPoint.objects.none()
    return (
        ActionPoint.objects.filter(_owned(user), status=ActionPoint.Status.OPEN)
        .select_related("meeting", "owner_entity", "owner_group")
        .order_by("due_on", "pk")
    )


def briefing_packs_visible_to(user: AnyUser, meeting: Meeting) -> list[ReportEdition]:
    """The meeting's briefing packs ``user`` may read, newest first: all of them for OCT, the
    generated ones within their clearance for the Committee (``can_read_edition``)."""
    packs = meeting.briefing_packs.select_related("requested_by").order_by("-number")
    return [pack for pack in packs if can_read_edition(user, pack)]
