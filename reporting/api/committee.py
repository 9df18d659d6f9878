"""The Coordination Committee's meetings API (Annex III, V.13–V.15): meetings with their
agenda, attendance, minutes, decisions and action points, and the cascade of policy briefings.

It mirrors the meeting pages (``reporting.views_committee``) rule for rule. OCT and the
Committee (the USG, its members, every chair and vice-chair) read the meetings; anyone else
signed in gets an empty list and a 404 for a meeting, exactly as for one that does not exist.
OCT alone prepares and records meetings: for anyone else every write is a 404, as the editing
pages are. Minutes being written are OCT's; approved minutes are read by the Committee within
their clearance, and are ``null`` for anyone else. An action point's owners (the owning group's
chair and vice-chairs, the owning entity's focal points) see their points and mark them
done, even when they do not sit on the Committee.

Every read goes through ``reporting.selectors_committee`` and every write through one service
of ``reporting.services.committee``: a service's ValidationError is a 400 naming the field,
its PermissionDenied a 404, a move the table does not allow (or one someone else made first)
a 409 that says where the object stands and which moves are open now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.api.matrix import EntityAcronymField
from compact.api.serializers import EntityRefSerializer, WorkingGroupRefSerializer, service_error_detail
from compact.api.signon import PersonRefSerializer
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.models import Classification, User
from reporting.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    CascadeBriefing,
    Decision,
    Meeting,
    ReportEdition,
    ReportingPeriod,
)
from reporting.permissions_committee import (
    action_point_moves,
    can_manage_meetings,
    can_read_minutes,
    cascade_groups_for,
)
from reporting.selectors_committee import (
    AgendaRow,
    action_points_owned_by,
    action_points_visible_to,
    action_rows,
    agenda_rows,
    briefing_packs_visible_to,
    cascade_briefings_visible_to,
    get_agenda_item_for_user_or_404,
    get_meeting_for_user_or_404,
    meetings_visible_to,
    open_action_points_for,
)
from reporting.services import committee as services
from reporting.services.committee import ACTION_TRANSITIONS, MEETING_FIELDS, MEETING_TRANSITIONS, OCT
from reporting.services.compiled import edition_request
from workinggroups.models import WorkingGroup

# Every move of the two tables (the schema's ``MeetingActionEnum`` and ``ActionPointActionEnum``).
MEETING_ACTIONS = [(t.action, str(t.label)) for t in MEETING_TRANSITIONS]
ACTION_POINT_ACTIONS = [(t.action, str(t.label)) for t in ACTION_TRANSITIONS]
# The items OCT adds by hand (``AgendaItemInputKindEnum``): briefings come from submissions.
HAND_KINDS = [(k, label) for k, label in AgendaItem.Kind.choices if k != AgendaItem.Kind.WG_BRIEFING]
DIRECTIONS = [("up", "One place up"), ("down", "One place down")]

NOT_READABLE = OpenApiResponse(description="No such meeting, or the caller does not read the Committee's meetings.")
OCT_ONLY_404 = OpenApiResponse(
    description="No such meeting (or item), or the caller is not the OCT secretariat, who alone records meetings."
)
FIELD_ERRORS = OpenApiResponse(description="Field errors, each under its field (or ``non_field_errors``).")


def _manager_or_404(request: Request) -> None:
    """OCT prepares and records meetings; for anyone else the editing routes do not exist
    (as the editing pages). Checked before the input is read, so it reveals nothing."""
    if not can_manage_meetings(request.user):
        raise Http404


def _service_call(call: Callable[[], Any]) -> Any:
    """Run one service: its field errors become a 400, its refusal a 404."""
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(service_error_detail(error)) from error
    except PermissionDenied:
        raise Http404 from None


def action_points_for(user: Any) -> QuerySet[ActionPoint]:
    """The action points ``user`` reads: those of the meetings they read (OCT, the Committee)
    and those they own (a focal point of the owning entity who does not sit on the
    Committee), as the pages and the home page read them."""
    return action_points_visible_to(user)


# --- Serializers: output ---------------------------------------------------------------------------


class CommitteeMoveSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()


class MeetingMoveSerializer(CommitteeMoveSerializer):
    action = serializers.ChoiceField(choices=MEETING_ACTIONS)


class ActionPointMoveSerializer(CommitteeMoveSerializer):
    action = serializers.ChoiceField(choices=ACTION_POINT_ACTIONS)


def _moves(transitions: Any) -> list[dict[str, str]]:
    return [{"action": t.action, "label": str(t.label)} for t in transitions]


class MeetingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-committee-meeting-detail")
    label = serializers.CharField(source="__str__", read_only=True)
    where = serializers.CharField(read_only=True, help_text="The place, or “Virtual”.")
    chair = PersonRefSerializer(read_only=True, allow_null=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "url", "label", "date", "is_virtual", "place", "where", "chair", "state", "available_actions"]
        read_only_fields = fields

    @extend_schema_field(MeetingMoveSerializer(many=True))
    def get_available_actions(self, meeting: Meeting) -> list[dict[str, str]]:
        """The moves open to the caller now (OCT's alone)."""
        if not can_manage_meetings(self.context["request"].user):
            return []
        return _moves(MEETING_TRANSITIONS.available(meeting.state, by=OCT))


class CascadeBriefingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-committee-cascade-briefing-detail")
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", read_only=True)
    working_group = WorkingGroupRefSerializer(read_only=True)
    recorded_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = CascadeBriefing
        fields = [
            "id",
            "url",
            "meeting",
            "agenda_item",
            "working_group",
            "briefed_on",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class AgendaItemSerializer(serializers.Serializer):
    """One row of the agenda as the caller may see it."""

    id = serializers.IntegerField(source="item.id")
    position = serializers.IntegerField(source="item.position")
    kind = serializers.ChoiceField(source="item.kind", choices=AgendaItem.Kind.choices)
    title = serializers.CharField(source="item.title")
    presenter = EntityRefSerializer(source="item.presenter", allow_null=True)
    submission = serializers.SerializerMethodField()
    cascade = CascadeBriefingSerializer(many=True)
    may_record_cascade = serializers.BooleanField(
        help_text="Whether the caller may record briefing one of their working groups on this item."
    )

    @extend_schema_field(OpenApiTypes.INT)
    def get_submission(self, row: AgendaRow) -> int | None:
        """A working group's briefing: its submission's id, only if the caller may read it."""
        return row.item.submission_id if row.briefing_readable else None


class AttendanceSerializer(serializers.ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True, allow_null=True)
    present = serializers.CharField(read_only=True, help_text="The person's name as the record shows it.")

    class Meta:
        model = Attendance
        fields = ["id", "entity", "person", "person_name", "present"]
        read_only_fields = fields


class MeetingDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "number", "text"]
        read_only_fields = fields


class ActionPointSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-committee-action-point-detail")
    owner_entity = EntityRefSerializer(read_only=True, allow_null=True)
    owner_group = WorkingGroupRefSerializer(read_only=True, allow_null=True)
    done_by = PersonRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "url",
            "meeting",
            "text",
            "owner_entity",
            "owner_group",
            "due_on",
            "status",
            "overdue",
            "done_at",
            "done_by",
            "available_actions",
        ]
        read_only_fields = fields

    def get_overdue(self, point: ActionPoint) -> bool:
        """Open past its due date."""
        return point.status == ActionPoint.Status.OPEN and point.due_on < timezone.localdate()

    @extend_schema_field(ActionPointMoveSerializer(many=True))
    def get_available_actions(self, point: ActionPoint) -> list[dict[str, str]]:
        """The moves open to the caller: its owners mark it done; OCT also drops and reopens."""
        user = self.context["request"].user
        if "owned_action_points" not in self.context:  # once per response, shared by a list's rows
            self.context["owned_action_points"] = action_points_owned_by(user)
        return _moves(action_point_moves(user, point, owned=point.pk in self.context["owned_action_points"]))


