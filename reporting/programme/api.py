"""The programme of work's API (Annex III, V.12): programmes with their priorities, expected
results and linked work-plan outputs, OCT's edits of the working copy, the Committee's
adopted versions, and comparisons between them.

OCT and the Committee (members, the USG, every chair and vice-chair) read; for anyone else
signed in the lists are empty and every programme, priority, result or version is a 404, as
for one that does not exist. A reader who is not OCT gets a 403 on a write. An edit sent with
a ``base_revision`` older than the programme's is a 409 that says who saved meanwhile, and
nothing is written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.filters import DjangoFilterBackend, FilterSet, IdFilter
from compact.lib.workflow import EditConflictError
from compact.registry.serializers import person_name, service_error_detail
from reporting.committee.models import Decision
from reporting.programme import services
from reporting.programme.content import programme_snapshot, programme_version_diff
from reporting.programme.models import ExpectedResult, Priority, ProgrammeOfWork, ProgrammeVersion
from reporting.programme.permissions import can_manage_programme
from reporting.programme.selectors import (
    outputs_for_programme,
    priorities_visible_to,
    programmes_visible_to,
    results_visible_to,
    versions_visible_to,
)
from reporting.programme.serializers import (
    NOT_OCT,
    NOT_READABLE,
    ProgrammeAdoptSerializer,
    ProgrammeChangeSerializer,
    ProgrammeCompareQuerySerializer,
    ProgrammeConflictSerializer,
    ProgrammeCreateSerializer,
    ProgrammeDetailSerializer,
    ProgrammeDiffSerializer,
    ProgrammeMoveSerializer,
    ProgrammeOutputRefSerializer,
    ProgrammePrioritySerializer,
    ProgrammePriorityWriteSerializer,
    ProgrammeResultSerializer,
    ProgrammeResultWriteSerializer,
    ProgrammeSerializer,
    ProgrammeVersionDetailSerializer,
    ProgrammeVersionSerializer,
)
from workinggroups.models import WorkingGroup, WorkPlanOutput

# --- Helpers --------------------------------------------------------------------------------------


def _bad(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(service_error_detail(error))


def _require_manager(request: Request) -> None:
    """A reader who is not OCT is refused before the body is read, so a write reveals nothing."""
    if not can_manage_programme(request.user):
        raise exceptions.PermissionDenied(_("Only the OCT secretariat changes the programme of work."))


def _conflict(error: EditConflictError) -> Response:
    current = error.current
    body = {
        "detail": str(error),
        "current_revision": current.revision,
        "updated_by": person_name(current.updated_by),
        "updated_at": current.updated_at,
    }
    return Response(ProgrammeConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)


def _groups(ids: list[int]) -> list[WorkingGroup]:
    groups = list(WorkingGroup.objects.filter(pk__in=ids))
    if len(groups) != len(set(ids)):
        raise serializers.ValidationError({"working_groups": [_("There is no such working group.")]})
    return groups


def _outputs(ids: list[int]) -> list[WorkPlanOutput]:
    outputs = list(WorkPlanOutput.objects.filter(pk__in=ids))
    if len(outputs) != len(set(ids)):
        raise serializers.ValidationError({"outputs": [_("There is no such work-plan output.")]})
    return outputs


class ProgrammeChildFilter(FilterSet):
    programme = IdFilter(field_name="programme", help_text="A programme's id.")

    class Meta:
        model = Priority
        fields = ["programme"]


class ResultFilter(FilterSet):
    priority = IdFilter(field_name="priority", help_text="A priority's id.")
    programme = IdFilter(field_name="priority__programme", help_text="A programme's id.")

    class Meta:
        model = ExpectedResult
        fields = ["priority", "programme"]


class VersionFilter(FilterSet):
    programme = IdFilter(field_name="programme", help_text="A programme's id.")

    class Meta:
        model = ProgrammeVersion
        fields = ["programme"]


# --- Programmes ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description="The programmes of work, newest biennium first. Empty for callers who may not read them."
    ),
    retrieve=extend_schema(
        description="One programme's working copy with its priorities, expected results and linked outputs, "
        "where it stands against its current version, and what changed since.",
        responses={200: ProgrammeDetailSerializer, 404: NOT_READABLE},
    ),
)
class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Committee's two-year programme of work, per biennium."""

    filter_backends: list[type] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ProgrammeOfWork]:
        return programmes_visible_to(self.request.user)

    def get_serializer_class(self) -> type[ProgrammeSerializer]:
        return ProgrammeSerializer if self.action == "list" else ProgrammeDetailSerializer

    def _detail(self, programme: ProgrammeOfWork, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().get(pk=programme.pk)
        return Response(ProgrammeDetailSerializer(current, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeDetailSerializer, 400: OpenApiResponse(description="Field errors."), 403: NOT_OCT},
    )
    def create(self, request: Request) -> Response:
        """Start a biennium's programme (OCT; one per biennium)."""
        _require_manager(request)
        form = ProgrammeCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            programme = services.programme_create(actor=request.user, **form.validated_data)
        except DjangoValidationError as error:
            raise _bad(error) from error
        return self._detail(programme, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgrammeChangeSerializer,
        responses={
            200: ProgrammeDetailSerializer,
            400: OpenApiResponse(description="Field errors."),
            403: NOT_OCT,
            404: NOT_READABLE,
            409: ProgrammeConflictSerializer,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the title, GA resolution or introduction (OCT). Fields left out keep their value."""
        programme = self.get_object()
        _require_manager(request)
        form = ProgrammeChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {
            "title": programme.title,
            "strategy_review_resolution": programme.strategy_review_resolution,
            "introduction": programme.introduction,
            **form.validated_data,
        }
        try:
            services.programme_update(programme=programme, actor=request.user, **data)
        except EditConflictError as error:
            return _conflict(error)
        except DjangoValidationError as error:
            raise _bad(error) from error
        return self._detail(programme)

    @extend_schema(
        request=ProgrammeAdoptSerializer,
        responses={
            201: ProgrammeVersionDetailSerializer,
            400: OpenApiResponse(
                description="The decision is of a meeting not held, adopted a version already, or nothing changed."
            ),
            403: NOT_OCT,
            404: NOT_READABLE,
        },
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str) -> Response:
        """Record that the Committee adopted the working copy by a decision (OCT): the next version
        freezes it, indicators included, dated the day of the decision's meeting."""
        programme = self.get_object()
        _require_manager(request)  # refused before the body is read: a reader learns nothing of decisions
        form = ProgrammeAdoptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decision = Decision.objects.filter(pk=form.validated_data["decision"]).first()
        if decision is None:
            raise serializers.ValidationError({"decision": [_("There is no such decision.")]})
        try:
            version = services.programme_adopt(
                programme=programme,
                decision=decision,
                change_note=form.validated_data["change_note"],
                actor=request.user,
                base_revision=form.validated_data["base_revision"],
            )
        except DjangoValidationError as error:
            raise _bad(error) from error
        except EditConflictError as error:
            return _conflict(error)
        body = ProgrammeVersionDetailSerializer(version, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ProgrammeOutputRefSerializer(many=True), 404: NOT_READABLE})
    @action(detail=True, methods=["get"], pagination_class=None)
    def outputs(self, request: Request, pk: str) -> Response:
        """The groups' work-plan outputs an expected result of this programme may link: those of
        the work plans for the programme's biennium."""
        programme = self.get_object()
        return Response(ProgrammeOutputRefSerializer(outputs_for_programme(programme), many=True).data)

    @extend_schema(responses={200: ProgrammeVersionSerializer(many=True), 404: NOT_READABLE})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        """The programme's adopted versions, newest first."""
        programme = self.get_object()
        versions = versions_visible_to(request.user).filter(programme=programme).order_by("-number")
        return Response(ProgrammeVersionSerializer(versions, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[ProgrammeCompareQuerySerializer],
        responses={
            200: ProgrammeDiffSerializer,
            400: OpenApiResponse(description="No such version."),
            404: NOT_READABLE,
        },
    )
    @action(detail=True, methods=["get"])
    def compare(self, request: Request, pk: str) -> Response:
        """What changed from version ``old`` to version ``new`` (or to the working copy)."""
        programme = self.get_object()
        query = ProgrammeCompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        versions = {v.number: v for v in programme.versions.all()}
        wanted = [query.validated_data["old"], query.validated_data.get("new")]
        missing = [n for n in wanted if n is not None and n not in versions]
        if missing:
            raise serializers.ValidationError(
                {"old" if missing[0] == wanted[0] else "new": [_("There is no such version.")]}
            )
        old = versions[wanted[0]].content
        new = versions[wanted[1]].content if wanted[1] is not None else programme_snapshot(programme)
        return Response(ProgrammeDiffSerializer(programme_version_diff(old, new)).data)


@extend_schema_view(
    list=extend_schema(description="Adopted versions, newest first. Empty for callers who may not read them."),
    retrieve=extend_schema(
        description="One adopted version with its frozen content.",
        responses={200: ProgrammeVersionDetailSerializer, 404: NOT_READABLE},
    ),
)
class ProgrammeVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """The programme as the Committee adopted it: never changed."""

    filterset_class = VersionFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ProgrammeVersion]:
        return versions_visible_to(self.request.user).order_by("programme", "-number")

    def get_serializer_class(self) -> type[ProgrammeVersionSerializer]:
        return ProgrammeVersionSerializer if self.action == "list" else ProgrammeVersionDetailSerializer


# --- Priorities and expected results ---------------------------------------------------------------------


WRITE_RESPONSES = {
    400: OpenApiResponse(description="Field errors."),
    403: NOT_OCT,
    404: NOT_READABLE,
    409: ProgrammeConflictSerializer,
}


@extend_schema_view(
    list=extend_schema(description="Priorities of the programmes the caller may read, in order."),
    retrieve=extend_schema(responses={200: ProgrammePrioritySerializer, 404: NOT_READABLE}),
)
class PriorityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A programme's priorities, with their pillars, working groups and expected results."""

    serializer_class = ProgrammePrioritySerializer
    filterset_class = ProgrammeChildFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Priority]:
        return (
            priorities_visible_to(self.request.user)
            .prefetch_related("working_groups", "results__outputs__work_plan__working_group")
            .order_by("programme", "position", "pk")
        )

    def _detail(self, priority: Priority, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().get(pk=priority.pk)
        return Response(ProgrammePrioritySerializer(current, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=ProgrammePriorityWriteSerializer, responses={201: ProgrammePrioritySerializer, **WRITE_RESPONSES}
    )
    def create(self, request: Request) -> Response:
        """Add a priority at the end of a programme (OCT); ``programme``, ``code`` and ``title`` required."""
        form = ProgrammePriorityWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        programme = programmes_visible_to(request.user).filter(pk=data.pop("programme", None)).first()
        if programme is None:
            raise serializers.ValidationError({"programme": [_("There is no such programme.")]})
        data["working_groups"] = _groups(data.get("working_groups", []))
        try:
            priority = services.priority_add(
                programme=programme, actor=request.user, code=data.pop("code", ""), title=data.pop("title", ""), **data
            )
        except EditConflictError as error:
            return _conflict(error)
        except DjangoValidationError as error:
            raise _bad(error) from error
        return self._detail(priority, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgrammePriorityWriteSerializer, responses={200: ProgrammePrioritySerializer, **WRITE_RESPONSES}
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a priority (OCT); fields left out keep their value."""
        priority = self.get_object()
        form = ProgrammePriorityWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {
            "code": priority.code,
            "title": priority.title,
            "description": priority.description,
            "pillars": priority.pillars,
            "resources_needed_usd": priority.resources_needed_usd,
            **form.validated_data,
        }
        data.pop("programme", None)
        groups = form.validated_data.get("working_groups")
        data["working_groups"] = _groups(groups) if groups is not None else list(priority.working_groups.all())
        try:
            services.priority_update(priority=priority, actor=request.user, **data)
        except EditConflictError as error:
            return _conflict(error)
        except DjangoValidationError as error:
            raise _bad(error) from error
        return self._detail(priority)

    @extend_schema(responses={204: None, 403: NOT_OCT, 404: NOT_READABLE})
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove a priority and its expected results (OCT). Adopted versions keep them."""
        services.priority_remove(priority=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=ProgrammeMoveSerializer, responses={200: ProgrammePrioritySerializer, 403: NOT_OCT, 404: NOT_READABLE}
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Move the priority one place up or down (OCT)."""
        priority = self.get_object()
        form = ProgrammeMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.priority_move(priority=priority, actor=request.user, direction=form.validated_data["direction"])
        return self._detail(priority)


@extend_schema_view(
    list=extend_schema(description="Expected results of the programmes the caller may read, in order."),
    retrieve=extend_schema(responses={200: ProgrammeResultSerializer, 404: NOT_READABLE}),
)
class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What a priority should achieve, and the groups' work-plan outputs that deliver it."""

    serializer_class = ProgrammeResultSerializer
    filterset_class = ResultFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[ExpectedResult]:
        return results_visible_to(self.request.user).order_by(
            "priority__programme", "priority__position", "position", "pk"
        )

    def _detail(self, result: ExpectedResult, *, code: int = status.HTTP_200_OK) -> Response:
        current = self.get_queryset().get(pk=result.pk)
        return Response(ProgrammeResultSerializer(current, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=ProgrammeResultWriteSerializer, responses={201: ProgrammeResultSerializer, **WRITE_RESPONSES}
    )
    def create(self, request: Request) -> Response:
        """Add an expected result at the end of a priority (OCT); ``priority`` and ``text`` required."""
        form = ProgrammeResultWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        priority = priorities_visible_to(request.user).filter(pk=data.pop("priority", None)).first()
        if priority is None:
            raise serializers.ValidationError({"priority": [_("There is no such priority.")]})
        data["outputs"] = _outputs(data.get("outputs", []))
        try:
            result = services.result_add(priority=priority, actor=request.user, text=data.pop("text", ""), **data)
        except EditConflictError as error:
            return _conflict(error)
        except DjangoValidationError as error:
            raise _bad(error) from error
        return self._detail(result, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgrammeResultWriteSerializer, responses={200: ProgrammeResultSerializer, **WRITE_RESPONSES}
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change an expected result's text or linked outputs (OCT); fields left out keep their value."""
        result = self.get_object()
        form = ProgrammeResultWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {"text": result.text, **form.validated_data}
        data.pop("priority", None)
        ids = form.validated_data.get("outputs")
        data["outputs"] = _outputs(ids) if ids is not None else list(result.outputs.all())
        try:
            services.result_update(result=result, actor=request.user, **data)
        except EditConflictError as error:
            return _conflict(error)
        except DjangoValidationError as error:
            raise _bad(error) from error
        return self._detail(result)

    @extend_schema(responses={204: None, 403: NOT_OCT, 404: NOT_READABLE})
    def destroy(self, request: Request, pk: str) -> Response:
        """Remove an expected result (OCT). Adopted versions keep it."""
        services.result_remove(result=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=ProgrammeMoveSerializer, responses={200: ProgrammeResultSerializer, 403: NOT_OCT, 404: NOT_READABLE}
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Move the result one place up or down within its priority (OCT)."""
        result = self.get_object()
        form = ProgrammeMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.result_move(result=result, actor=request.user, direction=form.validated_data["direction"])
        return self._detail(result)
