"""The Coordination Committee meetings API's serializers and filters (what goes in and out), apart
from its views (``reporting.committee.api``). Output serializers read through the committee
selectors, so every list shows only what the caller may see; input serializers only parse."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from compact.core.api.fields import ModelSerializer, PrimaryKeyRelatedField
from compact.core.api.filters import FilterSet, IdFilter
from compact.core.models import Classification, User
from compact.matrix.api import EntityAcronymField
from compact.registry.serializers import EntityRefSerializer, WorkingGroupRefSerializer
from compact.signon.api import PersonRefSerializer
from reporting.committee.models import ActionPoint, AgendaItem, Attendance, CascadeBriefing, Decision, Meeting
from reporting.committee.permissions import (
    action_point_moves,
    can_manage_meetings,
    can_read_minutes,
)
from reporting.committee.selectors import (
    AgendaRow,
    action_points_owned_by,
    action_points_visible_to,
    action_rows,
    agenda_rows,
    briefing_packs_visible_to,
    open_action_points_for,
)
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS, OCT
from reporting.compiled.models import ReportEdition
from reporting.submissions.models import ReportingPeriod
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


def _manager_or_404(request: Request) -> None:
    """OCT prepares and records meetings; for anyone else the editing routes do not exist
    (as the editing pages). Checked before the input is read, so it reveals nothing."""
    if not can_manage_meetings(request.user):
        raise Http404


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


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "09:30"})
class ClockTimeField(serializers.TimeField):
    """A time of day on the meeting's clock ("09:30"), read in its ``time_zone``. Not an RFC 3339
    ``time`` (which carries an offset): the offset depends on the date, so ``starts_at`` gives it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


def _moves(transitions: Any) -> list[dict[str, str]]:
    return [{"action": t.action, "label": str(t.label)} for t in transitions]


class MeetingSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-committee-meeting-detail")
    label = serializers.CharField(source="__str__", read_only=True)
    where = serializers.CharField(read_only=True, help_text="The place, or “Virtual”.")
    starts_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it starts (null for a meeting recorded without times)."
    )
    ends_at = serializers.DateTimeField(read_only=True, allow_null=True)
    start_time = ClockTimeField(read_only=True, allow_null=True, help_text="HH:MM in ``time_zone``.")
    end_time = ClockTimeField(read_only=True, allow_null=True, help_text="HH:MM in ``time_zone``.")
    when = serializers.CharField(
        read_only=True, help_text="Date and times in the meeting's zone, as people read them (or “time not set”)."
    )
    calendar_url = serializers.SerializerMethodField()
    chair = PersonRefSerializer(read_only=True, allow_null=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "label",
            "date",
            "start_time",
            "end_time",
            "time_zone",
            "starts_at",
            "ends_at",
            "when",
            "is_virtual",
            "place",
            "where",
            "join_url",
            "join_details",
            "calendar_url",
            "chair",
            "state",
            "available_actions",
        ]
        read_only_fields = fields

    def get_calendar_url(self, meeting: Meeting) -> str:
        """The meeting's .ics file (the event of its invitation, same UID)."""
        return self.context["request"].build_absolute_uri(reverse("committee-meeting-ics", args=[meeting.pk]))

    @extend_schema_field(MeetingMoveSerializer(many=True))
    def get_available_actions(self, meeting: Meeting) -> list[dict[str, str]]:
        """The moves open to the caller now (OCT's alone)."""
        if not can_manage_meetings(self.context["request"].user):
            return []
        return _moves(MEETING_TRANSITIONS.available(meeting.state, by=OCT))


class CascadeBriefingSerializer(ModelSerializer):
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

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_submission(self, row: AgendaRow) -> int | None:
        """A working group's briefing: its submission's id, only if the caller may read it."""
        return row.item.submission_id if row.briefing_readable else None


class AttendanceSerializer(ModelSerializer):
    entity = EntityRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True, allow_null=True)
    present = serializers.CharField(read_only=True, help_text="The person's name as the record shows it.")

    class Meta:
        model = Attendance
        fields = ["id", "entity", "person", "person_name", "present"]
        read_only_fields = fields


class MeetingDecisionSerializer(ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "number", "text"]
        read_only_fields = fields


class ActionPointSerializer(ModelSerializer):
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


class BriefingPackRequestSerializer(serializers.Serializer):
    """What OCT may say when asking for a briefing pack."""

    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The language of the pack's fixed text (cover, headings, markings); English when left out.",
    )


class BriefingPackSerializer(ModelSerializer):
    """A briefing pack of the meeting (the agenda with the linked briefings, as a PDF)."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportEdition
        fields = [
            "id",
            "number",
            "language",
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
    """A meeting's fields (POST: ``date``, ``start_time``, ``end_time``, and ``place`` unless
    virtual, when ``join_url`` or ``join_details`` is needed; PATCH: those that change)."""

    date = serializers.DateField()
    start_time = ClockTimeField(required=False, allow_null=True, help_text="HH:MM in ``time_zone``.")
    end_time = ClockTimeField(required=False, allow_null=True, help_text="HH:MM, after ``start_time``.")
    time_zone = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="An IANA name; the site's zone when left out."
    )
    is_virtual = serializers.BooleanField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    join_url = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="An https:// link to join the call."
    )
    join_details = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Dial-in numbers or other ways to join."
    )
    chair = PrimaryKeyRelatedField(
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
    period = PrimaryKeyRelatedField(
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
    person = PrimaryKeyRelatedField(
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
    owner_group = PrimaryKeyRelatedField(
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
    group = PrimaryKeyRelatedField(
        queryset=WorkingGroup.objects.all(), help_text="The id of a working group the caller's entity takes part in."
    )
    briefed_on = serializers.DateField(help_text="On or after the Committee meeting.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


# --- Filters --------------------------------------------------------------------------------------


class MeetingFilter(FilterSet):
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


class ActionPointFilter(FilterSet):
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


class CascadeBriefingFilter(FilterSet):
    meeting = IdFilter(field_name="agenda_item__meeting", help_text="A meeting's id.")
    agenda_item = IdFilter(field_name="agenda_item", help_text="An agenda item's id.")
    working_group = IdFilter(field_name="working_group", help_text="A working group's id.")

    class Meta:
        model = CascadeBriefing
        fields = ["meeting", "agenda_item", "working_group"]