class BriefingPackSerializer(serializers.ModelSerializer):
    """A briefing pack of the meeting (the agenda with the linked briefings, as a PDF)."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportEdition
        fields = [
            "id",
            "number",
            "status",
            "progress",
            "stage",
            "error",
            "pages",
            "size",
            "sha256",
            "classification",
            "requested_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, pack: ReportEdition) -> str | None:
        """The PDF, once generated."""
        if pack.status != ReportEdition.Status.DONE:
            return None
        return self.context["request"].build_absolute_uri(reverse("reporting-edition-download", args=[pack.pk]))


class MeetingDetailSerializer(MeetingSerializer):
    quorum_note = serializers.CharField(read_only=True)
    minutes_readable = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    minutes_classification = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()
    decisions = MeetingDecisionSerializer(many=True, read_only=True)
    action_points = serializers.SerializerMethodField()
    briefing_packs = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "quorum_note",
            "created_at",
            "minutes_readable",
            "minutes",
            "minutes_classification",
            "agenda",
            "attendance",
            "decisions",
            "action_points",
            "briefing_packs",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    def get_minutes_readable(self, meeting: Meeting) -> bool:
        """OCT reads minutes being written; the Committee reads approved ones; both within clearance."""
        return can_read_minutes(self._user(), meeting)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, meeting: Meeting) -> str | None:
        """The minutes, or null for a caller who may not read them."""
        return meeting.minutes if can_read_minutes(self._user(), meeting) else None

    @extend_schema_field(serializers.ChoiceField(choices=Classification.choices, allow_null=True))
    def get_minutes_classification(self, meeting: Meeting) -> str | None:
        """How the minutes are marked; null when they are not readable."""
        return meeting.minutes_classification if can_read_minutes(self._user(), meeting) else None

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, meeting: Meeting) -> list[dict[str, Any]]:
        rows = agenda_rows(self._user(), meeting)
        return AgendaItemSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendance(self, meeting: Meeting) -> list[dict[str, Any]]:
        rows = meeting.attendance.select_related("entity", "person")
        return AttendanceSerializer(rows, many=True).data

    @extend_schema_field(ActionPointSerializer(many=True))
    def get_action_points(self, meeting: Meeting) -> list[dict[str, Any]]:
        points = [row.point for row in action_rows(self._user(), meeting)]
        return ActionPointSerializer(points, many=True, context=self.context).data

    @extend_schema_field(BriefingPackSerializer(many=True))
    def get_briefing_packs(self, meeting: Meeting) -> list[dict[str, Any]]:
        """Newest first: every pack for OCT, the generated ones within clearance for the Committee."""
        packs = briefing_packs_visible_to(self._user(), meeting)
        return BriefingPackSerializer(packs, many=True, context=self.context).data


# --- Serializers: input ------------------------------------------------------------------------------


class MeetingWriteSerializer(serializers.Serializer):
    """A meeting's fields (POST: ``date``, and ``place`` unless virtual; PATCH: those that change)."""

    date = serializers.DateField()
    is_virtual = serializers.BooleanField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    chair = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="A user's id; the Under-Secretary-General when left out at creation.",
    )
    quorum_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MeetingTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=MEETING_ACTIONS)


class MeetingConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=Meeting.State.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=MEETING_ACTIONS))


class MinutesWriteSerializer(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True, max_length=50_000)
    classification = serializers.ChoiceField(
        choices=Classification.choices, help_text="No higher than the officer's own clearance."
    )
    quorum_note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Left out: the quorum note stays."
    )


class AgendaBuildSerializer(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.all(), help_text="A quarterly-briefing period's id."
    )


class AgendaBuildResultSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Items added now (0 when every accepted briefing is on already).")
    meeting = MeetingDetailSerializer()


class AgendaItemAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HAND_KINDS, help_text="Working-group briefings come from ``build``.")
    title = serializers.CharField(max_length=300)
    presenter = EntityAcronymField(
        required=False, allow_null=True, help_text="Acronym of OCT or an entity; required for a policy briefing."
    )


class AgendaItemChangeSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    presenter = EntityAcronymField(
        required=False, allow_null=True, help_text="Acronym; required for a policy briefing. Left out: none."
    )


class AgendaMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=DIRECTIONS)


class AttendanceSetSerializer(serializers.Serializer):
    entity = EntityAcronymField(help_text="The entity's acronym; its earlier record, if any, is replaced.")
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="A registered user's id.",
    )
    person_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Or the name of someone with no account."
    )


class DecisionAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=50_000)


class ActionPointAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=50_000)
    due_on = serializers.DateField()
    owner_entity = EntityAcronymField(required=False, allow_null=True, help_text="Acronym of the owning entity.")
    owner_group = serializers.PrimaryKeyRelatedField(
        queryset=WorkingGroup.objects.all(),
        required=False,
        allow_null=True,
        help_text="Or the owning working group's id (one owner, not both).",
    )


class ActionPointTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_POINT_ACTIONS)


class ActionPointConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionPoint.Status.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=ACTION_POINT_ACTIONS))


