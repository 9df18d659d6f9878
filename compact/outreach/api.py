"""The API of the USG's briefings to Member States (Annex III, V.14) and of their public summaries.

The briefings mirror the pages of the USG and OCT (``compact.outreach.views``): anyone else
signed in gets an empty list and a 404 for a briefing, its changes and its moves, exactly as for
one that does not exist. Only OCT publishes a summary (the USG is answered 403). The cadence
(``/briefing-cadence/``) is the USG's to set, or OCT's for the USG. A briefing's notes may be
classified: they are ``null`` for a reader whose clearance does not reach them, and such a
reader cannot change the briefing (404).

The public summaries are for everyone, with no sign-in and no credentials read, like the
public page: they come from ``published_summaries``, which reads only the public columns of
published briefings, so neither the notes nor an unpublished summary can ever be in them.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.errors import FIELD_ERRORS, service_call
from compact.core.api.fields import ModelSerializer
from compact.core.api.filters import DjangoFilterBackend, FilterSet
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.outreach.models import (
    CADENCE_MONTHS_MAX,
    CADENCE_REMINDER_DAYS_MAX,
    CADENCE_REMINDERS_MAX,
    MemberStateBriefing,
    MemberStateBriefingStep,
)
from compact.outreach.permissions import can_manage_briefings, can_publish_briefings, can_set_briefing_cadence
from compact.outreach.selectors import (
    briefing_cadence,
    briefing_schedule_for,
    briefings_visible_to,
    get_briefing_for_user_or_404,
    published_summaries,
)
from compact.outreach.services import (
    briefing_act,
    briefing_cadence_set,
    briefing_create,
    briefing_public_summary_draft,
    briefing_summary_fill,
    briefing_update,
)
from compact.outreach.workflow import BRIEFING_TRANSITIONS, OCT
from compact.signon.api import PersonRefSerializer

# Every move of the table (the schema's ``MemberStateBriefingActionEnum``).
BRIEFING_ACTIONS = [(t.action, str(t.label)) for t in BRIEFING_TRANSITIONS]
# What the draft does to a summary OCT already wrote (``SummaryFillModeEnum``); the modes of
# ``compact.outreach.services.FILL_MODES``, with labels.
FILL_MODES = [
    ("replace", "Replace it with the draft"),
    ("append", "Keep it and add the draft after it"),
]

OCT_ONLY_404 = OpenApiResponse(
    description="No such briefing, or the caller is neither the USG nor the OCT secretariat."
)


# --- Serializers ---------------------------------------------------------------------------------


class MemberStateBriefingMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=BRIEFING_ACTIONS)
    label = serializers.CharField()
    message = serializers.ChoiceField(
        choices=["required", "optional", "none"], help_text="Whether the move takes a ``reason``."
    )


class MemberStateBriefingStepSerializer(ModelSerializer):
    actor = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MemberStateBriefingStep
        fields = ["action", "from_state", "to_state", "actor", "message", "created_at"]
        read_only_fields = fields


class MemberStateBriefingSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-ms-briefing-detail")
    published_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MemberStateBriefing
        fields = [
            "id",
            "url",
            "date",
            "audience",
            "title",
            "place",
            "virtual",
            "state",
            "published_at",
            "published_by",
            "updated_at",
        ]
        read_only_fields = fields


class MemberStateBriefingDetailSerializer(MemberStateBriefingSerializer):
    notes_readable = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    created_by = PersonRefSerializer(read_only=True, allow_null=True)
    steps = MemberStateBriefingStepSerializer(
        many=True, read_only=True, help_text="Publications and withdrawals, with reasons."
    )
    available_actions = serializers.SerializerMethodField()

    class Meta(MemberStateBriefingSerializer.Meta):
        fields = [
            *MemberStateBriefingSerializer.Meta.fields,
            "notes_readable",
            "notes",
            "notes_classification",
            "public_summary",
            "created_at",
            "created_by",
            "steps",
            "available_actions",
        ]
        read_only_fields = fields

    def get_notes_readable(self, briefing: MemberStateBriefing) -> bool:
        """Whether the caller's clearance reaches the notes (else they cannot edit the briefing)."""
        return can_read_classification(self.context["request"].user, briefing.notes_classification)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, briefing: MemberStateBriefing) -> str | None:
        """OCT's notes, or null when they are marked above the caller's clearance."""
        return briefing.notes if self.get_notes_readable(briefing) else None

    @extend_schema_field(MemberStateBriefingMoveSerializer(many=True))
    def get_available_actions(self, briefing: MemberStateBriefing) -> list[dict[str, str]]:
        """The moves the caller may make now (none for the USG: only OCT publishes)."""
        if not can_publish_briefings(self.context["request"].user):
            return []
        moves = BRIEFING_TRANSITIONS.available(briefing.state, by=OCT)
        return [{"action": t.action, "label": str(t.label), "message": t.message} for t in moves]


