"""The M&E framework's API: the indicators of the programmes of work with actual against
target (readers of the programme), OCT's changes to them, and a progress report's indicator
values (read by whoever reads the report; replaced by whoever may edit it).

As everywhere in the API, anything the caller may not read is a 404, exactly like something
that does not exist; something they may read but not change is a 403. The actuals count only
accepted progress reports the caller may read (their clearance must reach the report's).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.fields import IntegerField, ModelSerializer, PrimaryKeyRelatedField
from compact.core.api.viewsets import APIView
from compact.lib.integers import column_type
from compact.lib.workflow import EditConflictError, StaleStateError
from compact.registry.models import Pillar
from compact.registry.serializers import service_error_detail
from reporting.monitoring import services
from reporting.monitoring.framework import DIMENSION_KEYS, EnteredValue
from reporting.monitoring.selectors import (
    actual_against_target,
    biennium_periods,
    indicators_visible_to,
    submission_indicators,
)
from reporting.programme.models import Indicator, Priority, ProgrammeOfWork
from reporting.programme.permissions import can_manage_programme
from reporting.submissions.models import Submission
from reporting.submissions.permissions import can_edit_submission
from reporting.submissions.selectors import get_submission_for_user_or_404, submissions_visible_to
from workinggroups.models import WorkingGroup
from workinggroups.permissions import can_lead_group

NOT_READABLE = OpenApiResponse(description="No such indicator, or the caller may not read the programme of work.")
NO_SUBMISSION = OpenApiResponse(description="No such submission, or the caller may not read it.")


# --- Serializers ---------------------------------------------------------------------------------


class GroupRefSerializer(serializers.Serializer):
    working_group = serializers.IntegerField(source="id")
    number = serializers.IntegerField()
    label = serializers.CharField()


class GroupValueSerializer(serializers.Serializer):
    working_group = GroupRefSerializer(source="group")
    period_end = serializers.DateField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    submission = serializers.IntegerField(source="submission_id", allow_null=True)


class CategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    groups = serializers.IntegerField(help_text="How many groups gave a value for this category.")


class DimensionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=DIMENSION_KEYS)
    label = serializers.CharField()
    categories = CategorySerializer(many=True)
    unallocated = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="For a count: the part of the total not broken down.",
    )


class ActualSerializer(serializers.Serializer):
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    progress = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Per cent of the way from baseline to target."
    )
    target_met = serializers.BooleanField(allow_null=True)
    groups = GroupValueSerializer(many=True)
    not_reported = GroupRefSerializer(many=True)
    dimensions = DimensionSerializer(many=True)
    withheld = serializers.IntegerField(help_text="Groups whose accepted values are above the caller's clearance.")


class IndicatorSerializer(ModelSerializer):
    biennium = serializers.CharField(source="programme.biennium_label", read_only=True)
    disaggregation = serializers.ListField(child=serializers.ChoiceField(choices=DIMENSION_KEYS))
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices))
    priorities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    working_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actual = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "programme",
            "biennium",
            "position",
            "code",
            "name",
            "definition",
            "unit",
            "baseline",
            "baseline_year",
            "target",
            "direction",
            "aggregation",
            "disaggregation",
            "frequency",
            "pillars",
            "priorities",
            "working_groups",
            "actual",
        ]

    @extend_schema_field(ActualSerializer)
    def get_actual(self, indicator: Indicator) -> dict[str, Any]:
        """Actual against target so far: each group's latest accepted value of the biennium
        in a report the caller may read."""
        # Worked out once per response, not once per indicator of a list (the context is shared).
        cache = self.context.setdefault("actual_inputs", {})
        if "readable" not in cache:
            cache["readable"] = submissions_visible_to(self.context["request"].user)
        periods = cache.get(indicator.programme_id)
        if periods is None:
            periods = cache[indicator.programme_id] = list(biennium_periods(indicator.programme))
        result = actual_against_target(indicator, periods=periods, readable=cache["readable"])
        return ActualSerializer(result).data


class IndicatorWriteSerializer(serializers.Serializer):
    """What OCT sends to add (all required but the optional ones) or change an indicator."""

    programme = PrimaryKeyRelatedField(queryset=ProgrammeOfWork.objects.all())
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=300)
    definition = serializers.CharField(max_length=10_000)
    unit = serializers.CharField(max_length=60)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, required=False)
    baseline_year = IntegerField(min_value=2000, max_value=2100, allow_null=True, required=False)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices, required=False)
    aggregation = serializers.ChoiceField(choices=Indicator.Aggregation.choices, required=False)
    disaggregation = serializers.ListField(child=serializers.ChoiceField(choices=DIMENSION_KEYS), required=False)
    frequency = serializers.ChoiceField(choices=Indicator.Frequency.choices, required=False)
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), required=False)
    priorities = PrimaryKeyRelatedField(queryset=Priority.objects.all(), many=True, required=False)
    working_groups = PrimaryKeyRelatedField(queryset=WorkingGroup.objects.all(), many=True, required=False)


class ValueSerializer(serializers.Serializer):
    indicator = IntegerField()
    dimension = serializers.ChoiceField(choices=[("", "total"), *DIMENSION_KEYS], required=False, default="")
    category = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class SubmissionIndicatorSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    baseline = serializers.DecimalField(source="indicator.baseline", max_digits=14, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(source="indicator.target", max_digits=14, decimal_places=2)
    disaggregation = serializers.ListField(
        source="indicator.disaggregation", child=serializers.ChoiceField(choices=DIMENSION_KEYS)
    )
    values = serializers.SerializerMethodField()

    @extend_schema_field(ValueSerializer(many=True))
    def get_values(self, item: Any) -> list[dict[str, Any]]:
        return [
            {
                "indicator": value.indicator_id,
                "dimension": value.dimension,
                "category": value.category,
                "value": f"{value.value:.2f}",
                "note": value.note,
            }
            for value in item.values.values()
        ]


class SubmissionValuesSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The draft's revision: send it back with a change.")
    editable = serializers.BooleanField()
    indicators = SubmissionIndicatorSerializer(many=True)


class SubmissionValuesChangeSerializer(serializers.Serializer):
    revision = IntegerField(
        db_type=column_type(Submission, "revision"),
        required=False,
        help_text="The revision the client loaded: a draft saved since is a 409.",
    )
    values = ValueSerializer(many=True)


class ValuesConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_revision = serializers.IntegerField()


# --- Indicators ----------------------------------------------------------------------------------


def _require_manager(request: Request) -> None:
    """Refuse before reading the body: a reader who may not change sees 403, not field errors."""
    if not can_manage_programme(request.user):
        raise PermissionDenied(_("Only the OCT secretariat keeps the M&E framework."))


@extend_schema_view(
    list=extend_schema(
        description="The indicators of every programme of work, with actual against target so far "
        "(readers of the programme: OCT, the USG, Committee members, chairs and vice-chairs). "
        "Filter with ?programme=<id>."
    ),
    retrieve=extend_schema(responses={200: IndicatorSerializer, 404: NOT_READABLE}),
)
class IndicatorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """An indicator of the common monitoring and evaluation framework (Annex III, V.21)."""

    serializer_class = IndicatorSerializer
    filterset_fields = ["programme"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Indicator]:
        return indicators_visible_to(self.request.user).order_by("-programme__biennium_start", "position", "code")

    def _written(self, indicator: Indicator, code: int = status.HTTP_200_OK) -> Response:
        indicator = self.get_queryset().get(pk=indicator.pk)
        return Response(IndicatorSerializer(indicator, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=IndicatorWriteSerializer,
        responses={
            201: IndicatorSerializer,
            400: OpenApiResponse(description="Field errors: a code already used, an unknown dimension, …"),
            403: OpenApiResponse(description="Only the OCT secretariat keeps the framework."),
        },
    )
    def create(self, request: Request) -> Response:
        """Add an indicator to a programme of work (OCT)."""
        _require_manager(request)
        data = IndicatorWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        programme = fields.pop("programme")
        try:
            indicator = services.indicator_create(programme=programme, actor=request.user, **fields)
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return self._written(indicator, status.HTTP_201_CREATED)

    def _change(self, request: Request, *, partial: bool) -> Response:
        indicator = self.get_object()
        _require_manager(request)
        data = IndicatorWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("programme", None)  # an indicator stays in its programme
        try:
            services.indicator_update(indicator=indicator, actor=request.user, **fields)
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return self._written(indicator)

    @extend_schema(
        request=IndicatorWriteSerializer,
        responses={
            200: IndicatorSerializer,
            400: OpenApiResponse(description="Field errors."),
            403: None,
            404: NOT_READABLE,
        },
    )
    def update(self, request: Request, pk: str) -> Response:
        """Replace an indicator (OCT); ``programme`` is ignored."""
        return self._change(request, partial=False)

    @extend_schema(
        request=IndicatorWriteSerializer,
        responses={
            200: IndicatorSerializer,
            400: OpenApiResponse(description="Field errors."),
            403: None,
            404: NOT_READABLE,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the fields sent (OCT). A breakdown groups have reported by cannot be dropped."""
        return self._change(request, partial=True)

    @extend_schema(
        responses={
            204: None,
            400: OpenApiResponse(description="Groups have reported values for it: it cannot be removed."),
            403: None,
            404: NOT_READABLE,
        }
    )
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove an indicator no group has reported yet (OCT)."""
        try:
            services.indicator_remove(indicator=self.get_object(), actor=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- A submission's values -----------------------------------------------------------------------


class SubmissionIndicatorValuesView(APIView):
    """The indicator values of one progress report."""

    def _body(self, submission: Any) -> dict[str, Any]:
        return SubmissionValuesSerializer(
            {
                "submission": submission.pk,
                "revision": submission.revision,
                "editable": can_edit_submission(self.request.user, submission),
                "indicators": submission_indicators(submission),
            }
        ).data

    @extend_schema(responses={200: SubmissionValuesSerializer, 404: NO_SUBMISSION})
    def get(self, request: Request, pk: int) -> Response:
        """The indicators the report carries and the values its group entered (whoever may
        read the report)."""
        return Response(self._body(get_submission_for_user_or_404(request.user, pk)))

    @extend_schema(
        request=SubmissionValuesChangeSerializer,
        responses={
            200: SubmissionValuesSerializer,
            400: OpenApiResponse(
                description="Errors keyed by value: indicator-<id>-total or indicator-<id>-<dimension>-<category>."
            ),
            403: OpenApiResponse(description="The caller may read the report but not edit it."),
            404: NO_SUBMISSION,
            409: ValuesConflictSerializer,
        },
    )
    def put(self, request: Request, pk: int) -> Response:
        """Replace the report's values (its group's chair and vice-chairs, while it is a draft
        or returned): the complete set, all or nothing. With ``revision``, a draft saved since
        is a 409."""
        submission = get_submission_for_user_or_404(request.user, pk)
        change = SubmissionValuesChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        entries = [EnteredValue(indicator_id=row.pop("indicator"), **row) for row in change.validated_data["values"]]
        try:
            submission = services.indicator_values_save(
                submission=submission,
                actor=request.user,
                values=entries,
                revision=change.validated_data.get("revision"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        except EditConflictError as conflict:
            return self._conflict(str(conflict), conflict.current.revision)
        except StaleStateError as error:
            submission.refresh_from_db()
            return self._conflict(str(error), submission.revision)
        except PermissionDenied:
            # A leader of the group whose report has moved on: a conflict, as for the draft.
            if submission.is_editable or not can_lead_group(request.user, submission.working_group):
                raise
            return self._conflict(_("This submission is no longer a draft."), submission.revision)
        return Response(self._body(submission))

    def _conflict(self, detail: str, revision: int) -> Response:
        body = ValuesConflictSerializer({"detail": detail, "current_revision": revision}).data
        return Response(body, status=status.HTTP_409_CONFLICT)
