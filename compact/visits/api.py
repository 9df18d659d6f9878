"""The API of CTED's country visits (A/72/840, Annex IV, C.2), mirroring the pages.

Every signed-in user lists the visits within their clearance (an empty list above it, and a 404
for one visit, as for one that does not exist). ``assessment`` is ``null`` unless the caller may
read it: CTED always, OCT only once it was shared — never when the Member State asked for
confidentiality. CTED records and moves its visits; OCT records the follow-up; any other move
is a 404, and one the table does not allow now a 409.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.errors import FIELD_ERRORS, service_call
from compact.core.api.fields import ModelSerializer
from compact.core.api.filters import DjangoFilterBackend, FilterSet
from compact.core.models import Classification
from compact.lib import integers
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.matrix.models import Project
from compact.signon.api import PersonRefSerializer
from compact.visits.models import TEXT_LIMIT, CountryVisit, CountryVisitStep
from compact.visits.permissions import can_follow_up_visits, can_read_assessment, can_record_visits
from compact.visits.selectors import get_visit_for_user_or_404, visit_projects_for, visits_visible_to
from compact.visits.services import visit_act, visit_create, visit_moves_for, visit_update
from compact.visits.workflow import VISIT_TRANSITIONS

# Every move of the table (the schema's ``CountryVisitActionEnum``).
VISIT_ACTIONS = [(t.action, str(t.label)) for t in VISIT_TRANSITIONS]

NOT_FOUND = OpenApiResponse(description="No such visit, or it is above the caller's clearance.")


class CountryVisitMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=VISIT_ACTIONS)
    label = serializers.CharField()
    message = serializers.ChoiceField(
        choices=["required", "optional", "none"], help_text="Whether the move takes a ``reason``."
    )


class CountryVisitStepSerializer(ModelSerializer):
    actor = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CountryVisitStep
        fields = ["action", "from_state", "to_state", "actor", "message", "created_at"]
        read_only_fields = fields


class VisitProjectSerializer(ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "title"]
        read_only_fields = fields


class CountryVisitSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-country-visit-detail")
    informed_in_advance = serializers.BooleanField(read_only=True, help_text="OCT was told before the first day.")
    started_without_oct = serializers.SerializerMethodField()

    class Meta:
        model = CountryVisit
        fields = [
            "id",
            "url",
            "country",
            "starts_on",
            "ends_on",
            "confidentiality_requested",
            "classification",
            "state",
            "oct_informed_on",
            "informed_in_advance",
            "started_without_oct",
            "carried_out_on",
            "assessment_on",
            "assessment_shared",
            "followup_on",
            "updated_at",
        ]
        read_only_fields = fields

    def get_started_without_oct(self, visit: CountryVisit) -> bool:
        """The visit began (by today) without OCT having been told beforehand."""
        return visit.started_without_oct(timezone.localdate())


class CountryVisitDetailSerializer(CountryVisitSerializer):
    assessment = serializers.SerializerMethodField()
    followup_support = serializers.CharField(read_only=True)
    projects = serializers.SerializerMethodField()
    created_by = PersonRefSerializer(read_only=True, allow_null=True)
    steps = CountryVisitStepSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(CountryVisitSerializer.Meta):
        fields = [
            *CountryVisitSerializer.Meta.fields,
            "assessment",
            "followup_support",
            "projects",
            "created_at",
            "created_by",
            "steps",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assessment(self, visit: CountryVisit) -> str | None:
        """CTED's recommendations and assessment, or null when the caller may not read them."""
        return visit.assessment if can_read_assessment(self.context["request"].user, visit) else None

    @extend_schema_field(VisitProjectSerializer(many=True))
    def get_projects(self, visit: CountryVisit) -> list[dict[str, Any]]:
        """The projects the visit led to that the caller may read."""
        projects = visit_projects_for(self.context["request"].user, visit)
        return VisitProjectSerializer(projects, many=True).data

    @extend_schema_field(CountryVisitMoveSerializer(many=True))
    def get_available_actions(self, visit: CountryVisit) -> list[dict[str, str]]:
        """The moves the caller may make now."""
        moves = visit_moves_for(self.context["request"].user, visit)
        return [{"action": t.action, "label": str(t.label), "message": t.message} for t in moves]


class CountryVisitWriteSerializer(serializers.Serializer):
    """A visit's facts (POST: all but the last two; PATCH: those that change)."""

    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code of the Member State.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    confidentiality_requested = serializers.BooleanField(required=False, default=False)
    classification = serializers.ChoiceField(
        choices=Classification.choices,
        required=False,
        default=Classification.CONFIDENTIAL,
        help_text="Confidential by default; no higher than the caller's own clearance.",
    )


class CountryVisitTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=VISIT_ACTIONS)
    oct_informed_on = serializers.DateField(required=False, allow_null=True, help_text="For ``inform-oct``.")
    assessment = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_LIMIT, help_text="For ``share`` and ``withhold``."
    )
    followup_on = serializers.DateField(required=False, allow_null=True, help_text="For ``follow-up``.")
    followup_support = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_LIMIT, help_text="For ``follow-up``."
    )
    projects = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=integers.integer_range()[1]),
        required=False,
        max_length=200,
        help_text="For ``follow-up``: ids of matrix projects the caller may read.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5_000, help_text="For ``cancel``.")


class CountryVisitConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=CountryVisit.State.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=VISIT_ACTIONS))


class CountryVisitFilter(FilterSet):
    country = django_filters.CharFilter(
        method="filter_country", max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. ``TN``."
    )
    state = django_filters.ChoiceFilter(choices=CountryVisit.State.choices)

    class Meta:
        model = CountryVisit
        fields = ["country", "state"]

    def filter_country(self, queryset: QuerySet[CountryVisit], name: str, value: str) -> QuerySet[CountryVisit]:
        return queryset.filter(country=value.upper())


@extend_schema_view(
    list=extend_schema(
        description="CTED's country visits within the caller's clearance, newest first.",
        parameters=[
            OpenApiParameter(
                "country", str, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. ``TN``."
            )
        ],
    ),
    retrieve=extend_schema(
        description="One visit: its assessment (null unless the caller may read it), follow-up, projects, "
        "history and the moves open to the caller now.",
        responses={200: CountryVisitDetailSerializer, 404: NOT_FOUND},
    ),
)
class CountryVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """CTED's visits to Member States and what followed them (Annex IV, C.2)."""

    filterset_class = CountryVisitFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[CountryVisit]:
        return visits_visible_to(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return CountryVisitSerializer if self.action == "list" else CountryVisitDetailSerializer

    def get_object(self) -> CountryVisit:
        visit = get_visit_for_user_or_404(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, visit)
        return visit

    def _detail(self, visit: CountryVisit, *, code: int = status.HTTP_200_OK) -> Response:
        current = get_visit_for_user_or_404(self.request.user, visit.pk)
        return Response(CountryVisitDetailSerializer(current, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=CountryVisitWriteSerializer,
        responses={201: CountryVisitDetailSerializer, 400: FIELD_ERRORS, 404: OpenApiResponse(description="Not CTED.")},
    )
    def create(self, request: Request) -> Response:
        """Record a planned visit (CTED)."""
        if not can_record_visits(request.user):
            raise Http404
        form = CountryVisitWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        visit = service_call(lambda: visit_create(actor=request.user, **form.validated_data))
        return self._detail(visit, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=CountryVisitWriteSerializer,
        responses={
            200: CountryVisitDetailSerializer,
            400: OpenApiResponse(description="Field errors; or the assessment is recorded (the facts are settled)."),
            404: OpenApiResponse(description="No such visit, above the caller's clearance, or the caller is not CTED."),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Correct the fields sent of a visit (CTED) until its assessment is recorded."""
        visit = self.get_object()
        if not can_record_visits(request.user):
            raise Http404
        form = CountryVisitWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        service_call(lambda: visit_update(visit=visit, actor=request.user, **form.validated_data))
        return self._detail(visit)

    @extend_schema(
        request=CountryVisitTransitionSerializer,
        responses={
            200: CountryVisitDetailSerializer,
            400: FIELD_ERRORS,
            404: OpenApiResponse(description="No such visit, above the caller's clearance, or not the caller's move."),
            409: CountryVisitConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """CTED: ``inform-oct`` (``oct_informed_on``), ``carry-out``, ``share`` or ``withhold``
        (``assessment``), ``cancel`` (``reason``). OCT: ``follow-up`` (``followup_on``,
        ``followup_support``, ``projects``). A move the table does not allow now is a 409."""
        visit = self.get_object()
        if not (can_record_visits(request.user) or can_follow_up_visits(request.user)):
            raise Http404
        move = CountryVisitTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        data = move.validated_data
        wanted = data.get("projects") or []
        projects = list(Project.objects.filter(pk__in=wanted))
        if len(projects) != len(set(wanted)):
            raise serializers.ValidationError({"projects": [_("Choose projects of the matrix that you may read.")]})
        try:
            service_call(
                lambda: visit_act(
                    visit=visit,
                    action=data["action"],
                    actor=request.user,
                    oct_informed_on=data.get("oct_informed_on"),
                    assessment=data.get("assessment", ""),
                    followup_on=data.get("followup_on"),
                    followup_support=data.get("followup_support", ""),
                    projects=projects,
                    reason=data.get("reason", ""),
                )
            )
        except TransitionNotAllowedError:
            return self._conflict(visit, _not_allowed(data["action"], visit.state))
        except StaleStateError as error:
            return self._conflict(visit, str(error))
        return self._detail(visit)

    def _conflict(self, visit: CountryVisit, detail: str) -> Response:
        visit.refresh_from_db(fields=["state"])
        moves = [t.action for t in visit_moves_for(self.request.user, visit)]
        body = {"detail": detail, "state": visit.state, "available_actions": moves}
        return Response(CountryVisitConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)


def _not_allowed(action_name: str, state: str) -> str:
    return _("“%(action)s” is not possible while the visit is “%(state)s”.") % {
        "action": VISIT_TRANSITIONS.get(action_name).label,
        "state": CountryVisit.State(state).label,
    }