class MemberStateBriefingWriteSerializer(serializers.Serializer):
    """A briefing's fields (POST: ``date``, ``audience`` and ``title`` at least; PATCH: those
    that change). The service strips and checks them and names every problem."""

    date = serializers.DateField()
    audience = serializers.CharField(max_length=255, help_text='For example "Member States, New York".')
    title = serializers.CharField(max_length=255)
    place = serializers.CharField(required=False, allow_blank=True, max_length=255)
    virtual = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    notes_classification = serializers.ChoiceField(
        choices=Classification.choices,
        required=False,
        help_text="Confidential by default; no higher than the officer's own clearance.",
    )
    public_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100_000,
        help_text="Unclassified only: anyone reads it once it is published.",
    )


class SummaryDraftSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="A starting text built only from unclassified data.")


class SummaryFillSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=FILL_MODES,
        required=False,
        help_text="Needed when the summary already has text: whether the draft replaces it or goes after it.",
    )


class MemberStateBriefingTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=BRIEFING_ACTIONS)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, help_text="Required to withdraw (``unpublish``)."
    )
    confirm_unclassified = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Must be true to publish: the summary contains only unclassified information.",
    )


class MemberStateBriefingConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=MemberStateBriefing.State.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=BRIEFING_ACTIONS))


class PublicSummarySerializer(serializers.Serializer):
    """A published summary: the date, audience and title of its briefing, and its text."""

    date = serializers.DateField()
    audience = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="The unclassified public summary.")


class MemberStateBriefingFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=MemberStateBriefing.State.choices)
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="Briefings on or after this day (YYYY-MM-DD)."
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lt", help_text="Briefings before this day (YYYY-MM-DD)."
    )

    class Meta:
        model = MemberStateBriefing
        fields = ["state", "date_after", "date_before"]


