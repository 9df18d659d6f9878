"""Consultation rounds in the API: the rounds, their frozen sections and the entities' comments.

Same rules as the pages (``permissions``): OCT prepares and moves rounds and responds to
comments; the USG and the people of the consulted entities read the opened rounds (sections
within their clearance: ``text`` is null above it); the consulted entities' focal points and
representatives write their entity's comments while a round is open. A round or comment the
caller may not read is a 404 (the same as a missing one) and absent from lists; one they may
read but not change is a 403; a stale revision or a move the table does not allow now is a 409.
"""

from __future__ import annotations

from typing import Any

import django_filters
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
from compact.core.api.errors import service_call
from compact.core.api.fields import IntegerField, ModelSerializer
from compact.core.api.filters import DjangoFilterBackend, FilterSet, IdFilter
from compact.core.models import Classification
from compact.lib.integers import column_type
from compact.lib.workflow import EditConflictError, StaleStateError, TransitionNotAllowedError
from compact.registry.models import Entity
from compact.registry.selectors import entity_resolve
from compact.registry.serializers import EntityRefSerializer, person_name
from reporting.consultation.models import SECTION_KEY_LENGTH, ConsultationComment, ConsultationRound
from reporting.consultation.permissions import (
    can_manage_consultations,
    can_read_response,
    comment_changeable,
    entities_spoken_for,
)
from reporting.consultation.selectors import comments_visible_to, round_tracking, rounds_visible_to, sections_for
from reporting.consultation.services import (
    COMMENT_LIMIT,
    NOTE_LIMIT,
    consultation_act,
    consultation_comment_create,
    consultation_comment_respond,
    consultation_comment_update,
    consultation_comment_withdraw,
    consultation_create,
)
from reporting.consultation.subjects import SUBJECTS
from reporting.consultation.workflow import CONSULTATION_TRANSITIONS, OCT

# The kinds of document a round may be about (the schema's ``ConsultationSubjectEnum``): one per
# adapter registered in ``reporting.consultation.subjects``.
SUBJECT_KINDS = [(subject.kind, str(subject.label)) for subject in SUBJECTS.values()]
# OCT's moves (``ConsultationActionEnum``); the scheduler's ``expire`` is never a request.
OCT_ACTIONS = [(t.action, str(t.label)) for t in CONSULTATION_TRANSITIONS if t.by == OCT]
NOT_READABLE = OpenApiResponse(description="No such consultation, or the caller may not read it.")
COMMENT_NOT_READABLE = OpenApiResponse(description="No such comment, or the caller may not read it.")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField(help_text="Empty above the caller's clearance.")
    text = serializers.CharField(allow_null=True, help_text="Null above the caller's clearance.")
    classification = serializers.ChoiceField(choices=Classification.choices)


class TrackingSerializer(serializers.Serializer):
    entity = EntityRefSerializer()
    comments = serializers.IntegerField(help_text="How many sections it commented on.")


class ConsultationRoundSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-consultation-round-detail")
    subject_kind = serializers.ChoiceField(choices=SUBJECT_KINDS)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    entities = serializers.SerializerMethodField()

    class Meta:
        model = ConsultationRound
        fields = [
            "id",
            "url",
            "subject_kind",
            "subject_id",
            "title",
            "note",
            "comments_due_on",
            "state",
            "state_label",
            "classification",
            "opened_at",
            "closed_at",
            "entities",
            "revision",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_entities(self, round_: ConsultationRound) -> list[str]:
        """The acronyms of the entities consulted."""
        return sorted(entity.acronym for entity in round_.entities.all())  # prefetched by the viewset


class ConsultationRoundDetailSerializer(ConsultationRoundSerializer):
    sections = serializers.SerializerMethodField()
    tracking = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ConsultationRoundSerializer.Meta):
        fields = [*ConsultationRoundSerializer.Meta.fields, "sections", "tracking", "available_actions"]
        read_only_fields = fields

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, round_: ConsultationRound) -> list[dict[str, Any]]:
        """The sections as frozen when the round opened (a draft: the document as it stands)."""
        views = sections_for(self.context["request"].user, round_)
        return [{"key": v.key, "title": v.title, "text": v.text, "classification": v.classification} for v in views]

    @extend_schema_field(TrackingSerializer(many=True))
    def get_tracking(self, round_: ConsultationRound) -> list[dict[str, Any]]:
        """Each consulted entity's number of comments (OCT and the USG; empty for others)."""
        return TrackingSerializer(round_tracking(self.context["request"].user, round_), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=OCT_ACTIONS)))
    def get_available_actions(self, round_: ConsultationRound) -> list[str]:
        if not can_manage_consultations(self.context["request"].user):
            return []
        return [t.action for t in CONSULTATION_TRANSITIONS.available(round_.state, by=OCT)]


class ConsultationCreateSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=SUBJECT_KINDS)
    subject_id = IntegerField(db_type=column_type(ConsultationRound, "subject_id"), help_text="The document's id.")
    comments_due_on = serializers.DateField()
    entities = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=200,
        help_text="Acronyms of the entities consulted; every member entity when left out.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_LIMIT)


class ConsultationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=OCT_ACTIONS)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_LIMIT, help_text="Required to cancel."
    )


class ConsultationConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=ConsultationRound.State.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=OCT_ACTIONS))


class ConsultationRoundFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=ConsultationRound.State.choices)
    subject_kind = django_filters.ChoiceFilter(choices=SUBJECT_KINDS)

    class Meta:
        model = ConsultationRound
        fields = ["state", "subject_kind"]


@extend_schema_view(
    list=extend_schema(
        description="The rounds the caller may read: OCT all, the USG the opened ones, a focal point or chair "
        "the opened ones consulting their entity. Empty for anyone else."
    ),
    retrieve=extend_schema(responses={200: ConsultationRoundDetailSerializer, 404: NOT_READABLE}),
)
class ConsultationRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Consultation rounds on a document (Annex III, V.12)."""

    filterset_class = ConsultationRoundFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ConsultationRound]:
        return rounds_visible_to(self.request.user).prefetch_related("entities")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ConsultationRoundSerializer if self.action == "list" else ConsultationRoundDetailSerializer

    def _detail(self, round_: ConsultationRound, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().get(pk=round_.pk)
        return Response(ConsultationRoundDetailSerializer(current, context=self.get_serializer_context()).data, code)

    def _require_oct(self) -> None:
        if not can_manage_consultations(self.request.user):
            raise PermissionDenied(_("Only the OCT secretariat runs consultations."))

    @extend_schema(
        request=ConsultationCreateSerializer,
        responses={
            201: ConsultationRoundDetailSerializer,
            400: OpenApiResponse(description="No such document, a past deadline, an entity not party…"),
            403: OpenApiResponse(description="The caller is not the OCT secretariat."),
        },
    )
    def create(self, request: Request) -> Response:
        """Prepare a round (OCT); nobody else sees it until it opens."""
        self._require_oct()
        form = ConsultationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        entities: list[Entity] = []
        for name in data.pop("entities", []):
            entity = entity_resolve(name)
            if entity is None:
                raise serializers.ValidationError(
                    {"entities": [_("There is no such entity: %(name)s.") % {"name": name}]}
                )
            entities.append(entity)
        round_ = service_call(
            lambda: consultation_create(actor=request.user, entities=entities or None, **data), refusal=403
        )
        return self._detail(round_, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConsultationTransitionSerializer,
        responses={
            200: ConsultationRoundDetailSerializer,
            400: OpenApiResponse(description="A missing reason (cancel), comments without a response (respond)…"),
            403: OpenApiResponse(description="The caller may read the round but is not the OCT secretariat."),
            404: NOT_READABLE,
            409: ConsultationConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one of OCT's moves: open (freezes the document, e-mails the consulted focal
        points), close, respond (publish the responses) or cancel with a reason."""
        round_ = self.get_object()
        self._require_oct()
        move = ConsultationTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        try:
            round_ = service_call(
                lambda: consultation_act(
                    round=round_,
                    action=move.validated_data["action"],
                    actor=request.user,
                    reason=move.validated_data.get("reason", ""),
                ),
                refusal=403,
            )
        except (TransitionNotAllowedError, StaleStateError):
            round_.refresh_from_db()
            body = {
                "detail": _("This step is not possible while the consultation is “%(state)s”.")
                % {"state": round_.get_state_display()},
                "state": round_.state,
                "available_actions": [t.action for t in CONSULTATION_TRANSITIONS.available(round_.state, by=OCT)],
            }
            return Response(ConsultationConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)
        return self._detail(round_)


