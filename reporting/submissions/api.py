"""The submissions API: the working groups' briefings and progress reports, scoped to what
the caller may read, with draft saves, the moves of the workflow, and versions with diffs.

Anything the caller may not read (another group's draft, a classification above their
clearance) is a 404, exactly like a submission that does not exist. Something they may read
but not change is a 403; a save based on an old revision, or a move someone else made first,
is a 409 that says what is there now.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.filters import DjangoFilterBackend, FilterSet
from compact.core.models import Classification
from compact.lib.workflow import EditConflictError, StaleStateError, TransitionNotAllowedError
from compact.registry.serializers import service_error_detail
from reporting.lib.diff import content_diff
from reporting.submissions.models import ActivityProgress, Submission, SubmissionStep, SubmissionVersion
from reporting.submissions.permissions import available_moves
from reporting.submissions.selectors import (
    content_labels,
    get_submission_for_user_or_404,
    submissions_visible_to,
    versions_of,
)
from reporting.submissions.serializers import (
    VERSION_NUMBER,
    SubmissionConflictSerializer,
    SubmissionDetailSerializer,
    SubmissionDraftSerializer,
    SubmissionSerializer,
    SubmissionTransitionSerializer,
    TransitionConflictSerializer,
    VersionDetailSerializer,
    VersionDiffQuerySerializer,
    VersionDiffSerializer,
    VersionSerializer,
)
from reporting.submissions.services import ActivityLine, submission_act, submission_save_draft
from reporting.submissions.workflow import TRANSITIONS
from workinggroups.permissions import can_lead_group

NOT_READABLE = OpenApiResponse(description="No such submission, or the caller may not read it.")


class SubmissionFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=Submission.Status.choices)
    classification = django_filters.ChoiceFilter(choices=Classification.choices)

    class Meta:
        model = Submission
        fields = ["period", "working_group", "status", "classification"]


@extend_schema_view(
    list=extend_schema(
        description="The submissions the caller may read: OCT all, a group's chair and vice-chairs their "
        "group's in any status, Committee members accepted ones; never above the caller's clearance."
    ),
    retrieve=extend_schema(
        description="One submission: its content, activity lines, history, attachments' names, and the "
        "moves the caller may make.",
        responses={200: SubmissionDetailSerializer, 404: NOT_READABLE},
    ),
)
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A working group's input for a reporting period: a quarterly briefing or a progress report."""

    filterset_class = SubmissionFilter
    ordering_fields = ["status_changed_at", "submitted_at", "period__due_on"]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    lookup_value_regex = r"[0-9]+"
    path_integer_types = {"number": VERSION_NUMBER}

    def get_queryset(self) -> QuerySet[Submission]:
        submissions = submissions_visible_to(self.request.user).order_by(
            "-period__due_on", "period__kind", "working_group__number"
        )
        if self.action == "list":
            return submissions.select_related("submitted_by")
        return submissions.select_related("submitted_by", "last_edited_by").prefetch_related(
            Prefetch("activity_progress", queryset=ActivityProgress.objects.order_by("position", "id")),
            Prefetch("steps", queryset=SubmissionStep.objects.select_related("actor")),
            "attachments",
        )

    def get_serializer_class(self) -> type[SubmissionSerializer]:
        return SubmissionSerializer if self.action == "list" else SubmissionDetailSerializer

    def get_object(self) -> Submission:
        submission = get_submission_for_user_or_404(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, submission)
        return submission

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self.get_object())

    def _reload(self, submission: Submission) -> Submission:
        # Through the scoped selector again: what someone else saved meanwhile may have
        # raised the classification above the caller's clearance.
        current = self.get_queryset().filter(pk=submission.pk).first()
        if current is None:
            raise Http404
        return current

    def _detail(self, submission: Submission) -> Response:
        submission = self._reload(submission)
        return Response(SubmissionDetailSerializer(submission, context=self.get_serializer_context()).data)

    # --- Draft --------------------------------------------------------------------------------

    @extend_schema(
        request=SubmissionDraftSerializer,
        responses={
            200: SubmissionDetailSerializer,
            400: OpenApiResponse(description="Field errors: an unknown field, a line of another report, …"),
            403: OpenApiResponse(description="The caller may read the submission but not edit it."),
            404: NOT_READABLE,
            409: SubmissionConflictSerializer,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Save the draft (its chair and vice-chairs, while it is a draft or returned).

        ``base_revision`` is the revision the editor loaded. If someone saved since, nothing is
        written and the answer is a 409 with the draft as it is now; merge, then send again with
        ``current_revision``. Fields left out keep their text."""
        submission = self.get_object()
        draft = SubmissionDraftSerializer(data=request.data)
        draft.is_valid(raise_exception=True)
        data = draft.validated_data
        try:
            submission_save_draft(
                submission=submission,
                actor=request.user,
                base_revision=data["base_revision"],
                fields=data.get("fields", {}),
                classification=data.get("classification", submission.classification),
                activities=[ActivityLine(**line) for line in data.get("activities", [])],
            )
        except EditConflictError as conflict:
            return self._edit_conflict(conflict.current, str(conflict))
        except StaleStateError as error:
            return self._edit_conflict(submission, str(error))
        except PermissionDenied:
            # A leader of the group who may no longer edit: the report has moved on (409).
            if submission.is_editable or not can_lead_group(request.user, submission.working_group):
                raise
            return self._edit_conflict(submission, _("This submission is no longer a draft."))
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return self._detail(submission)

    def _edit_conflict(self, submission: Submission, detail: str) -> Response:
        current = self._reload(submission)
        body = {"detail": detail, "current_revision": current.revision, "current": current}
        data = SubmissionConflictSerializer(body, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_409_CONFLICT)

    # --- Workflow -----------------------------------------------------------------------------

    @extend_schema(
        request=SubmissionTransitionSerializer,
        responses={
            200: SubmissionDetailSerializer,
            400: OpenApiResponse(description="A missing comment (return, reopen) or an unknown action."),
            403: OpenApiResponse(description="The caller may read the submission but not make this move."),
            404: NOT_READABLE,
            409: TransitionConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Make one move: the group's chair or a vice-chair submits or resubmits; OCT returns it
        for revision (comment required), accepts it, or reopens an accepted report (reason
        required). A move the table does not allow from the current status, or one someone
        else made first, is a 409 with the moves open to the caller now."""
        submission = self.get_object()
        move = SubmissionTransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        action_name = move.validated_data["action"]
        try:
            submission_act(
                submission=submission,
                action=action_name,
                actor=request.user,
                comment=move.validated_data.get("comment", ""),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        except TransitionNotAllowedError:
            return self._move_conflict(submission, _not_allowed(action_name, submission.status))
        except StaleStateError as error:
            return self._move_conflict(submission, str(error))
        return self._detail(submission)

    def _move_conflict(self, submission: Submission, detail: str) -> Response:
        submission.refresh_from_db(fields=["status"])
        moves = [t.action for t in available_moves(self.request.user, submission)]
        body = {"detail": detail, "status": submission.status, "available_actions": moves}
        return Response(TransitionConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)

    # --- Versions -----------------------------------------------------------------------------

    def _versions(self, submission: Submission) -> QuerySet[SubmissionVersion]:
        return versions_of(submission, self.request.user)

    def _version_or_404(self, submission: Submission, number: int) -> SubmissionVersion:
        version = self._versions(submission).filter(number=number).first()
        if version is None:
            raise Http404("No such version.")
        return version

    @extend_schema(responses={200: VersionSerializer(many=True), 404: NOT_READABLE})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        """The submitted versions, oldest first: each submission and resubmission is frozen."""
        versions = self._versions(self.get_object())
        return Response(VersionSerializer(versions, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH, description="The version's number.")],
        responses={200: VersionDetailSerializer, 404: NOT_READABLE},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"versions/(?P<number>[0-9]+)",
        url_name="version",
        filter_backends=[],
        pagination_class=None,
    )
    def version(self, request: Request, pk: str, number: str) -> Response:
        """One submitted version with its content as it was then."""
        version = self._version_or_404(self.get_object(), int(number))
        return Response(VersionDetailSerializer(version).data)

    @extend_schema(
        parameters=[VersionDiffQuerySerializer],
        responses={
            200: VersionDiffSerializer,
            400: OpenApiResponse(description="``a`` or ``b`` missing or not a number."),
            404: NOT_READABLE,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="versions/diff",
        url_name="version-diff",
        filter_backends=[],
        pagination_class=None,
    )
    def version_diff(self, request: Request, pk: str) -> Response:
        """What changed from version ``a`` to version ``b``, section by section (each field, each
        activity, the classification and the attachments), word by word."""
        submission = self.get_object()
        query = VersionDiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        old = self._version_or_404(submission, query.validated_data["a"])
        new = self._version_or_404(submission, query.validated_data["b"])
        sections = content_diff(old.content, new.content, content_labels())
        return Response(VersionDiffSerializer({"a": old, "b": new, "sections": sections}).data)


def _not_allowed(action_name: str, status_value: str) -> str:
    return _("“%(action)s” is not possible while the submission is “%(status)s”.") % {
        "action": TRANSITIONS.get(action_name).label,
        "status": Submission.Status(status_value).label,
    }
