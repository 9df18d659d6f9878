"""Reorganisations of the working groups in the API: the list, one reorganisation with its new
structure, its mapping, the preview of a draft (what adoption would do, within the caller's
clearance) or what an adoption did, and OCT's moves. Same rules as the pages: drafts are read by
OCT and the Committee, adopted ones by every reader of the working groups; a reorganisation the
caller may not read is a 404; a move by someone else than OCT is a 403; a move the table does
not allow now, or a draft changed since ``revision``, is a 409."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.errors import FIELD_ERRORS, service_call
from compact.core.api.fields import IntegerField, ModelSerializer, PrimaryKeyRelatedField
from compact.lib.integers import column_type
from compact.lib.workflow import EditConflictError, StaleStateError, TransitionNotAllowedError
from reporting.committee.models import Decision
from reporting.reorganisation.models import (
    Reorganisation,
    ReorganisationEffect,
    ReorganisationMapping,
    ReorganisationTarget,
)
from reporting.reorganisation.permissions import can_manage_reorganisations
from reporting.reorganisation.selectors import (
    PlannedEffect,
    effects_visible_to,
    groups_to_map,
    reorganisation_plan,
    reorganisations_visible_to,
)
from reporting.reorganisation.services import (
    reorganisation_act,
    reorganisation_create,
    reorganisation_mapping_set,
    reorganisation_target_add,
    reorganisation_target_remove,
    reorganisation_update,
)
from reporting.reorganisation.workflow import OCT, REORGANISATION_TRANSITIONS
from workinggroups.models import WorkingGroup

# Every move of a reorganisation (the schema's ``ReorganisationActionEnum``).
ACTIONS = [(t.action, str(t.label)) for t in REORGANISATION_TRANSITIONS]
NOT_READABLE = OpenApiResponse(description="No such reorganisation, or the caller may not read it.")
OCT_ONLY = OpenApiResponse(description="The caller may read the reorganisation but is not the OCT secretariat.")


class ReorganisedGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    short_name = serializers.CharField()


class ReorganisationTargetSerializer(ModelSerializer):
    continues = ReorganisedGroupSerializer(read_only=True, allow_null=True)
    group = ReorganisedGroupSerializer(read_only=True, allow_null=True, help_text="The new group, once adopted.")

    class Meta:
        model = ReorganisationTarget
        fields = ["id", "continues", "number", "name", "short_name", "mandate", "group"]


class ReorganisationMappingSerializer(ModelSerializer):
    source = ReorganisedGroupSerializer(read_only=True)
    targets = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of ``targets``.")
    reports_to = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ReorganisationMapping
        fields = [
            "source",
            "targets",
            "carry_roles",
            "carry_outputs",
            "carry_themes",
            "carry_indicators",
            "reports_to",
            "note",
        ]


class ReorganisationEffectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReorganisationEffect.Kind.choices)
    kind_label = serializers.CharField()
    source = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    subject = serializers.CharField()
    note = serializers.CharField()

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="The old group's id."))
    def get_source(self, effect: ReorganisationEffect | PlannedEffect) -> int | None:
        return effect.source.pk if effect.source is not None else None

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="The group of the new structure, as the page names it.")
    )
    def get_target(self, effect: ReorganisationEffect | PlannedEffect) -> str | None:
        return str(effect.target) if effect.target is not None else None


class AdoptingDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    meeting_date = serializers.DateField(source="meeting.date")


class ReorganisationSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-reorganisation-detail")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    decision = AdoptingDecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Reorganisation
        fields = [
            "id",
            "url",
            "title",
            "rationale",
            "effective_on",
            "state",
            "state_label",
            "decision",
            "evidence",
            "source",
            "revision",
        ]


class ReorganisationPreviewSerializer(serializers.Serializer):
    adoptable = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    effects = ReorganisationEffectSerializer(many=True, help_text="Within the caller's clearance.")
    hidden = serializers.IntegerField(help_text="How many effects concern what the caller's clearance does not reach.")


class ReorganisationDetailSerializer(ReorganisationSerializer):
    targets = ReorganisationTargetSerializer(many=True, read_only=True)
    mappings = ReorganisationMappingSerializer(many=True, read_only=True)
    preview = serializers.SerializerMethodField()
    effects = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ReorganisationSerializer.Meta):
        fields = [
            *ReorganisationSerializer.Meta.fields,
            "targets",
            "mappings",
            "preview",
            "effects",
            "available_actions",
        ]

    def _user(self) -> Any:
        return self.context["request"].user

    @extend_schema_field(
        ReorganisationPreviewSerializer(allow_null=True, help_text="What adoption would do (drafts only).")
    )
    def get_preview(self, reorganisation: Reorganisation) -> dict[str, Any] | None:
        if reorganisation.state == Reorganisation.State.ADOPTED:
            return None
        plan = reorganisation_plan(reorganisation)
        shown, hidden = plan.effects_seen_by(self._user())
        return {
            "adoptable": plan.adoptable,
            "problems": [str(p) for p in plan.problems],
            "warnings": [str(w) for w in plan.warnings],
            "effects": ReorganisationEffectSerializer(shown, many=True).data,
            "hidden": hidden,
        }

    @extend_schema_field(
        ReorganisationEffectSerializer(many=True, help_text="What the adoption did, within the caller's clearance.")
    )
    def get_effects(self, reorganisation: Reorganisation) -> list[dict[str, Any]]:
        if reorganisation.state != Reorganisation.State.ADOPTED:
            return []
        return ReorganisationEffectSerializer(effects_visible_to(self._user(), reorganisation), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS)))
    def get_available_actions(self, reorganisation: Reorganisation) -> list[str]:
        if not can_manage_reorganisations(self._user()):
            return []
        return [t.action for t in REORGANISATION_TRANSITIONS.available(reorganisation.state, by=OCT)]


class ReorganisationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    decision = PrimaryKeyRelatedField(
        queryset=Decision.objects.all(),
        required=False,
        allow_null=True,
        help_text="The Committee's decision (to adopt): of a held meeting, not used to adopt anything else.",
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=10000, help_text="Why (to withdraw).")
    revision = IntegerField(
        db_type=column_type(Reorganisation, "revision"),
        required=False,
        help_text="The revision of the draft the caller previewed: a later change answers 409.",
    )


class ReorganisationWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    effective_on = serializers.DateField(
        help_text="The first day of the new structure; the old groups end the day before."
    )
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    revision = IntegerField(
        db_type=column_type(Reorganisation, "revision"),
        required=False,
        help_text="On a change: the revision it is based on; a later change answers 409.",
    )


class ReorganisationTargetWriteSerializer(serializers.Serializer):
    continues = PrimaryKeyRelatedField(
        queryset=WorkingGroup.objects.all(),
        required=False,
        allow_null=True,
        help_text="A live group that carries on as it is; leave out for a new group.",
    )
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    short_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    mandate = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class ReorganisationMappingWriteSerializer(serializers.Serializer):
    targets = serializers.ListField(
        child=IntegerField(db_type=column_type(ReorganisationTarget, "id")),
        max_length=50,
        help_text="Ids of this draft's ``targets`` the old group's work goes to (none: it ends with the group).",
    )
    carry_roles = serializers.BooleanField(default=True)
    carry_outputs = serializers.BooleanField(default=True)
    carry_themes = serializers.BooleanField(default=True)
    carry_indicators = serializers.BooleanField(default=True)
    reports_to = IntegerField(
        db_type=column_type(ReorganisationTarget, "id"),
        required=False,
        allow_null=True,
        help_text="The target that takes the open reports (one of ``targets``); none: they are closed with the note.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReorganisationConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=Reorganisation.State.choices)
    revision = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(description="The reorganisations the caller may read: drafts for OCT and the Committee."),
    retrieve=extend_schema(responses={200: ReorganisationDetailSerializer, 404: NOT_READABLE}),
)
class ReorganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reorganisations of the working groups, each adopted as one decision of the Committee."""

    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Reorganisation]:
        rows = reorganisations_visible_to(self.request.user)
        if self.action != "list":
            rows = rows.prefetch_related(
                "targets__continues", "targets__group", "mappings__source", "mappings__targets"
            )
        return rows

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ReorganisationSerializer if self.action == "list" else ReorganisationDetailSerializer

    def _detail(self, reorganisation: Reorganisation, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().get(pk=reorganisation.pk)
        return Response(ReorganisationDetailSerializer(current, context=self.get_serializer_context()).data, code)

    def _require_oct(self) -> None:
        if not can_manage_reorganisations(self.request.user):
            raise PermissionDenied(_("Only the OCT secretariat drafts a reorganisation of the working groups."))

    def _conflict(self, reorganisation: Reorganisation, detail: str) -> Response:
        reorganisation.refresh_from_db()
        body = {"detail": detail, "state": reorganisation.state, "revision": reorganisation.revision}
        return Response(ReorganisationConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)

    @extend_schema(
        request=ReorganisationWriteSerializer,
        responses={201: ReorganisationDetailSerializer, 400: FIELD_ERRORS, 403: OCT_ONLY},
    )
    def create(self, request: Request) -> Response:
        """Start a draft (OCT): its title, the day the new structure starts, the rationale."""
        self._require_oct()
        form = ReorganisationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        reorganisation = service_call(
            lambda: reorganisation_create(
                title=data["title"],
                effective_on=data["effective_on"],
                rationale=data.get("rationale", ""),
                actor=request.user,
            ),
            refusal=403,
        )
        return self._detail(reorganisation, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReorganisationWriteSerializer,
        responses={
            200: ReorganisationDetailSerializer,
            400: FIELD_ERRORS,
            403: OCT_ONLY,
            404: NOT_READABLE,
            409: ReorganisationConflictSerializer,
        },
    )
    def update(self, request: Request, pk: str) -> Response:
        """Change a draft's title, day or rationale (OCT), from the ``revision`` last read."""
        reorganisation = self.get_object()
        self._require_oct()
        form = ReorganisationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            service_call(
                lambda: reorganisation_update(
                    reorganisation=reorganisation,
                    actor=request.user,
                    title=data["title"],
                    effective_on=data["effective_on"],
                    rationale=data.get("rationale", ""),
                    base_revision=data.get("revision"),
                ),
                refusal=403,
            )
        except EditConflictError as error:
            return self._conflict(reorganisation, str(error))
        return self._detail(reorganisation)

    @extend_schema(
        request=ReorganisationTargetWriteSerializer,
        responses={201: ReorganisationDetailSerializer, 400: FIELD_ERRORS, 403: OCT_ONLY, 404: NOT_READABLE},
    )
    @action(detail=True, methods=["post"])
    def targets(self, request: Request, pk: str) -> Response:
        """Add a group to the draft's new structure (OCT): ``continues`` (a live group that carries
        on) or a new group's ``number``, ``name``, ``short_name`` and ``mandate``."""
        reorganisation = self.get_object()
        self._require_oct()
        form = ReorganisationTargetWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {key: value for key, value in form.validated_data.items() if value is not None}
        service_call(
            lambda: reorganisation_target_add(reorganisation=reorganisation, actor=request.user, **data), refusal=403
        )
        return self._detail(reorganisation, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: ReorganisationDetailSerializer, 400: FIELD_ERRORS, 403: OCT_ONLY, 404: NOT_READABLE},
    )
    @action(detail=True, methods=["delete"], url_path=r"targets/(?P<target_pk>[0-9]{1,18})")
    def target_remove(self, request: Request, pk: str, target_pk: str) -> Response:
        """Take a group out of the draft's new structure (and out of every line of the mapping)."""
        reorganisation = self.get_object()
        self._require_oct()
        target = reorganisation.targets.filter(pk=int(target_pk)).first()
        if target is None:
            raise Http404
        service_call(lambda: reorganisation_target_remove(target=target, actor=request.user), refusal=403)
        return self._detail(reorganisation)

    @extend_schema(
        request=ReorganisationMappingWriteSerializer,
        responses={200: ReorganisationDetailSerializer, 400: FIELD_ERRORS, 403: OCT_ONLY, 404: NOT_READABLE},
    )
    @action(detail=True, methods=["put"], url_path=r"mappings/(?P<source_pk>[0-9]{1,18})")
    def mapping(self, request: Request, pk: str, source_pk: str) -> Response:
        """Say where an old group's work goes (OCT): its line of the mapping, replaced if it had
        one. The old group must be live the day before the new structure starts."""
        reorganisation = self.get_object()
        self._require_oct()
        # The body first: a malformed line is a 400 naming its field, whichever group it is for.
        form = ReorganisationMappingWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        source = groups_to_map(reorganisation).filter(pk=int(source_pk)).first()
        if source is None:
            raise Http404
        own = {target.pk: target for target in reorganisation.targets.all()}
        chosen = [own.get(pk) for pk in data.pop("targets")]
        reports_to = data.pop("reports_to", None)
        if None in chosen or (reports_to is not None and reports_to not in own):
            raise serializers.ValidationError({"targets": [_("Choose groups of this draft's new structure.")]})
        service_call(
            lambda: reorganisation_mapping_set(
                reorganisation=reorganisation,
                source=source,
                targets=chosen,
                reports_to=own.get(reports_to) if reports_to is not None else None,
                actor=request.user,
                **data,
            ),
            refusal=403,
        )
        return self._detail(reorganisation)

    @extend_schema(
        request=ReorganisationTransitionSerializer,
        responses={
            200: ReorganisationDetailSerializer,
            400: OpenApiResponse(description="No decision (adopt), no reason (withdraw), a plan with problems."),
            403: OpenApiResponse(description="Not the OCT secretariat, or the officer who changed the draft (adopt)."),
            404: NOT_READABLE,
            409: ReorganisationConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one move (OCT): record the adoption by a decision (applies the plan), withdraw the
        draft with a reason, or take a withdrawn draft up again."""
        reorganisation = self.get_object()
        self._require_oct()
        move = ReorganisationTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        data = move.validated_data
        try:
            # A separation of duties refused is a PermissionDenied: the officer who drafted gets 403.
            reorganisation = service_call(
                lambda: reorganisation_act(
                    reorganisation=reorganisation,
                    action=data["action"],
                    actor=request.user,
                    message=data.get("message", ""),
                    decision=data.get("decision"),
                    base_revision=data.get("revision"),
                ),
                refusal=403,
            )
        except (TransitionNotAllowedError, StaleStateError, EditConflictError):
            message = _("This step is not possible now: the reorganisation is “%(state)s”, or its draft changed.")
            reorganisation.refresh_from_db()
            return self._conflict(reorganisation, message % {"state": reorganisation.get_state_display()})
        return self._detail(reorganisation)
