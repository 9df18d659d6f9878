"""The reporting calendar's API: OCT's rule per kind of period and the schedule the rules make,
the working groups' requests for more time, and the scheduler's log.

The calendar, its schedule and the log are OCT's: anyone else signed in gets an empty list and
a 404 for a rule or an event, exactly as for one that does not exist (as with the sign-on
queue). An extension request is read by OCT, within its clearance, and by the chair and
vice-chairs of the group that asked; for anyone else it does not exist. Someone who may read a
request but not make a move on it gets a 403; a move the table does not allow now, or one
someone else made first, is a 409 that says where the request stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.fields import IntegerField, ModelSerializer
from compact.core.api.filters import DjangoFilterBackend, FilterSet, IdFilter
from compact.lib.integers import column_type
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.registry.serializers import WorkingGroupRefSerializer, person_name, service_error_detail
from reporting.calendar.models import CalendarRule, ExtensionRequest, SchedulerEvent
from reporting.calendar.selectors import (
    calendar_rules_visible_to,
    extension_requests_visible_to,
    scheduler_events_visible_to,
)
from reporting.calendar.services import (
    RULE_FIELDS,
    PlannedPeriod,
    calendar_rule_update,
    calendar_upcoming,
    extension_act,
    extension_request_create,
    rule_plan,
    scheduler_day,
)
from reporting.calendar.workflow import EXTENSION_TRANSITIONS
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.permissions import can_manage_calendar, extension_moves
from reporting.submissions.selectors import submissions_visible_to
from reporting.submissions.serializers import PeriodRefSerializer

# Every move on an extension request (the schema's ``ExtensionActionEnum``).
EXTENSION_ACTIONS = [(t.action, str(t.label)) for t in EXTENSION_TRANSITIONS]
# How many of a kind's coming periods a rule shows.
NEXT_PERIODS = 2

OCT_ONLY_404 = OpenApiResponse(description="No such thing, or the caller is not the OCT secretariat.")
NOT_READABLE = OpenApiResponse(description="No such request, or the caller may not read it.")


def next_periods(rule: CalendarRule, *, now: datetime.datetime | None = None) -> list[PlannedPeriod]:
    """The rule's coming periods not closed yet (the running one first, if any), as the
    scheduler will lay them out. Last year's is looked at too: an end-of-year report due in
    January is still running in the new year."""
    today = scheduler_day(now or timezone.now(), rule.time_zone)
    plans = (rule_plan(rule, year) for year in range(today.year - 1, today.year + 2))
    return [plan for plan in plans if plan.closes_on >= today][:NEXT_PERIODS]


# --- Serializers ----------------------------------------------------------------------------------


class PlannedPeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportingPeriod.Kind.choices)
    label = serializers.CharField(help_text="For people: kind and span.")
    covers_from = serializers.DateField()
    covers_until = serializers.DateField()
    opens_on = serializers.DateField(help_text="The scheduler creates and opens the period on this day.")
    due_on = serializers.DateField()
    closes_on = serializers.DateField(help_text="The scheduler closes the period after this day.")
    time_zone = serializers.CharField(help_text="The days begin and end in this time zone.")
    reminders_on = serializers.ListField(
        child=serializers.DateField(), help_text="Days the leaders of a group still drafting are reminded."
    )
    escalations_on = serializers.ListField(
        child=serializers.DateField(), help_text="Days OCT is told about a group that has not submitted."
    )


DAYS_HELP = "Whole numbers of days, each once, 0 to 366."


class CalendarRuleSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-calendar-rule-detail", lookup_field="kind")
    label = serializers.CharField(source="get_kind_display", read_only=True)
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Days before the due date, latest first."
    )
    escalation_days = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Days after the due date."
    )
    updated_by = serializers.SerializerMethodField()
    next_periods = serializers.SerializerMethodField()

    class Meta:
        model = CalendarRule
        fields = ["url", "kind", "label", *RULE_FIELDS, "updated_at", "updated_by", "next_periods"]
        read_only_fields = fields

    def get_updated_by(self, rule: CalendarRule) -> str | None:
        """Who last changed the rule (none for the defaults)."""
        return person_name(rule.updated_by)

    @extend_schema_field(PlannedPeriodSerializer(many=True))
    def get_next_periods(self, rule: CalendarRule) -> list[dict[str, Any]]:
        """The next two periods of this kind not closed yet, with their dates under the rule."""
        return PlannedPeriodSerializer(next_periods(rule), many=True).data


class CalendarRuleChangeSerializer(serializers.Serializer):
    """A change to one kind's calendar (PATCH: the fields sent; PUT: all of them). The
    representation's read-only fields may be sent back and are ignored; any other name is a 400."""

    active = serializers.BooleanField(help_text="Whether the scheduler opens periods of this kind by itself.")
    due_month = IntegerField(db_type=column_type(CalendarRule, "due_month"), help_text="1 to 12.")
    due_day = IntegerField(
        db_type=column_type(CalendarRule, "due_day"), help_text="A day that exists in every year of that month."
    )
    due_following_year = serializers.BooleanField(
        help_text="Due in the year after the one the period covers (the end-of-year report, the fourth quarter)."
    )
    opens_days_before_due = IntegerField(
        db_type=column_type(CalendarRule, "opens_days_before_due"), help_text="1 to 366."
    )
    closes_days_after_due = IntegerField(
        db_type=column_type(CalendarRule, "closes_days_after_due"), help_text="0 to 366."
    )
    reminder_days = serializers.ListField(
        child=IntegerField(), allow_empty=True, help_text=f"Before the due date. {DAYS_HELP}"
    )
    escalation_days = serializers.ListField(
        child=IntegerField(), allow_empty=True, help_text=f"After the due date. {DAYS_HELP}"
    )
    time_zone = serializers.CharField(max_length=64, help_text="An IANA time zone, e.g. America/New_York.")

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            known = set(CalendarRuleSerializer.Meta.fields)
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("There is no such field in a calendar rule.")] for name in unknown}
                )
        return super().to_internal_value(data)


class ExtensionActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=EXTENSION_ACTIONS)
    label = serializers.CharField()
    comment = serializers.ChoiceField(
        choices=["required", "optional", "none"], help_text="Whether the move takes a comment."
    )


class ExtensionRequestSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-extension-request-detail")
    submission = serializers.PrimaryKeyRelatedField(read_only=True)
    period = PeriodRefSerializer(source="submission.period", read_only=True)
    working_group = WorkingGroupRefSerializer(source="submission.working_group", read_only=True)
    due_on = serializers.DateField(
        source="submission.due_on", read_only=True, help_text="The group's due date now, with any extension granted."
    )
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "url",
            "submission",
            "period",
            "working_group",
            "status",
            "due_before",
            "requested_until",
            "granted_until",
            "due_on",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields

    def get_requested_by(self, extension: ExtensionRequest) -> str | None:
        return person_name(extension.requested_by)

    def get_decided_by(self, extension: ExtensionRequest) -> str | None:
        """The OCT officer who approved or declined it."""
        return person_name(extension.decided_by)


class ExtensionRequestDetailSerializer(ExtensionRequestSerializer):
    available_actions = serializers.SerializerMethodField()

    class Meta(ExtensionRequestSerializer.Meta):
        fields = [*ExtensionRequestSerializer.Meta.fields, "available_actions"]
        read_only_fields = fields

    @extend_schema_field(ExtensionActionSerializer(many=True))
    def get_available_actions(self, extension: ExtensionRequest) -> list[dict[str, Any]]:
        moves = extension_moves(self.context["request"].user, extension)
        return [{"action": t.action, "label": str(t.label), "comment": t.message} for t in moves]


class ExtensionRequestCreateSerializer(serializers.Serializer):
    submission = IntegerField(help_text="The id of the group's draft.")
    until = serializers.DateField(
        help_text="The new due date asked for: after the current one, and no later than the period closes."
    )
    reason = serializers.CharField(allow_blank=True, max_length=10000, help_text="Why the group needs more time.")


class ExtensionTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=EXTENSION_ACTIONS)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Required to decline; optional when approving; shown to the group's leaders.",
    )
    until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="When approving (and only then): a different new due date than the one asked for.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("until") is not None and attrs["action"] != "approve":
            raise serializers.ValidationError({"until": [_("Give a date only when approving.")]})
        return attrs


class ExtensionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.ChoiceField(choices=ExtensionRequest.Status.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=EXTENSION_ACTIONS))


