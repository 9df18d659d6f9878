"""The Coordination Committee's meetings API (Annex III, V.13–V.15): meetings with their
agenda, attendance, minutes, decisions and action points, and the cascade of policy briefings.

It mirrors the meeting pages (``reporting.committee.views``) rule for rule. OCT and the
Committee (the USG, its members, every chair and vice-chair) read the meetings; anyone else
signed in gets an empty list and a 404 for a meeting, exactly as for one that does not exist.
OCT alone prepares and records meetings: for anyone else every write is a 404, as the editing
pages are. Minutes being written are OCT's; approved minutes are read by the Committee within
their clearance, and are ``null`` for anyone else. An action point's owners (the owning group's
chair and vice-chairs, the owning entity's focal points) see their points and mark them
done, even when they do not sit on the Committee.

Every read goes through ``reporting.committee.selectors`` and every write through one service
of ``reporting.committee.services``: a service's ValidationError is a 400 naming the field,
its PermissionDenied a 404, a move the table does not allow (or one someone else made first)
a 409 that says where the object stands and which moves are open now.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.errors import FIELD_ERRORS, service_call
from compact.core.api.filters import DjangoFilterBackend
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.registry.serializers import WorkingGroupRefSerializer
from reporting.committee import services
from reporting.committee.models import MEETING_FIELDS, ActionPoint, AgendaItem, CascadeBriefing, Meeting
from reporting.committee.permissions import (
    action_point_moves,
    cascade_groups_for,
)
from reporting.committee.selectors import (
    cascade_briefings_visible_to,
    get_agenda_item_for_user_or_404,
    get_meeting_for_user_or_404,
    meetings_visible_to,
)
from reporting.committee.serializers import (
    NOT_READABLE,
    OCT_ONLY_404,
    ActionPointAddSerializer,
    ActionPointConflictSerializer,
    ActionPointFilter,
    ActionPointSerializer,
    ActionPointTransitionSerializer,
    AgendaBuildResultSerializer,
    AgendaBuildSerializer,
    AgendaItemAddSerializer,
    AgendaItemChangeSerializer,
    AgendaMoveSerializer,
    AttendanceSetSerializer,
    BriefingPackRequestSerializer,
    BriefingPackSerializer,
    CascadeBriefingFilter,
    CascadeBriefingSerializer,
    CascadeRecordSerializer,
    DecisionAddSerializer,
    MeetingConflictSerializer,
    MeetingDetailSerializer,
    MeetingFilter,
    MeetingSerializer,
    MeetingTransitionSerializer,
    MeetingWriteSerializer,
    MinutesWriteSerializer,
    _manager_or_404,
    action_points_for,
)
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS, OCT
from reporting.compiled.editions import edition_request

# --- Meetings ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description="The Committee's meetings, latest first: for OCT and the Committee (the USG, its members, "
        "every chair and vice-chair). Empty for anyone else."
    ),
    retrieve=extend_schema(
        description="One meeting: its agenda (a working group's briefing linked only if the caller may read it), "
        "attendance, decisions, action points with the caller's moves, and the minutes only for a caller who "
        "may read them (``null`` otherwise).",
        responses={200: MeetingDetailSerializer, 404: NOT_READABLE},
    ),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the Coordination Committee: planned, held (minutes being written), minutes approved."""

    filterset_class = MeetingFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Meeting]:
        return meetings_visible_to(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_object(self) -> Meeting:
        meeting = get_meeting_for_user_or_404(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, meeting)
        return meeting

    def _managed(self) -> Meeting:
        meeting = self.get_object()
        _manager_or_404(self.request)
        return meeting

    def _detail(self, meeting: Meeting, *, code: int = status.HTTP_200_OK) -> Response:
        current = get_meeting_for_user_or_404(self.request.user, meeting.pk)
        return Response(MeetingDetailSerializer(current, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=MeetingWriteSerializer,
        responses={201: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def create(self, request: Request) -> Response:
        """Plan a meeting (OCT): ``date``, ``start_time`` and ``end_time`` in ``time_zone`` (the
        site's when left out), ``place`` unless ``is_virtual``, ``join_url`` (https) or
        ``join_details`` for a virtual one, ``chair`` (the USG when left out) and
        ``quorum_note``. The Committee and OCT are e-mailed an invitation with an .ics file."""
        _manager_or_404(request)
        form = MeetingWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        meeting = service_call(lambda: services.meeting_create(actor=request.user, **form.validated_data))
        return self._detail(meeting, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=MeetingWriteSerializer,
        responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the fields sent (OCT), until the minutes are approved. A change to a planned
        meeting's date, times, zone, place or link is e-mailed to the invitees with an
        updated .ics (SEQUENCE one higher)."""
        meeting = self._managed()
        form = MeetingWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        fields = {name: value for name, value in form.validated_data.items() if name in MEETING_FIELDS}
        service_call(lambda: services.meeting_update(meeting=meeting, actor=request.user, **fields))
        return self._detail(meeting)

    @extend_schema(
        request=MeetingTransitionSerializer,
        responses={
            200: MeetingDetailSerializer,
            400: OpenApiResponse(description="Minutes not written yet (approve_minutes), or an unknown action."),
            404: OCT_ONLY_404,
            409: MeetingConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one of OCT's moves: ``hold`` a planned meeting (its minutes can then be written),
        ``approve_minutes`` of a held one (the record is then closed). A move the table does not
        allow now, or one someone else made first, is a 409 with the moves open now."""
        meeting = self._managed()
        move = MeetingTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        action_name = move.validated_data["action"]
        try:
            service_call(lambda: services.meeting_act(meeting=meeting, action=action_name, actor=request.user))
        except TransitionNotAllowedError:
            return self._conflict(meeting, _meeting_not_allowed(action_name, meeting.state))
        except StaleStateError as error:
            return self._conflict(meeting, str(error))
        return self._detail(meeting)

    def _conflict(self, meeting: Meeting, detail: str) -> Response:
        meeting.refresh_from_db(fields=["state"])
        moves = [t.action for t in MEETING_TRANSITIONS.available(meeting.state, by=OCT)]
        body = {"detail": detail, "state": meeting.state, "available_actions": moves}
        return Response(MeetingConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)

    @extend_schema(
        request=BriefingPackRequestSerializer,
        responses={
            202: BriefingPackSerializer,
            400: OpenApiResponse(
                description="The agenda is empty, the minutes are approved, or a pack is being generated."
            ),
            404: OCT_ONLY_404,
        },
    )
    @action(detail=True, methods=["post"], url_path="briefing-pack", url_name="briefing-pack")
    def briefing_pack(self, request: Request, pk: str) -> Response:
        """Ask a worker for the meeting's briefing pack (OCT): the agenda, each working group's
        briefing on it as accepted now, and the open action points of earlier meetings. The
        answer is the queued pack; follow it on the meeting (``briefing_packs``)."""
        meeting = self._managed()
        asked = BriefingPackRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        language = asked.validated_data.get("language")
        pack = service_call(lambda: edition_request(report=meeting, actor=request.user, language=language))
        body = BriefingPackSerializer(pack, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=MinutesWriteSerializer,
        responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["put"])
    def minutes(self, request: Request, pk: str) -> Response:
        """Write the minutes (OCT), once the meeting is held and until they are approved, marked
        no higher than the officer's clearance."""
        meeting = self._managed()
        form = MinutesWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(lambda: services.minutes_save(meeting=meeting, actor=request.user, **form.validated_data))
        return self._detail(meeting)

    @extend_schema(
        request=AgendaBuildSerializer,
        responses={200: AgendaBuildResultSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["post"], url_path="agenda/build", url_name="agenda-build")
    def agenda_build(self, request: Request, pk: str) -> Response:
        """Add one item per working group whose quarterly briefing for ``period`` is accepted and
        not on the agenda yet (OCT). Running it again adds nothing."""
        meeting = self._managed()
        form = AgendaBuildSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        period = form.validated_data["period"]
        added = service_call(
            lambda: services.agenda_build_from_briefings(meeting=meeting, period=period, actor=request.user)
        )
        current = get_meeting_for_user_or_404(request.user, meeting.pk)
        body = {"added": added, "meeting": current}
        return Response(AgendaBuildResultSerializer(body, context=self.get_serializer_context()).data)

    @extend_schema(
        request=AgendaItemAddSerializer,
        responses={201: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["post"], url_path="agenda", url_name="agenda")
    def agenda_add(self, request: Request, pk: str) -> Response:
        """Add a policy-development briefing (with its ``presenter``) or another item at the end
        of the agenda (OCT), until the minutes are approved."""
        meeting = self._managed()
        form = AgendaItemAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(lambda: services.agenda_item_add(meeting=meeting, actor=request.user, **form.validated_data))
        return self._detail(meeting, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=AttendanceSetSerializer,
        responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["post"], url_path="attendance", url_name="attendance")
    def attendance_set(self, request: Request, pk: str) -> Response:
        """Record who attended for an entity (OCT): a registered ``person`` or a ``person_name``;
        an earlier record for the entity is replaced."""
        meeting = self._managed()
        form = AttendanceSetSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(lambda: services.attendance_set(meeting=meeting, actor=request.user, **form.validated_data))
        return self._detail(meeting)

    @extend_schema(request=None, responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"attendance/(?P<attendance_pk>[0-9]+)",
        url_name="attendance-remove",
    )
    def attendance_remove(self, request: Request, pk: str, attendance_pk: str) -> Response:
        """Remove an attendance record (OCT), until the minutes are approved."""
        meeting = self._managed()
        row = meeting.attendance.filter(pk=int(attendance_pk)).first()
        if row is None:
            raise Http404
        service_call(lambda: services.attendance_remove(attendance=row, actor=request.user))
        return self._detail(meeting)

    @extend_schema(
        request=DecisionAddSerializer,
        responses={201: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: str) -> Response:
        """Record a decision of a held meeting (OCT); decisions are numbered 1, 2, 3…"""
        meeting = self._managed()
        form = DecisionAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(lambda: services.decision_add(meeting=meeting, actor=request.user, **form.validated_data))
        return self._detail(meeting, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionPointAddSerializer,
        responses={201: ActionPointSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["post"], url_path="action-points", url_name="action-points")
    def action_point_add(self, request: Request, pk: str) -> Response:
        """Record an action point of a held meeting (OCT): owned by one entity or one working
        group, with a due date. Its owners are reminded before it is due and chased after."""
        meeting = self._managed()
        form = ActionPointAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        point = service_call(
            lambda: services.action_point_add(meeting=meeting, actor=request.user, **form.validated_data)
        )
        current = action_points_for(request.user).get(pk=point.pk)
        return Response(
            ActionPointSerializer(current, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


def _meeting_not_allowed(action_name: str, state: str) -> str:
    return _("“%(action)s” is not possible while the meeting is “%(state)s”.") % {
        "action": MEETING_TRANSITIONS.get(action_name).label,
        "state": Meeting.State(state).label,
    }


# --- Agenda items ----------------------------------------------------------------------------------


class AgendaItemViewSet(viewsets.GenericViewSet):
    """One item of a meeting's agenda: OCT changes, moves and removes it."""

    lookup_value_regex = r"[0-9]+"
    filter_backends: list[type] = []
    serializer_class = MeetingDetailSerializer

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return AgendaItem.objects.filter(meeting__in=meetings_visible_to(self.request.user))

    def _item(self, request: Request, pk: str) -> AgendaItem:
        item = get_agenda_item_for_user_or_404(request.user, int(pk))
        _manager_or_404(request)
        return item

    def _meeting(self, request: Request, meeting_id: int) -> Response:
        meeting = get_meeting_for_user_or_404(request.user, meeting_id)
        return Response(MeetingDetailSerializer(meeting, context=self.get_serializer_context()).data)

    @extend_schema(
        request=AgendaItemChangeSerializer,
        responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the item's ``title`` and ``presenter`` (OCT); its kind, and a briefing's link, stay."""
        item = self._item(request, pk)
        form = AgendaItemChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(lambda: services.agenda_item_update(item=item, actor=request.user, **form.validated_data))
        return self._meeting(request, item.meeting_id)

    @extend_schema(request=None, responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404})
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove the item (OCT); the others close up. An item Committee members recorded
        briefing their groups on stays (400)."""
        item = self._item(request, pk)
        service_call(lambda: services.agenda_item_remove(item=item, actor=request.user))
        return self._meeting(request, item.meeting_id)

    @extend_schema(
        request=AgendaMoveSerializer,
        responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Move the item one place ``up`` or ``down`` (OCT); at either end nothing changes."""
        item = self._item(request, pk)
        form = AgendaMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        direction = form.validated_data["direction"]
        service_call(lambda: services.agenda_item_move(item=item, actor=request.user, direction=direction))
        return self._meeting(request, item.meeting_id)

    @extend_schema(
        request=CascadeRecordSerializer,
        responses={
            201: CascadeBriefingSerializer,
            400: FIELD_ERRORS,
            404: OpenApiResponse(
                description="No such agenda item, or the caller may not record a briefing on it: not a "
                "policy-development item of a held meeting, or the caller takes part in no working group."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def cascade(self, request: Request, pk: str) -> Response:
        """Record that you briefed one of your working groups on this policy-development item of
        a held meeting (a Committee member, a chair or vice-chair; OCT for any group), once per
        group and item."""
        item = get_agenda_item_for_user_or_404(request.user, int(pk))
        form = CascadeRecordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        cascade = service_call(
            lambda: services.cascade_record(
                item=item,
                group=data["group"],
                briefed_on=data["briefed_on"],
                note=data.get("note", ""),
                actor=request.user,
            )
        )
        current = CascadeBriefing.objects.select_related("agenda_item", "working_group", "recorded_by").get(
            pk=cascade.pk
        )
        body = CascadeBriefingSerializer(current, context=self.get_serializer_context())
        return Response(body.data, status=status.HTTP_201_CREATED)


# --- Action points -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description="Action points across meetings, soonest due first: every one of the meetings the caller reads "
        "(OCT, the Committee), and the open ones the caller owns (a focal point of the owning entity, a leader "
        "of the owning group). Empty for anyone else."
    ),
    retrieve=extend_schema(
        description="One action point, with the moves open to the caller.",
        responses={200: ActionPointSerializer, 404: OpenApiResponse(description="No such action point, or hidden.")},
    ),
)
class ActionPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What the Committee asked an entity or a working group to do by a date."""

    serializer_class = ActionPointSerializer
    filterset_class = ActionPointFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ActionPoint]:
        return action_points_for(self.request.user).order_by("due_on", "pk")

    @extend_schema(
        request=ActionPointTransitionSerializer,
        responses={
            200: ActionPointSerializer,
            400: OpenApiResponse(description="An unknown action."),
            404: OpenApiResponse(description="No such action point, or the caller may not make this move."),
            409: ActionPointConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one move: its owners (and OCT) ``mark_done``; OCT ``drop``s an open point or
        ``reopen``s a closed one. A move the caller may not make is a 404, as on the pages; one
        the table does not allow now, or one someone else made first, a 409."""
        point = self.get_object()
        move = ActionPointTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        action_name = move.validated_data["action"]
        try:
            point = service_call(lambda: services.action_point_act(point=point, action=action_name, actor=request.user))
        except TransitionNotAllowedError:
            return self._conflict(point, _point_not_allowed(action_name, point.status))
        except StaleStateError as error:
            return self._conflict(point, str(error))
        # The answer is the point as the owner just left it: a closed point is no longer
        # among the open ones a focal point outside the Committee reads.
        return Response(ActionPointSerializer(point, context=self.get_serializer_context()).data)

    def _conflict(self, point: ActionPoint, detail: str) -> Response:
        point.refresh_from_db(fields=["status"])
        moves = [t.action for t in action_point_moves(self.request.user, point)]
        body = {"detail": detail, "status": point.status, "available_actions": moves}
        return Response(ActionPointConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)


def _point_not_allowed(action_name: str, status_value: str) -> str:
    return _("“%(action)s” is not possible while the action point is “%(status)s”.") % {
        "action": ACTION_TRANSITIONS.get(action_name).label,
        "status": ActionPoint.Status(status_value).label,
    }


# --- The cascade (V.15) ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description="Committee members' records of briefing their working groups on policy items, of the meetings "
        "the caller reads. Empty for anyone else."
    ),
    retrieve=extend_schema(
        description="One record.",
        responses={200: CascadeBriefingSerializer, 404: OpenApiResponse(description="No such record, or hidden.")},
    ),
)
class CascadeBriefingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A Committee member briefed a working group on a policy item (Annex III, V.15)."""

    serializer_class = CascadeBriefingSerializer
    filterset_class = CascadeBriefingFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[CascadeBriefing]:
        return cascade_briefings_visible_to(self.request.user)

    @extend_schema(responses={200: WorkingGroupRefSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def groups(self, request: Request) -> Response:
        """The working groups the caller may record a briefing for: OCT any live group; a
        Committee reader those their entity takes part in, and those they lead."""
        return Response(WorkingGroupRefSerializer(cascade_groups_for(request.user), many=True).data)
