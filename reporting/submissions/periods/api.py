"""The reporting API's periods (OCT schedules, opens and closes them; its dashboard) and the
working groups' work plans (read-only here).

Periods are part of the unclassified calendar and work plans of the registry: any signed-in
user reads them. Writes go through ``reporting.submissions.services``; a period's dashboard is OCT's and
answers 404 to anyone else, as if it did not exist.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.filters import DjangoFilterBackend, FilterSet
from compact.registry.api_permissions import CanReadRegistry
from compact.registry.serializers import service_error_detail
from reporting.submissions.api_permissions import CanManagePeriods
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.periods.services import period_close, period_create, period_open, period_reopen
from reporting.submissions.permissions import can_manage_periods
from reporting.submissions.selectors import period_dashboard, periods_visible_to
from reporting.submissions.serializers import (
    PeriodDashboardSerializer,
    PeriodOpenedSerializer,
    ReportingPeriodCreateSerializer,
    ReportingPeriodSerializer,
    WorkPlanDetailSerializer,
    WorkPlanSerializer,
)
from workinggroups.models import WorkPlan, WorkPlanActivity, WorkPlanOutput
from workinggroups.selectors import workinggroups_visible_to


class PeriodStateConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=ReportingPeriod.State.choices)


class PeriodReopenSerializer(serializers.Serializer):
    closes_on = serializers.DateField(help_text="The new closing day: today or later, not before the due date.")
    reason = serializers.CharField(max_length=2000, help_text="Why: e-mailed to the leaders of unfinished groups.")


class ReportingPeriodFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=ReportingPeriod.State.choices)
    kind = django_filters.ChoiceFilter(choices=ReportingPeriod.Kind.choices)

    class Meta:
        model = ReportingPeriod
        fields = ["state", "kind"]


OCT_ONLY = OpenApiResponse(description="The caller is not the OCT secretariat.")


@extend_schema_view(
    list=extend_schema(description="Reporting periods, latest due date first. Any signed-in user."),
    retrieve=extend_schema(description="One reporting period. Any signed-in user."),
)
class ReportingPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reporting rounds: quarterly briefings and mid-year / end-of-year progress reports."""

    serializer_class = ReportingPeriodSerializer
    filterset_class = ReportingPeriodFilter
    ordering_fields = ["due_on", "opens_on", "covers_from"]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("create", "open", "close", "reopen"):
            return [CanManagePeriods()]
        return [CanReadRegistry()]

    def get_queryset(self) -> QuerySet[ReportingPeriod]:
        return periods_visible_to(self.request.user)

    @extend_schema(
        request=ReportingPeriodCreateSerializer,
        responses={
            201: ReportingPeriodSerializer,
            400: OpenApiResponse(description="Field errors, e.g. a span that ends before it starts."),
            403: OCT_ONLY,
        },
    )
    def create(self, request: Request) -> Response:
        """Schedule a reporting period (OCT). It opens with ``POST …/{id}/open/``."""
        form = ReportingPeriodCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            period = period_create(**form.validated_data, actor=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        body = ReportingPeriodSerializer(period, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: PeriodOpenedSerializer, 403: OCT_ONLY, 409: PeriodStateConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        """Open a scheduled period (OCT): a draft appears for every working group active at its
        end, a progress report's pre-filled with the work plan's activities."""
        period = self.get_object()
        try:
            created = period_open(period=period, actor=request.user)
        except DjangoValidationError as error:
            return self._state_conflict(period, error)
        period.drafts_created = created
        return Response(PeriodOpenedSerializer(period, context=self.get_serializer_context()).data)

    @extend_schema(
        request=None,
        responses={200: ReportingPeriodSerializer, 403: OCT_ONLY, 409: PeriodStateConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close an open period (OCT)."""
        period = self.get_object()
        try:
            period_close(period=period, actor=request.user)
        except DjangoValidationError as error:
            return self._state_conflict(period, error)
        return Response(ReportingPeriodSerializer(period, context=self.get_serializer_context()).data)

    @extend_schema(
        request=PeriodReopenSerializer,
        responses={
            200: ReportingPeriodSerializer,
            400: OpenApiResponse(description="A missing reason, or a closing day in the past or before the due date."),
            403: OCT_ONLY,
            409: PeriodStateConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """Reopen a closed period until a new closing day (OCT), with a reason: the groups whose
        input is not accepted may change and submit it again, and their leaders are e-mailed.
        Once a period is closed its inputs are read-only for the groups."""
        period = self.get_object()
        form = PeriodReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            period_reopen(period=period, actor=request.user, **form.validated_data)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError(service_error_detail(error)) from error
            return self._state_conflict(period, error)
        return Response(ReportingPeriodSerializer(period, context=self.get_serializer_context()).data)

    def _state_conflict(self, period: ReportingPeriod, error: DjangoValidationError) -> Response:
        period.refresh_from_db(fields=["state"])
        body = {"detail": " ".join(error.messages), "state": period.state}
        return Response(PeriodStateConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)

    @extend_schema(
        responses={
            200: PeriodDashboardSerializer,
            404: OpenApiResponse(description="No such period, or the caller is not the OCT secretariat."),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def dashboard(self, request: Request, pk: str) -> Response:
        """Every working group expected to report × where it stands (not started, draft,
        submitted, returned, accepted, late), with the reporting rate and the on-time rate. OCT."""
        if not can_manage_periods(request.user):
            raise Http404
        dashboard = period_dashboard(self.get_object())
        return Response(PeriodDashboardSerializer(dashboard).data)


class WorkPlanFilter(FilterSet):
    class Meta:
        model = WorkPlan
        fields = ["working_group", "biennium_start"]


@extend_schema_view(
    list=extend_schema(description="Work plans by group and biennium (latest first). Any signed-in user."),
    retrieve=extend_schema(description="One work plan with its outputs and their activities."),
)
class WorkPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The working groups' work plans per biennium: outputs, activities with their lead
    entities, target dates, Strategy pillars and status. Read-only in the API."""

    filterset_class = WorkPlanFilter
    ordering_fields = ["biennium_start", "updated_at"]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[WorkPlan]:
        # Work plans belong to the registry: readable with the working groups themselves.
        groups = workinggroups_visible_to(self.request.user)
        plans = WorkPlan.objects.filter(working_group__in=groups).select_related("working_group")
        if self.action != "retrieve":
            return plans
        activities = WorkPlanActivity.objects.order_by("position", "id").prefetch_related("lead_entities")
        outputs = WorkPlanOutput.objects.order_by("position", "id").prefetch_related(
            Prefetch("activities", queryset=activities)
        )
        return plans.prefetch_related(Prefetch("outputs", queryset=outputs))

    def get_serializer_class(self) -> type[WorkPlanSerializer]:
        return WorkPlanDetailSerializer if self.action == "retrieve" else WorkPlanSerializer