class SchedulerEventSerializer(ModelSerializer):
    period = PeriodRefSerializer(read_only=True, allow_null=True)
    submission = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    working_group = WorkingGroupRefSerializer(
        source="submission.working_group", read_only=True, allow_null=True, default=None
    )
    label = serializers.CharField(source="get_kind_display", read_only=True)
    recipients = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="E-mail addresses.")

    class Meta:
        model = SchedulerEvent
        fields = [
            "id",
            "key",
            "kind",
            "label",
            "period",
            "submission",
            "working_group",
            "recipients",
            "detail",
            "created_at",
        ]
        read_only_fields = fields


# --- Filters --------------------------------------------------------------------------------------


class ExtensionRequestFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=ExtensionRequest.Status.choices)
    submission = IdFilter(field_name="submission", help_text="A submission's id.")
    period = IdFilter(field_name="submission__period", help_text="A reporting period's id.")

    class Meta:
        model = ExtensionRequest
        fields = ["status", "submission", "period"]


class SchedulerEventFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=SchedulerEvent.Kind.choices)
    period = IdFilter(field_name="period", help_text="A reporting period's id.")
    submission = IdFilter(field_name="submission", help_text="A submission's id.")
    created_after = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="From this moment on (ISO 8601; a date means midnight)."
    )
    created_before = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="Before this moment (ISO 8601; a date means midnight)."
    )

    class Meta:
        model = SchedulerEvent
        fields = ["kind", "period", "submission", "created_after", "created_before"]


