"""The biennial review of the Compact in the API: reviews and the entities' comments.

Same rules as the pages: OCT prepares, changes and moves reviews; the Committee (the USG,
Committee members, chairs and vice-chairs) and the focal points read the opened ones; focal
points write their entity's comment while a review is open. A review or comment the caller may
not read is a 404, exactly like one that does not exist, and an empty list; one they may read
but not change is a 403; a save based on an old revision, or a move the table does not allow
now, is a 409 that says what is there now.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
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
from compact.core.api.fields import IntegerField, ModelSerializer, PrimaryKeyRelatedField
from compact.core.api.filters import DjangoFilterBackend, FilterSet
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.integers import column_type
from compact.lib.workflow import EditConflictError, StaleStateError, TransitionNotAllowedError
from compact.registry.models import Membership
from compact.registry.selectors import entity_resolve
from compact.registry.serializers import EntityRefSerializer, person_name, service_error_detail
from reporting.committee.models import Decision
from reporting.review.models import FIRST_BIENNIUM, LAST_BIENNIUM, BiennialReview, ReviewComment
from reporting.review.permissions import can_manage_reviews, can_read_outcome, comment_writer
from reporting.review.selectors import comments_visible_to, review_tracking, reviews_visible_to
from reporting.review.services import comment_create, comment_update, review_act, review_create, review_update
from reporting.review.workflow import OCT, REVIEW_TRANSITIONS

# Every move of a review (the schema's ``ReviewActionEnum``).
REVIEW_ACTIONS = [(t.action, str(t.label)) for t in REVIEW_TRANSITIONS]
# Where an entity stands on a review (``ReviewProgressEnum``).
PROGRESS_CHOICES = [
    ("commented", "Commented on time"),
    ("late", "Commented after the deadline"),
    ("awaited", "Not yet, deadline not passed"),
    ("overdue", "Expected, deadline passed"),
]

NOT_READABLE = OpenApiResponse(description="No such review, or the caller may not read it.")
COMMENT_NOT_READABLE = OpenApiResponse(description="No such comment, or the caller may not read it.")


# --- Serializers ----------------------------------------------------------------------------------


class ReviewMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=REVIEW_ACTIONS)
    label = serializers.CharField()
    reason = serializers.ChoiceField(choices=["required", "optional", "none"], help_text="Whether it takes a reason.")


class TrackingRowSerializer(serializers.Serializer):
    entity = EntityRefSerializer()
    status = serializers.ChoiceField(choices=Membership.Status.choices, help_text="Membership status today.")
    expected = serializers.BooleanField(help_text="Members are expected to comment (and chased); observers may.")
    progress = serializers.ChoiceField(choices=PROGRESS_CHOICES)


class DecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id", help_text="The Committee meeting's id.")
    meeting_date = serializers.DateField(source="meeting.date")


class BiennialReviewSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-biennial-review-detail")
    biennium_label = serializers.CharField(read_only=True, help_text="2027–2028 for the biennium 2027.")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    outcome = serializers.SerializerMethodField()
    endorsed_by = DecisionRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = BiennialReview
        fields = [
            "id",
            "url",
            "biennium",
            "biennium_label",
            "title",
            "resolution_symbol",
            "resolution_url",
            "opens_on",
            "comments_due_on",
            "state",
            "state_label",
            "outcome",
            "outcome_classification",
            "endorsed_by",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outcome(self, review: BiennialReview) -> str | None:
        """OCT's synthesis and outcome: null until the review is concluded (OCT: always), or if
        it is marked above the caller's clearance."""
        return review.outcome if can_read_outcome(self.context["request"].user, review) else None