class CascadeRecordSerializer(serializers.Serializer):
    # Named as the service (and the page's form) name it, so its errors land on this field.
    group = serializers.PrimaryKeyRelatedField(
        queryset=WorkingGroup.objects.all(), help_text="The id of a working group the caller's entity takes part in."
    )
    briefed_on = serializers.DateField(help_text="On or after the Committee meeting.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


# --- Filters --------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class MeetingFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Meeting.State.choices)
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="Meetings on or after this day (YYYY-MM-DD)."
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lt", help_text="Meetings before this day (YYYY-MM-DD)."
    )

    class Meta:
        model = Meeting
        fields = ["state", "date_after", "date_before"]


class ActionPointFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionPoint.Status.choices)
    meeting = IdFilter(field_name="meeting", help_text="A meeting's id.")
    owner_entity = django_filters.CharFilter(
        field_name="owner_entity__acronym", lookup_expr="iexact", help_text="The owning entity's acronym."
    )
    owner_group = IdFilter(field_name="owner_group", help_text="The owning working group's id.")
    mine = django_filters.BooleanFilter(
        method="filter_mine", help_text="true: the open action points the caller owns (as on their home page)."
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="true: open and past the due date.")

    class Meta:
        model = ActionPoint
        fields = ["status", "meeting", "owner_entity", "owner_group", "mine", "overdue"]

    def filter_mine(self, points: QuerySet[ActionPoint], name: str, value: bool | None) -> QuerySet[ActionPoint]:
        owned = Q(pk__in=open_action_points_for(self.request.user).values("pk"))
        return points.filter(owned) if value else points.exclude(owned)

    def filter_overdue(self, points: QuerySet[ActionPoint], name: str, value: bool | None) -> QuerySet[ActionPoint]:
        late = Q(status=ActionPoint.Status.OPEN, due_on__lt=timezone.localdate())
        return points.filter(late) if value else points.exclude(late)


class CascadeBriefingFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="agenda_item__meeting", help_text="A meeting's id.")
    agenda_item = IdFilter(field_name="agenda_item", help_text="An agenda item's id.")
    working_group = IdFilter(field_name="working_group", help_text="A working group's id.")

    class Meta:
        model = CascadeBriefing
        fields = ["meeting", "agenda_item", "working_group"]


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
        """Plan a meeting (OCT): ``date``, ``place`` unless ``is_virtual``, ``chair`` (the USG
        when left out) and ``quorum_note``."""
        _manager_or_404(request)
        form = MeetingWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        meeting = _service_call(lambda: services.meeting_create(actor=request.user, **form.validated_data))
        return self._detail(meeting, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=MeetingWriteSerializer,
        responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the fields sent (OCT), until the minutes are approved."""
        meeting = self._managed()
        form = MeetingWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        fields = {name: value for name, value in form.validated_data.items() if name in MEETING_FIELDS}
        _service_call(lambda: services.meeting_update(meeting=meeting, actor=request.user, **fields))
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
            _service_call(lambda: services.meeting_act(meeting=meeting, action=action_name, actor=request.user))
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
        request=None,
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
        pack = _service_call(lambda: edition_request(report=meeting, actor=request.user))
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
        _service_call(lambda: services.minutes_save(meeting=meeting, actor=request.user, **form.validated_data))
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
        added = _service_call(
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
        _service_call(lambda: services.agenda_item_add(meeting=meeting, actor=request.user, **form.validated_data))
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
        _service_call(lambda: services.attendance_set(meeting=meeting, actor=request.user, **form.validated_data))
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
        _service_call(lambda: services.attendance_remove(attendance=row, actor=request.user))
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
        _service_call(lambda: services.decision_add(meeting=meeting, actor=request.user, **form.validated_data))
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
        point = _service_call(
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
        _service_call(lambda: services.agenda_item_update(item=item, actor=request.user, **form.validated_data))
        return self._meeting(request, item.meeting_id)

    @extend_schema(request=None, responses={200: MeetingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404})
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove the item (OCT); the others close up. An item Committee members recorded
        briefing their groups on stays (400)."""
        item = self._item(request, pk)
        _service_call(lambda: services.agenda_item_remove(item=item, actor=request.user))
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
        _service_call(lambda: services.agenda_item_move(item=item, actor=request.user, direction=direction))
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
        cascade = _service_call(
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
            point = _service_call(
                lambda: services.action_point_act(point=point, action=action_name, actor=request.user)
            )
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