# --- Views ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="The calendar: one rule per kind of period. Empty for anyone but OCT."),
    retrieve=extend_schema(
        description="One kind's rule, with its next two periods as the scheduler will lay them out. OCT only.",
        responses={200: CalendarRuleSerializer, 404: OCT_ONLY_404},
    ),
)
class CalendarRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """When each kind of period opens, is due and closes, and when its chairs are chased."""

    serializer_class = CalendarRuleSerializer
    lookup_field = "kind"
    lookup_value_regex = r"[a-z0-9-]+"
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[CalendarRule]:
        return calendar_rules_visible_to(self.request.user)

    @extend_schema(
        request=CalendarRuleChangeSerializer,
        responses={
            200: CalendarRuleSerializer,
            400: OpenApiResponse(description="Field errors: a day that does not exist, a bad list, a time zone…"),
            404: OCT_ONLY_404,
        },
    )
    def update(self, request: Request, kind: str) -> Response:
        """Replace one kind's calendar (OCT); every field is required."""
        return self._change(request, partial=False)

    @extend_schema(
        request=CalendarRuleChangeSerializer,
        responses={
            200: CalendarRuleSerializer,
            400: OpenApiResponse(description="Field errors: a day that does not exist, a bad list, a time zone…"),
            404: OCT_ONLY_404,
        },
    )
    def partial_update(self, request: Request, kind: str) -> Response:
        """Change one kind's calendar (OCT): the fields sent. Applies to periods the scheduler
        has not created yet; reminder and escalation days apply at once to open periods too.
        A refused change leaves the rule as it was."""
        return self._change(request, partial=True)

    def _change(self, request: Request, *, partial: bool) -> Response:
        rule = self.get_object()
        form = CalendarRuleChangeSerializer(data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        try:
            rule = calendar_rule_update(rule=rule, actor=request.user, changes=dict(form.validated_data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return Response(CalendarRuleSerializer(rule, context=self.get_serializer_context()).data)


class CalendarScheduleViewSet(viewsets.GenericViewSet):
    """The periods the scheduler will open or is running, soonest due first."""

    serializer_class = PlannedPeriodSerializer
    filter_backends: list[type] = []
    pagination_class = None

    @extend_schema(responses={200: PlannedPeriodSerializer(many=True)})
    def list(self, request: Request) -> Response:
        """The next periods of every scheduled kind that are not closed yet, soonest due first,
        with their opening, due and closing days and the days of reminders and escalations
        (at most 12). Empty for anyone but OCT."""
        plans = calendar_upcoming() if can_manage_calendar(request.user) else []
        return Response(PlannedPeriodSerializer(plans, many=True).data)


@extend_schema_view(
    list=extend_schema(
        description="The requests the caller may read, newest first: OCT all within its clearance, a group's "
        "chair and vice-chairs their group's. Empty for anyone else."
    ),
    retrieve=extend_schema(
        description="One request, with the moves the caller may make.",
        responses={200: ExtensionRequestDetailSerializer, 404: NOT_READABLE},
    ),
)
class ExtensionRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A group's request to OCT for a later due date on one submission."""

    filterset_class = ExtensionRequestFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        return extension_requests_visible_to(self.request.user)

    def get_serializer_class(self) -> type[ExtensionRequestSerializer]:
        return ExtensionRequestSerializer if self.action == "list" else ExtensionRequestDetailSerializer

    def _detail(self, extension: ExtensionRequest, *, code: int = status.HTTP_200_OK) -> Response:
        # Read again through the scope: the service changed the request and the due date.
        current = self.get_queryset().filter(pk=extension.pk).first()
        if current is None:
            raise Http404
        body = ExtensionRequestDetailSerializer(current, context=self.get_serializer_context()).data
        return Response(body, status=code)

    @extend_schema(
        request=ExtensionRequestCreateSerializer,
        responses={
            201: ExtensionRequestDetailSerializer,
            400: OpenApiResponse(
                description="Field errors: no such submission (or one the caller may not read), a date not after "
                "the due date or after the period closes, no reason, a request already waiting, a report "
                "already submitted."
            ),
            403: OpenApiResponse(description="The caller may read the submission but does not lead its group."),
        },
    )
    def create(self, request: Request) -> Response:
        """Ask OCT for more time (the group's chair or a vice-chair, while the input is a draft
        in an open period). OCT is e-mailed."""
        form = ExtensionRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        submission = submissions_visible_to(request.user).filter(pk=data["submission"]).first()
        if submission is None:
            raise serializers.ValidationError({"submission": [_("There is no such submission.")]})
        try:
            extension = extension_request_create(
                submission=submission, actor=request.user, until=data["until"], reason=data["reason"]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return self._detail(extension, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ExtensionTransitionSerializer,
        responses={
            200: ExtensionRequestDetailSerializer,
            400: OpenApiResponse(description="Field errors: a missing comment (decline), a bad date (approve)…"),
            403: OpenApiResponse(description="The caller may read the request but not make this move."),
            404: NOT_READABLE,
            409: ExtensionConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one move: OCT approves (optionally with another ``until`` than asked; the group's
        due date moves, and reminders, escalations and the on-time mark follow it) or declines
        (comment required); the group's chair or a vice-chair withdraws. The group's leaders are
        e-mailed OCT's decision."""
        extension = self.get_object()
        move = ExtensionTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        action_name = move.validated_data["action"]
        try:
            extension_act(
                request=extension,
                action=action_name,
                actor=request.user,
                comment=move.validated_data.get("comment", ""),
                until=move.validated_data.get("until"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        except TransitionNotAllowedError:
            return self._conflict(extension, _not_allowed(action_name, extension.status))
        except StaleStateError as error:
            return self._conflict(extension, str(error))
        return self._detail(extension)

    def _conflict(self, extension: ExtensionRequest, detail: str) -> Response:
        extension.refresh_from_db(fields=["status"])
        moves = [t.action for t in extension_moves(self.request.user, extension)]
        body = {"detail": detail, "status": extension.status, "available_actions": moves}
        return Response(ExtensionConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)


@extend_schema_view(
    list=extend_schema(description="What the scheduler did, newest first. Empty for anyone but OCT."),
    retrieve=extend_schema(
        description="One thing the scheduler did. OCT only.",
        responses={200: SchedulerEventSerializer, 404: OCT_ONLY_404},
    ),
)
class SchedulerEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The scheduler's log: each period it created, opened or closed, each reminder, escalation
    and digest it sent, each report it started — once each."""

    serializer_class = SchedulerEventSerializer
    filterset_class = SchedulerEventFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[SchedulerEvent]:
        return scheduler_events_visible_to(self.request.user)


def _not_allowed(action_name: str, status_value: str) -> str:
    return _("“%(action)s” is not possible while the request is “%(status)s”.") % {
        "action": EXTENSION_TRANSITIONS.get(action_name).label,
        "status": ExtensionRequest.Status(status_value).label,
    }