class BiennialReviewDetailSerializer(BiennialReviewSerializer):
    available_actions = serializers.SerializerMethodField()
    tracking = serializers.SerializerMethodField()

    class Meta(BiennialReviewSerializer.Meta):
        fields = [*BiennialReviewSerializer.Meta.fields, "available_actions", "tracking"]
        read_only_fields = fields

    @extend_schema_field(ReviewMoveSerializer(many=True))
    def get_available_actions(self, review: BiennialReview) -> list[dict[str, Any]]:
        if not can_manage_reviews(self.context["request"].user):
            return []
        user = self.context["request"].user
        moves = REVIEW_TRANSITIONS.available(review.state, by=OCT, actor=user, proposer=review.outcome_written_by_id)
        return [{"action": t.action, "label": str(t.label), "reason": t.message} for t in moves]

    @extend_schema_field(TrackingRowSerializer(many=True))
    def get_tracking(self, review: BiennialReview) -> list[dict[str, Any]]:
        """Which parties have commented, late, or not yet (OCT and the Committee; empty for others)."""
        rows = review_tracking(self.context["request"].user, review)
        return TrackingRowSerializer(rows, many=True).data


class BiennialReviewWriteSerializer(serializers.Serializer):
    """A review's fields (POST and PUT: all the required ones; PATCH: those sent)."""

    biennium = IntegerField(
        min_value=FIRST_BIENNIUM, max_value=LAST_BIENNIUM, help_text="The first year: 2027 for 2027–2028."
    )
    title = serializers.CharField(max_length=255)
    resolution_symbol = serializers.CharField(max_length=32, help_text="e.g. A/RES/77/298.")
    resolution_url = serializers.URLField(required=False, allow_blank=True, help_text="https:// only.")
    opens_on = serializers.DateField()
    comments_due_on = serializers.DateField()
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=100000)
    outcome_classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    endorsed_by = PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), required=False, allow_null=True, help_text="A Committee decision's id."
    )


class BiennialReviewUpdateSerializer(BiennialReviewWriteSerializer):
    revision = IntegerField(
        db_type=column_type(BiennialReview, "revision"),
        help_text="The revision the change is based on (from the last read).",
    )


class ReviewTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=REVIEW_ACTIONS)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Required to reopen; e-mailed to the focal points.",
    )


class ReviewConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.ChoiceField(choices=BiennialReview.State.choices)
    revision = serializers.IntegerField()
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=REVIEW_ACTIONS))


class ReviewCommentSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-review-comment-detail")
    review = serializers.PrimaryKeyRelatedField(read_only=True)
    entity = EntityRefSerializer(read_only=True)
    author = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()
    editable = serializers.SerializerMethodField()

    class Meta:
        model = ReviewComment
        fields = [
            "id",
            "url",
            "review",
            "entity",
            "text",
            "classification",
            "author",
            "created_at",
            "updated_by",
            "updated_at",
            "is_late",
            "revision",
            "editable",
        ]
        read_only_fields = fields

    def get_author(self, comment: ReviewComment) -> str | None:
        """Who first wrote it."""
        return person_name(comment.author)

    def get_updated_by(self, comment: ReviewComment) -> str | None:
        return person_name(comment.updated_by)

    def get_editable(self, comment: ReviewComment) -> bool:
        """Whether the caller may change it now (the review is open, they are a focal point)."""
        if "comment_writer" not in self.context:  # once per response, shared by a list's rows
            self.context["comment_writer"] = comment_writer(self.context["request"].user)
        return self.context["comment_writer"](comment)


class ReviewCommentCreateSerializer(serializers.Serializer):
    review = IntegerField(help_text="The review's id.")
    entity = serializers.CharField(max_length=255, help_text="The entity's acronym (or another name it is known by).")
    text = serializers.CharField(max_length=20000)
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.UNCLASSIFIED)


class ReviewCommentUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    classification = serializers.ChoiceField(choices=Classification.choices)
    revision = IntegerField(
        db_type=column_type(ReviewComment, "revision"),
        help_text="The revision the change is based on (from the last read).",
    )


class ReviewCommentConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ReviewCommentSerializer()


# --- Views ----------------------------------------------------------------------------------------


class ReviewFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=BiennialReview.State.choices)

    class Meta:
        model = BiennialReview
        fields = ["state", "biennium"]


class ReviewCommentFilter(FilterSet):
    classification = django_filters.ChoiceFilter(choices=Classification.choices)
    entity = django_filters.CharFilter(field_name="entity__acronym", lookup_expr="iexact", help_text="An acronym.")

    class Meta:
        model = ReviewComment
        fields = ["review", "entity", "classification", "is_late"]