# --- OCT's briefings ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="The briefings to Member States, newest first. OCT only: empty for anyone else."),
    retrieve=extend_schema(
        description="One briefing: its notes (null above the caller's clearance), public summary, history of "
        "publications and the moves open now.",
        responses={200: MemberStateBriefingDetailSerializer, 404: OCT_ONLY_404},
    ),
)
class MemberStateBriefingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The USG's briefings to Member States on the Compact's implementation, recorded by OCT."""

    filterset_class = MemberStateBriefingFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[MemberStateBriefing]:
        return briefings_visible_to(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MemberStateBriefingSerializer if self.action == "list" else MemberStateBriefingDetailSerializer

    def get_object(self) -> MemberStateBriefing:
        briefing = get_briefing_for_user_or_404(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, briefing)
        return briefing

    def _detail(self, briefing: MemberStateBriefing, *, code: int = status.HTTP_200_OK) -> Response:
        current = get_briefing_for_user_or_404(self.request.user, briefing.pk)
        body = MemberStateBriefingDetailSerializer(current, context=self.get_serializer_context()).data
        return Response(body, status=code)

    @extend_schema(
        request=MemberStateBriefingWriteSerializer,
        responses={201: MemberStateBriefingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    def create(self, request: Request) -> Response:
        """Record a briefing (OCT), as a draft: nothing is public until OCT publishes it."""
        if not can_manage_briefings(request.user):
            raise Http404
        form = MemberStateBriefingWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        briefing = service_call(lambda: briefing_create(actor=request.user, **form.validated_data))
        return self._detail(briefing, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=MemberStateBriefingWriteSerializer,
        responses={
            200: MemberStateBriefingDetailSerializer,
            400: OpenApiResponse(description="Field errors; or the briefing is published (withdraw it first)."),
            404: OpenApiResponse(
                description="No such briefing, the caller is not OCT, or its notes are above the caller's clearance."
            ),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the fields sent of a draft briefing (OCT). A published one is withdrawn from
        the public page first, so the public always reads what OCT confirmed."""
        briefing = self.get_object()
        form = MemberStateBriefingWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        service_call(lambda: briefing_update(briefing=briefing, actor=request.user, **form.validated_data))
        return self._detail(briefing)

    @extend_schema(methods=["GET"], request=None, responses={200: SummaryDraftSerializer, 404: OCT_ONLY_404})
    @extend_schema(
        methods=["POST"],
        request=SummaryFillSerializer,
        responses={200: MemberStateBriefingDetailSerializer, 400: FIELD_ERRORS, 404: OCT_ONLY_404},
    )
    @action(detail=True, methods=["get", "post"], url_path="draft-summary", url_name="draft-summary")
    def draft_summary(self, request: Request, pk: str) -> Response:
        """GET: the automatic draft of the public summary, built only from unclassified data
        (membership, the groups and their chairing entities, unclassified reports and projects,
        and the notes only if they are unclassified); nothing is saved. POST: put it in the
        briefing's summary; if OCT already wrote one, ``mode`` says whether it replaces it or
        goes after it."""
        briefing = self.get_object()
        if request.method == "GET":
            text = service_call(lambda: briefing_public_summary_draft(briefing=briefing, actor=request.user))
            return Response(SummaryDraftSerializer({"text": text}).data)
        form = SummaryFillSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        mode = form.validated_data.get("mode", "")
        service_call(lambda: briefing_summary_fill(briefing=briefing, actor=request.user, mode=mode))
        return self._detail(briefing)

    @extend_schema(
        request=MemberStateBriefingTransitionSerializer,
        responses={
            200: MemberStateBriefingDetailSerializer,
            400: OpenApiResponse(
                description="No summary to publish, no confirmation that it is unclassified, no reason to withdraw."
            ),
            403: OpenApiResponse(description="The caller reads the briefing (the USG) but only OCT publishes."),
            404: OCT_ONLY_404,
            409: MemberStateBriefingConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """``publish`` the summary on the public page (with ``"confirm_unclassified": true``) or
        withdraw it (``unpublish``, with a ``reason``); OCT only. A move the table does not allow
        now, or one someone else made first, is a 409."""
        briefing = self.get_object()
        if not can_publish_briefings(request.user):
            raise exceptions.PermissionDenied(_("Only the OCT secretariat publishes summaries on the public page."))
        move = MemberStateBriefingTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        data = move.validated_data
        try:
            service_call(
                lambda: briefing_act(
                    briefing=briefing,
                    action=data["action"],
                    actor=request.user,
                    reason=data.get("reason", ""),
                    confirm_unclassified=data["confirm_unclassified"],
                )
            )
        except TransitionNotAllowedError:
            return self._conflict(briefing, _not_allowed(data["action"], briefing.state))
        except StaleStateError as error:
            return self._conflict(briefing, str(error))
        return self._detail(briefing)

    def _conflict(self, briefing: MemberStateBriefing, detail: str) -> Response:
        briefing.refresh_from_db(fields=["state"])
        moves = [t.action for t in BRIEFING_TRANSITIONS.available(briefing.state, by=OCT)]
        body = {"detail": detail, "state": briefing.state, "available_actions": moves}
        return Response(MemberStateBriefingConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)


def _not_allowed(action_name: str, state: str) -> str:
    return _("“%(action)s” is not possible while the briefing is “%(state)s”.") % {
        "action": BRIEFING_TRANSITIONS.get(action_name).label,
        "state": MemberStateBriefing.State(state).label,
    }


# --- The cadence ------------------------------------------------------------------------------


class BriefingScheduleSerializer(serializers.Serializer):
    last_held = serializers.DateField(allow_null=True, help_text="The latest briefing dated today or before.")
    planned = serializers.DateField(allow_null=True, help_text="The earliest briefing dated after today.")
    due_on = serializers.DateField(help_text="The last one held plus the cadence, or the first due date.")
    days_left = serializers.IntegerField(help_text="Days from today to ``due_on`` (negative once it has passed).")
    overdue = serializers.BooleanField(help_text="Due date passed and nothing planned.")
    planned_late = serializers.BooleanField(help_text="The planned briefing is after the due date.")


class BriefingCadenceSerializer(serializers.Serializer):
    every_months = serializers.IntegerField(min_value=1, max_value=CADENCE_MONTHS_MAX)
    first_due_on = serializers.DateField(help_text="When the first briefing is due if none has been held yet.")
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=CADENCE_REMINDER_DAYS_MAX),
        max_length=CADENCE_REMINDERS_MAX,
        help_text="Days before the due date on which the USG and OCT are reminded while nothing is planned.",
    )
    active = serializers.BooleanField(default=True, help_text="Whether reminders are sent.")