# --- Comments ---------------------------------------------------------------------------------------


class ConsultationCommentSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-consultation-comment-detail")
    round = serializers.PrimaryKeyRelatedField(read_only=True)
    entity = EntityRefSerializer(read_only=True)
    section = serializers.CharField(source="section_key", read_only=True)
    author = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()

    class Meta:
        model = ConsultationComment
        fields = [
            "id",
            "url",
            "round",
            "entity",
            "section",
            "text",
            "classification",
            "author",
            "created_at",
            "updated_at",
            "revision",
            "response",
            "response_note",
            "responded_at",
            "editable",
        ]
        read_only_fields = fields

    def get_author(self, comment: ConsultationComment) -> str | None:
        return person_name(comment.author)

    def to_representation(self, comment: ConsultationComment) -> dict[str, Any]:
        data = super().to_representation(comment)
        if not can_read_response(self.context["request"].user, comment.round):
            # OCT's draft responses: nobody but OCT and the USG reads them until published.
            data.update(response="", response_note="", responded_at=None)
        return data

    def get_editable(self, comment: ConsultationComment) -> bool:
        """Whether the caller may change or withdraw it now."""
        user = self.context["request"].user
        # Read once per request (a list asks nothing per comment): whom the caller speaks for,
        # and who each round consults.
        cache = self.context.setdefault("consultation_rights", {"consulted": {}})
        if "spoken" not in cache:
            cache["spoken"] = entities_spoken_for(user)
        if comment.round_id not in cache["consulted"]:
            cache["consulted"][comment.round_id] = {entity.pk for entity in comment.round.entities.all()}
        return comment_changeable(user, comment, consulted=cache["consulted"][comment.round_id], spoken=cache["spoken"])


class ConsultationCommentCreateSerializer(serializers.Serializer):
    round = IntegerField(db_type=column_type(ConsultationRound, "id"), help_text="The round's id.")
    entity = serializers.CharField(max_length=40, help_text="The entity's acronym.")
    section = serializers.CharField(max_length=SECTION_KEY_LENGTH, help_text="The section's key.")
    text = serializers.CharField(max_length=COMMENT_LIMIT)
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.UNCLASSIFIED)


class ConsultationCommentUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=COMMENT_LIMIT)
    classification = serializers.ChoiceField(choices=Classification.choices)
    revision = IntegerField(db_type=column_type(ConsultationComment, "revision"), help_text="The revision read last.")


class ConsultationResponseSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=ConsultationComment.Response.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_LIMIT)


class ConsultationCommentConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ConsultationCommentSerializer()


class ConsultationCommentFilter(FilterSet):
    # A plain id, not a choice among every round: a hidden round and a missing one both give an empty list.
    round = IdFilter(field_name="round", help_text="A round's id.")
    entity = django_filters.CharFilter(field_name="entity__acronym", lookup_expr="iexact", max_length=40)
    section = django_filters.CharFilter(field_name="section_key", max_length=SECTION_KEY_LENGTH)

    class Meta:
        model = ConsultationComment
        fields = ["round", "entity", "section"]