def _validation(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(service_error_detail(error))


@extend_schema_view(
    list=extend_schema(
        description="The reviews the caller may read: OCT all, the Committee and focal points those opened. "
        "Empty for anyone else."
    ),
    retrieve=extend_schema(
        description="One review, with the moves OCT may make and, for OCT and the Committee, which parties "
        "have commented.",
        responses={200: BiennialReviewDetailSerializer, 404: NOT_READABLE},
    ),
)
class BiennialReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The review of the Compact by its member entities, every two years (Annex III, III.d)."""

    filterset_class = ReviewFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[BiennialReview]:
        return reviews_visible_to(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return BiennialReviewSerializer if self.action == "list" else BiennialReviewDetailSerializer

    def _detail(self, review: BiennialReview, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().get(pk=review.pk)
        return Response(BiennialReviewDetailSerializer(current, context=self.get_serializer_context()).data, code)

    def _require_oct(self) -> None:
        if not can_manage_reviews(self.request.user):
            raise PermissionDenied(_("Only the OCT secretariat runs the review of the Compact."))

    @extend_schema(
        request=BiennialReviewWriteSerializer,
        responses={
            201: BiennialReviewDetailSerializer,
            400: OpenApiResponse(
                description="Field errors: a symbol that is not a GA resolution's, dates, a biennium already reviewed…"
            ),
            403: OpenApiResponse(description="The caller is not the OCT secretariat."),
        },
    )
    def create(self, request: Request) -> Response:
        """Prepare the review of a biennium (OCT); it is shown to others once opened."""
        self._require_oct()
        form = BiennialReviewWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            review = review_create(actor=request.user, **form.validated_data)
        except DjangoValidationError as error:
            raise _validation(error) from error
        return self._detail(review, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=BiennialReviewUpdateSerializer,
        responses={200: BiennialReviewDetailSerializer, 403: None, 404: NOT_READABLE, 409: ReviewConflictSerializer},
    )
    def update(self, request: Request, pk: str) -> Response:
        """Change a review that is not concluded (OCT); every field is sent, with the revision."""
        return self._change(request, partial=False)

    @extend_schema(
        request=BiennialReviewUpdateSerializer,
        responses={200: BiennialReviewDetailSerializer, 403: None, 404: NOT_READABLE, 409: ReviewConflictSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change some fields of a review that is not concluded (OCT), with the revision read last.
        A stale revision is a 409 and changes nothing."""
        return self._change(request, partial=True)

    def _change(self, request: Request, *, partial: bool) -> Response:
        review = self.get_object()
        self._require_oct()
        if not can_read_classification(request.user, review.outcome_classification):
            raise Http404
        form = BiennialReviewUpdateSerializer(data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        base = values.pop("revision", None)
        if base is None:
            raise serializers.ValidationError({"revision": [_("This field is required.")]})
        try:
            review = review_update(review=review, actor=request.user, base_revision=base, **values)
        except DjangoValidationError as error:
            raise _validation(error) from error
        except EditConflictError as error:
            return self._conflict(review, str(error))
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return self._detail(review)

    @extend_schema(
        request=ReviewTransitionSerializer,
        responses={
            200: BiennialReviewDetailSerializer,
            400: OpenApiResponse(description="A missing reason (reopen), no outcome yet (conclude)."),
            403: OpenApiResponse(description="The caller may read the review but is not the OCT secretariat."),
            404: NOT_READABLE,
            409: ReviewConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one move (OCT): open for comments (the focal points are e-mailed), close, conclude
        with the outcome, or reopen with a reason."""
        review = self.get_object()
        self._require_oct()
        move = ReviewTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        try:
            review = review_act(
                review=review,
                action=move.validated_data["action"],
                actor=request.user,
                reason=move.validated_data.get("reason", ""),
            )
        except DjangoValidationError as error:
            raise _validation(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except (TransitionNotAllowedError, StaleStateError):
            message = _("This step is not possible while the review is “%(state)s”.")
            review.refresh_from_db()
            return self._conflict(review, message % {"state": review.get_state_display()})
        return self._detail(review)

    def _conflict(self, review: BiennialReview, detail: str) -> Response:
        review.refresh_from_db()
        user, proposer = self.request.user, review.outcome_written_by_id
        moves = [t.action for t in REVIEW_TRANSITIONS.available(review.state, by=OCT, actor=user, proposer=proposer)]
        body = {"detail": detail, "state": review.state, "revision": review.revision, "available_actions": moves}
        return Response(ReviewConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)


@extend_schema_view(
    list=extend_schema(
        description="The comments the caller may read: OCT and the Committee every entity's, a focal point "
        "their own entity's; never above the caller's clearance."
    ),
    retrieve=extend_schema(responses={200: ReviewCommentSerializer, 404: COMMENT_NOT_READABLE}),
)
class ReviewCommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An entity's comment on a review: one per entity, written by its focal points."""

    serializer_class = ReviewCommentSerializer
    filterset_class = ReviewCommentFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ReviewComment]:
        return comments_visible_to(self.request.user)

    def _detail(self, comment: ReviewComment, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().filter(pk=comment.pk).first()
        if current is None:  # e.g. marked above the writer's clearance by someone else since
            raise Http404
        return Response(ReviewCommentSerializer(current, context=self.get_serializer_context()).data, code)

    @extend_schema(
        request=ReviewCommentCreateSerializer,
        responses={
            201: ReviewCommentSerializer,
            400: OpenApiResponse(
                description="Field errors: no such review or entity, a review not open, an entity that is not a "
                "party or has commented already, a classification above the caller's clearance."
            ),
            403: OpenApiResponse(description="The caller is not a focal point of the entity."),
        },
    )
    def create(self, request: Request) -> Response:
        """Send the entity's comment on an open review (its focal points). After the deadline it
        is accepted and marked late, until the review closes."""
        form = ReviewCommentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        review = reviews_visible_to(request.user).filter(pk=data["review"]).first()
        if review is None:
            raise serializers.ValidationError({"review": [_("There is no such review.")]})
        entity = entity_resolve(data["entity"])
        if entity is None:
            raise serializers.ValidationError({"entity": [_("There is no such entity.")]})
        try:
            comment = comment_create(
                review=review,
                entity=entity,
                actor=request.user,
                text=data["text"],
                classification=data["classification"],
            )
        except DjangoValidationError as error:
            raise _validation(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        return self._detail(comment, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewCommentUpdateSerializer,
        responses={
            200: ReviewCommentSerializer,
            400: OpenApiResponse(description="Field errors, or the review is no longer open."),
            403: OpenApiResponse(description="The caller may read the comment but is not a focal point of it."),
            404: COMMENT_NOT_READABLE,
            409: ReviewCommentConflictSerializer,
        },
    )
    def update(self, request: Request, pk: str) -> Response:
        """Change the comment while the review is open, from the revision read last. If someone
        saved it since, nothing is written and the answer is a 409 with the comment as it is now."""
        return self._change(request)

    @extend_schema(
        request=ReviewCommentUpdateSerializer,
        responses={
            200: ReviewCommentSerializer,
            400: OpenApiResponse(description="Field errors, or the review is no longer open."),
            403: OpenApiResponse(description="The caller may read the comment but is not a focal point of it."),
            404: COMMENT_NOT_READABLE,
            409: ReviewCommentConflictSerializer,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """As PUT: the text, its classification and the revision are all sent."""
        return self._change(request)

    def _change(self, request: Request) -> Response:
        comment = self.get_object()
        form = ReviewCommentUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            comment = comment_update(
                comment=comment,
                actor=request.user,
                base_revision=form.validated_data["revision"],
                text=form.validated_data["text"],
                classification=form.validated_data["classification"],
            )
        except DjangoValidationError as error:
            raise _validation(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except EditConflictError as conflict:
            current = ReviewCommentSerializer(conflict.current, context=self.get_serializer_context()).data
            body = {"detail": str(conflict), "current": current}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return self._detail(comment)