class BriefingCadenceDetailSerializer(BriefingCadenceSerializer):
    updated_at = serializers.DateTimeField(read_only=True)
    updated_by = PersonRefSerializer(read_only=True, allow_null=True)
    schedule = BriefingScheduleSerializer(read_only=True)


class BriefingCadenceView(viewsets.APIView):
    """How often the USG briefs Member States (Annex III, V.14), and where the briefings stand
    against it. The USG and OCT only; anyone else gets a 404."""

    def _answer(self, request: Request) -> Response:
        cadence = briefing_cadence()
        if cadence is None:
            raise Http404(_("No cadence is set."))
        body = {
            "every_months": cadence.every_months,
            "first_due_on": cadence.first_due_on,
            "reminder_days": cadence.reminder_days,
            "active": cadence.active,
            "updated_at": cadence.updated_at,
            "updated_by": cadence.updated_by,
            "schedule": briefing_schedule_for(request.user),
        }
        return Response(BriefingCadenceDetailSerializer(body, context={"request": request}).data)

    @extend_schema(
        responses={
            200: BriefingCadenceDetailSerializer,
            404: OpenApiResponse(description="No cadence is set, or the caller is neither the USG nor OCT."),
        }
    )
    def get(self, request: Request) -> Response:
        if not can_set_briefing_cadence(request.user):
            raise Http404
        return self._answer(request)

    @extend_schema(
        request=BriefingCadenceSerializer,
        responses={
            200: BriefingCadenceDetailSerializer,
            400: FIELD_ERRORS,
            404: OpenApiResponse(description="The caller is neither the USG nor OCT."),
        },
    )
    def put(self, request: Request) -> Response:
        """Set the cadence (all fields); the reminders owed change with it."""
        if not can_set_briefing_cadence(request.user):
            raise Http404
        form = BriefingCadenceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        service_call(lambda: briefing_cadence_set(actor=request.user, **form.validated_data))
        return self._answer(request)


# --- The public summaries -----------------------------------------------------------------------------


class PublicSummaryViewSet(viewsets.GenericViewSet):
    """The published summaries of the USG's briefings, for everyone (the public page's)."""

    serializer_class = PublicSummarySerializer
    permission_classes = [AllowAny]
    filter_backends: list[type] = []

    def get_authenticators(self) -> list[BaseAuthentication]:
        # Public and the same for everyone: credentials are not read, so a stale token does
        # not turn a public read into a 401.
        return []

    @extend_schema(responses={200: PublicSummarySerializer(many=True)})
    def list(self, request: Request) -> Response:
        """Published public summaries, newest briefing first: date, audience, title and text.
        No sign-in. Never a briefing's notes, never a summary that is not published."""
        page = self.paginate_queryset(published_summaries())
        data = PublicSummarySerializer(page, many=True).data
        return self.get_paginated_response(data)