@extend_schema_view(
    list=extend_schema(
        description="The comments the caller may read: OCT and the USG every entity's, a consulted entity its "
        "own (every one once the responses are published); never above the caller's clearance."
    ),
    retrieve=extend_schema(responses={200: ConsultationCommentSerializer, 404: COMMENT_NOT_READABLE}),
)
class ConsultationCommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A consulted entity's comment on one section of a round, and OCT's response."""

    serializer_class = ConsultationCommentSerializer
    filterset_class = ConsultationCommentFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ConsultationComment]:
        return comments_visible_to(self.request.user).prefetch_related("round__entities")

    def _detail(self, comment: ConsultationComment, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().filter(pk=comment.pk).first()
        if current is None:
            raise Http404
        return Response(ConsultationCommentSerializer(current, context=self.get_serializer_context()).data, code)

    @extend_schema(
        request=ConsultationCommentCreateSerializer,
        responses={
            201: ConsultationCommentSerializer,
            400: OpenApiResponse(
                description="No such round, entity or section; a round not open or past its deadline; an entity "
                "not consulted or that commented on the section already; a marking below the section's or above "
                "the caller's clearance."
            ),
            403: OpenApiResponse(description="The caller does not speak for the entity."),
        },
    )
    def create(self, request: Request) -> Response:
        """Send the entity's comment on one section of an open round."""
        form = ConsultationCommentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        round_ = rounds_visible_to(request.user).filter(pk=data["round"]).first()
        if round_ is None:
            raise serializers.ValidationError({"round": [_("There is no such consultation.")]})
        entity = entity_resolve(data["entity"])
        if entity is None:
            raise serializers.ValidationError({"entity": [_("There is no such entity.")]})
        comment = service_call(
            lambda: consultation_comment_create(
                round=round_,
                entity=entity,
                section_key=data["section"],
                actor=request.user,
                text=data["text"],
                classification=data["classification"],
            ),
            refusal=403,
        )
        return self._detail(comment, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConsultationCommentUpdateSerializer,
        responses={
            200: ConsultationCommentSerializer,
            400: OpenApiResponse(description="Field errors, or the round is no longer open."),
            403: OpenApiResponse(description="The caller may read the comment but does not speak for its entity."),
            404: COMMENT_NOT_READABLE,
            409: ConsultationCommentConflictSerializer,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the comment while the round is open, from the revision read last (a stale one is a 409)."""
        comment = self.get_object()
        form = ConsultationCommentUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            comment = service_call(
                lambda: consultation_comment_update(
                    comment=comment,
                    actor=request.user,
                    base_revision=form.validated_data["revision"],
                    text=form.validated_data["text"],
                    classification=form.validated_data["classification"],
                ),
                refusal=403,
            )
        except EditConflictError as conflict:
            current = ConsultationCommentSerializer(conflict.current, context=self.get_serializer_context()).data
            return Response({"detail": str(conflict), "current": current}, status=status.HTTP_409_CONFLICT)
        return self._detail(comment)

    @extend_schema(
        responses={
            204: None,
            400: OpenApiResponse(description="The round is no longer open."),
            403: OpenApiResponse(description="The caller may read the comment but does not speak for its entity."),
            404: COMMENT_NOT_READABLE,
        }
    )
    def destroy(self, request: Request, pk: str) -> Response:
        """Withdraw the comment while the round is open."""
        comment = self.get_object()
        service_call(lambda: consultation_comment_withdraw(comment=comment, actor=request.user), refusal=403)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=ConsultationResponseSerializer,
        responses={
            200: ConsultationCommentSerializer,
            400: OpenApiResponse(description="The round is not closed, or a note is missing."),
            403: OpenApiResponse(description="The caller is not the OCT secretariat."),
            404: COMMENT_NOT_READABLE,
        },
    )
    @action(detail=True, methods=["post"])
    def response(self, request: Request, pk: str) -> Response:
        """Record OCT's response (accepted, partly, not taken up, with a note) once the round is closed."""
        comment = self.get_object()
        if not can_manage_consultations(request.user):
            raise PermissionDenied(_("Only the OCT secretariat runs consultations."))
        form = ConsultationResponseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        comment = service_call(
            lambda: consultation_comment_respond(
                comment=comment,
                actor=request.user,
                response=form.validated_data["response"],
                note=form.validated_data.get("note", ""),
            ),
            refusal=403,
        )
        return self._detail(comment)
