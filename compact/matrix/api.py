"""The project matrix API (Annex III, V.19): browse with the page's filters, read, create, edit
and delete projects, the pivots, OCT's overlap finder and matrix imports.

Reads go through the selectors the pages use (``projects_filtered`` and friends), so a caller
sees the projects their clearance allows and nothing more; a project they may not read is a
404, as if it did not exist. Writes go through ``compact.matrix.services`` and
``compact.matrix.imports.services``: a project a caller reads but may not edit is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from compact.core.api import viewsets
from compact.core.api.errors import service_call
from compact.core.api.fields import IntegerField, ModelSerializer, PrimaryKeyRelatedField
from compact.core.models import Classification
from compact.funding.models import Donor
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from compact.matrix.iati import IatiNotConfiguredError, iati_document, iati_plan, iati_response
from compact.matrix.lifecycle import (
    lifecycle_moves_for,
    project_hrddp_record,
    project_security_forces_set,
    project_stage_move,
)
from compact.matrix.models import HrddpAssessment, OverlapReview, Project, ProjectStageStep
from compact.matrix.permissions import can_edit_project, can_manage_matrix
from compact.matrix.selectors import (
    PROJECT_ORDERINGS,
    STAGE_NOT_KNOWN,
    OverlapCandidate,
    get_project_for_user_or_404,
    pivot_country_pillar,
    pivot_theme_entity,
    project_funding,
    project_overlaps,
    project_rows,
    project_rows_complete,
    projects_filtered,
    projects_per_country,
    projects_with_details,
)
from compact.matrix.services import PROJECT_FIELDS, overlap_review_record, project_delete, project_save
from compact.matrix.workflow import LIFECYCLE_TRANSITIONS
from compact.registry.models import Entity, Pillar
from compact.registry.serializers import WorkingGroupRefSerializer, service_error_detail
from workinggroups.models import WorkingGroup

# The orderings of ``projects_filtered`` (also the ``ProjectOrderingEnum`` of the schema).
PROJECT_ORDERING_CHOICES = list(PROJECT_ORDERINGS)
OVERLAP_SHARED_CHOICES = [("theme", "A working group"), ("pillar", "A pillar (neither has a working group)")]

# Every move of the lifecycle's table (the schema's ``LifecycleActionEnum``).
LIFECYCLE_ACTIONS = [(t.action, str(t.label)) for t in LIFECYCLE_TRANSITIONS]
NOT_READABLE = OpenApiResponse(description="No such project, or the caller's clearance does not reach it.")
NOT_EDITABLE = OpenApiResponse(description="The caller reads the project but may not edit it.")
OCT_ONLY = OpenApiResponse(description="The caller is not the OCT secretariat.")


class CanManageMatrix(BasePermission):
    """The OCT secretariat keeps the matrix (imports)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_manage_matrix(request.user)


# --- Filters ------------------------------------------------------------------------------------


class ProjectQuerySerializer(serializers.Serializer):
    """The browse page's filters. ``projects_filtered`` applies them, so the page, its exports
    and the API select the same projects."""

    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO 3166-1 alpha-2 code, e.g. JO.")
    region = serializers.CharField(required=False, help_text="A region code, e.g. maghreb or m49-western-asia.")
    pillar = serializers.ChoiceField(choices=Pillar.choices, required=False)
    theme = IntegerField(required=False, min_value=1, help_text="The id of a working group it serves.")
    entity = serializers.CharField(required=False, help_text="Acronym (any case) of the lead or a partner entity.")
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False)
    stage = serializers.ChoiceField(
        choices=[*Project.Stage.choices, (STAGE_NOT_KNOWN, "Not known")],
        required=False,
        help_text="A lifecycle stage, or none for the projects whose stage nobody has recorded.",
    )
    donor = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        help_text="A donor's ISO code (EU for the Union): the projects linked to it or earmarked part of its "
        "contribution (earmarks within the caller's clearance).",
    )
    year = IntegerField(required=False, min_value=1990, max_value=2100, help_text="Running at some time in that year.")
    q = serializers.CharField(required=False, max_length=200, help_text="Text in the title, activities or scope.")
    search = serializers.CharField(required=False, max_length=200, help_text="The same as q.")
    ordering = serializers.ChoiceField(choices=PROJECT_ORDERING_CHOICES, required=False, default="title")

    def validate_country(self, value: str) -> str:
        if value.upper() not in dict(countries):
            raise serializers.ValidationError(_("Unknown country code."))
        return value.upper()

    def validate_entity(self, value: str) -> Entity:
        entity = Entity.objects.filter(acronym__iexact=value.strip()).first()
        if entity is None:
            raise serializers.ValidationError(_("No entity has this acronym."))
        return entity

    def selector_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``projects_filtered``."""
        data = self.validated_data
        return {
            "country": data.get("country", ""),
            "region": data.get("region", "").strip(),
            "pillar": data.get("pillar", ""),
            "theme": data.get("theme"),
            "entity": data["entity"].pk if data.get("entity") else None,
            "status": data.get("status", ""),
            "stage": data.get("stage", ""),
            "donor": data.get("donor", "").upper(),
            "year": data.get("year"),
            "search": (data.get("q") or data.get("search") or "").strip(),
            "ordering": data["ordering"],
        }


# --- The IATI file -------------------------------------------------------------------------------


class IatiRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    left_out = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Projects of the filter left out, per reason: classified, no_start, no_description, no_party.",
    )


class AnswersInJson(BaseContentNegotiation):
    """The IATI file is XML whatever the client accepts; a refusal or an error is JSON, as the
    schema says, even to a client that accepts only XML (which DRF would answer 406)."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        return renderers[0], renderers[0].media_type


# --- Projects -----------------------------------------------------------------------------------


class ProjectSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-project-detail")
    lead_entity = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    partner_entities = serializers.SerializerMethodField(help_text="Acronyms of the other parties.")
    partner_organizations = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Organizations that are not parties (EU, LAS …)."
    )
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), read_only=True)
    themes = WorkingGroupRefSerializer(many=True, read_only=True, help_text="The working groups it serves.")
    countries = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2 codes.")
    regions = serializers.SerializerMethodField(help_text="Region codes (UN M49 regions and groupings).")

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "title",
            "main_activities",
            "lead_entity",
            "partner_entities",
            "partner_organizations",
            "status",
            "stage",
            "start_year",
            "start_month",
            "end_year",
            "end_month",
            "duration_text",
            "recurring",
            "pillars",
            "themes",
            "themes_confirmed_at",
            "scope",
            "scope_text",
            "countries",
            "regions",
            "classification",
            "gender_marker",
            "hrdd_assessed",
            "budget_usd",
            "donors",
            "source_key",
            "updated_at",
        ]
        read_only_fields = fields

    # The related rows are read through ``.all()`` so that ``projects_with_details``' prefetch serves them.
    def get_partner_entities(self, project: Project) -> list[str]:
        return sorted(entity.acronym for entity in project.partner_entities.all())

    def get_countries(self, project: Project) -> list[str]:
        return sorted(row.country for row in project.country_rows.all())

    def get_regions(self, project: Project) -> list[str]:
        return sorted(row.region for row in project.region_rows.all())


class ProjectRowWriter:
    """``ProjectSerializer``'s output for the plain rows of ``project_rows``, the same JSON to
    the byte (names, order, types, nulls, URLs), without a model instance or a ``reverse()``
    per row: the list's hot path. ``ProjectSerializer`` stays the list's schema, and a test
    holds the two to the same output.

    The stored columns go through ``ProjectSerializer``'s own fields (dates in the caller's
    time zone, the budget as a decimal string …); the related lists are sorted as its methods
    sort them; the URL is one reversed URL with the id put in."""

    # A project id that only a reversed URL contains: replaced by each row's id.
    URL_SENTINEL = "9876543210"

    def __init__(self, *, request: Request, url_format: str | None = None) -> None:
        fields = ProjectSerializer(context={"request": request}).fields
        self.columns = [(name, fields[name]) for name in ProjectSerializer.Meta.fields if name in PROJECT_ROW_FIELDS]
        url = reverse("api-project-detail", kwargs={"pk": self.URL_SENTINEL}, request=request, format=url_format)
        self.url_head, _sentinel, self.url_tail = url.rpartition(self.URL_SENTINEL)

    def rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.row(row) for row in project_rows_complete(rows)]

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        out = {
            name: (None if row[name] is None else field.to_representation(row[name])) for name, field in self.columns
        }
        return {name: out[name] if name in out else self._special(name, row) for name in ProjectSerializer.Meta.fields}

    def _special(self, name: str, row: dict[str, Any]) -> Any:
        if name == "url":
            return f"{self.url_head}{row['id']}{self.url_tail}"
        if name == "lead_entity":
            return row["lead_acronym"]
        if name == "partner_entities":
            return sorted(row["partner_acronyms"])
        if name == "themes":
            return [{"id": t["id"], "number": t["number"], "short_name": t["short_name"]} for t in row["theme_refs"]]
        if name == "countries":
            return sorted(row["country_codes"])
        return sorted(row["region_codes"])  # regions


# ``ProjectSerializer``'s fields that ``ProjectRowWriter`` takes from a stored column as it is.
PROJECT_ROW_FIELDS = frozenset(ProjectSerializer.Meta.fields) - {
    "url",
    "lead_entity",
    "partner_entities",
    "themes",
    "countries",
    "regions",
}


class ProjectStageStepSerializer(ModelSerializer):
    entity = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProjectStageStep
        fields = ["action", "from_stage", "to_stage", "reached_on", "entity", "cted_input", "actor", "message"]
        read_only_fields = fields


class HrddpAssessmentSerializer(ModelSerializer):
    entity = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = HrddpAssessment
        fields = ["id", "assessed_on", "outcome", "entity", "summary", "recorded_by", "created_at"]
        read_only_fields = fields


class LifecycleMoveRefSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=LIFECYCLE_ACTIONS)
    label = serializers.CharField()
    message = serializers.ChoiceField(
        choices=["required", "optional", "none"], help_text="Whether a ``reason`` is due."
    )


class ProjectEarmarkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    donor = serializers.CharField(source="contribution.donor.code", help_text="The donor's ISO code.")
    year = serializers.IntegerField(source="contribution.year")
    contribution = serializers.IntegerField(source="contribution_id")
    amount_usd = serializers.DecimalField(max_digits=14, decimal_places=2)
    classification = serializers.ChoiceField(choices=Classification.choices)


class ProjectFundingSerializer(serializers.Serializer):
    donors = serializers.ListField(child=serializers.CharField(), help_text="The donors' ISO codes.")
    earmarks = ProjectEarmarkSerializer(many=True)
    earmarked = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="The total of the earmarks listed (those the caller may read)."
    )
    gap = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="The budget less the earmarks listed (negative: earmarked beyond the budget; null without a budget).",
    )


class ProjectDetailSerializer(ProjectSerializer):
    can_edit = serializers.SerializerMethodField(help_text="Whether the caller may edit or delete it.")
    supports_security_forces = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Whether it supports non-UN security forces (HRDDP)."
    )
    lifecycle = ProjectStageStepSerializer(
        source="stage_steps", many=True, read_only=True, help_text="Its lifecycle steps, oldest first."
    )
    hrddp_assessments = HrddpAssessmentSerializer(many=True, read_only=True, help_text="Newest first.")
    lifecycle_moves = serializers.SerializerMethodField()
    funding = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "can_edit",
            "supports_security_forces",
            "lifecycle",
            "hrddp_assessments",
            "lifecycle_moves",
            "funding",
        ]
        read_only_fields = fields

    @extend_schema_field(ProjectFundingSerializer)
    def get_funding(self, project: Project) -> dict[str, Any]:
        """Its donors (linked, or through an earmark the caller may read), those earmarks and
        their total: only what the caller's clearance lets them read."""
        funding = project_funding(self.context["request"].user, project)
        funding["donors"] = [donor.code for donor in funding["donors"]]
        return ProjectFundingSerializer(funding).data

    def get_can_edit(self, project: Project) -> bool:
        return can_edit_project(self.context["request"].user, project)

    @extend_schema_field(LifecycleMoveRefSerializer(many=True))
    def get_lifecycle_moves(self, project: Project) -> list[dict[str, str]]:
        """The lifecycle moves the caller may make now (none if they may not edit it)."""
        moves = lifecycle_moves_for(self.context["request"].user, project)
        return [{"action": t.action, "label": str(t.label), "message": t.message} for t in moves]


class EntityAcronymField(serializers.SlugRelatedField):
    """An entity by its acronym, in any case."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        # PostgreSQL text cannot hold one: the lookup would fail with a 500.
        "null_characters": ProhibitNullCharactersValidator.message,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="acronym", queryset=Entity.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Entity:
        if "\x00" in str(data):
            self.fail("null_characters")
        entity = Entity.objects.filter(acronym__iexact=str(data).strip()).first()
        if entity is None:
            self.fail("does_not_exist", slug_name="acronym", value=str(data))
        return entity


class LifecycleMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=LIFECYCLE_ACTIONS)
    reached_on = serializers.DateField(help_text="The day the project reached the stage (today or before).")
    entity = EntityAcronymField(required=False, allow_null=True, help_text="The responsible entity's acronym.")
    cted_input = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="At planning, financing and initiation."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text="For a step back.")


class HrddpRecordSerializer(serializers.Serializer):
    """An assessment (``assessed_on`` and ``outcome`` required), or ``supports_security_forces``
    false alone."""

    assessed_on = serializers.DateField(required=False)
    outcome = serializers.ChoiceField(choices=HrddpAssessment.Outcome.choices, required=False)
    entity = EntityAcronymField(required=False, allow_null=True, help_text="The assessing entity's acronym.")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    supports_security_forces = serializers.BooleanField(
        required=False, help_text="Send false (without an assessment) to say it supports none."
    )


class ProjectWriteSerializer(ModelSerializer):
    """A project's fields as a client sends them; PATCH sends only those that change. Codes
    are checked by ``project_save`` (countries, regions, dates, who may set which lead)."""

    lead_entity = EntityAcronymField(required=False, allow_null=True, help_text="Acronym of the lead entity.")
    partner_entities = EntityAcronymField(many=True, required=False, help_text="Acronyms of the other parties.")
    partner_organizations = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Organizations that are not parties."
    )
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), required=False)
    themes = PrimaryKeyRelatedField(
        queryset=WorkingGroup.objects.all(), many=True, required=False, help_text="Ids of working groups."
    )
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, help_text="ISO 3166-1 alpha-2 codes."
    )
    regions = serializers.ListField(child=serializers.CharField(max_length=48), required=False)
    funders = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Donor.objects.all(),
        many=True,
        required=False,
        help_text="ISO codes of the Trust Fund's donors funding it.",
    )

    RELATED = ("partner_entities", "themes", "countries", "regions", "funders")

    class Meta:
        model = Project
        fields = [*PROJECT_FIELDS, "partner_entities", "themes", "countries", "regions", "funders"]

    def service_arguments(self) -> dict[str, Any]:
        """``project_save``'s arguments: what was sent; a related list not sent stays as it is."""
        data = self.validated_data
        fields = {name: value for name, value in data.items() if name in PROJECT_FIELDS}
        return {"fields": fields, **{name: data.get(name) for name in self.RELATED}}


# --- Pivots and overlaps ------------------------------------------------------------------------


class PerCountrySerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField()
    projects = serializers.IntegerField()


class PerCountryPivotSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Projects the filters select.")
    countries = PerCountrySerializer(many=True, help_text="Most projects first.")


class CountryPillarRowSerializer(serializers.Serializer):
    country = serializers.CharField()
    name = serializers.CharField()
    pillars = serializers.DictField(child=serializers.IntegerField(), help_text="Projects per pillar (I–IV).")
    total = serializers.IntegerField(help_text="Projects in the country (one serving two pillars counts once).")


class CountryPillarPivotSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rows = CountryPillarRowSerializer(many=True)


class ThemeEntityRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The working group's number.")
    short_name = serializers.CharField()
    entities = serializers.DictField(child=serializers.IntegerField(), help_text="Projects per lead entity acronym.")
    total = serializers.IntegerField()


class ThemeEntityPivotSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    entities = serializers.ListField(child=serializers.CharField(), help_text="The lead entities, A–Z.")
    rows = ThemeEntityRowSerializer(many=True)


class ProjectRefSerializer(ModelSerializer):
    lead_entity = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), read_only=True)
    themes = WorkingGroupRefSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "title", "lead_entity", "start_year", "end_year", "pillars", "themes"]
        read_only_fields = fields


class OverlapReviewSerializer(ModelSerializer):
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = OverlapReview
        fields = ["first", "second", "note", "reviewed_by", "reviewed_at"]
        read_only_fields = fields


class OverlapSerializer(serializers.Serializer):
    first = ProjectRefSerializer()
    second = ProjectRefSerializer()
    countries = serializers.ListField(child=serializers.CharField(), help_text="The countries both work in.")
    shared = serializers.ChoiceField(choices=OVERLAP_SHARED_CHOICES, help_text="What they serve in common.")
    review = OverlapReviewSerializer(allow_null=True, help_text="OCT's review of the pair, if any.")


class OverlapQuerySerializer(serializers.Serializer):
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO 3166-1 alpha-2 code.")
    reviewed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: reviewed pairs only; false: the others."
    )


class OverlapReviewRequestSerializer(serializers.Serializer):
    first = IntegerField(min_value=1, help_text="A project's id.")
    second = IntegerField(min_value=1, help_text="The other project's id.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


# --- Views --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[ProjectQuerySerializer],
        description="The matrix as the caller's clearance allows, filtered as the browse page filters, 50 a page.",
    ),
    retrieve=extend_schema(
        description="One project, with whether the caller may edit it.",
        responses={200: ProjectDetailSerializer, 404: NOT_READABLE},
    ),
)
class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Projects and activities of the parties, by country and theme. Any signed-in user reads
    what their clearance allows; OCT edits every project, a focal point their entity's."""

    lookup_value_regex = r"[0-9]+"
    filter_backends: list[type] = []  # ``projects_filtered`` filters (see ProjectQuerySerializer)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Project]:
        return projects_with_details(projects_filtered(self.request.user, **self._filters()))

    def _filters(self) -> dict[str, Any]:
        if self.action not in ("list", "country_pillar", "theme_entity", "per_country", "iati"):
            return {}
        query = ProjectQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.selector_arguments()

    SERIALIZERS: dict[str, type[serializers.Serializer]] = {
        "list": ProjectSerializer,
        "create": ProjectWriteSerializer,
        "partial_update": ProjectWriteSerializer,
        "overlaps": OverlapSerializer,
        "overlap_review": OverlapReviewRequestSerializer,
    }

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.SERIALIZERS.get(self.action, ProjectDetailSerializer)

    def list(self, request: Request) -> Response:
        """The filtered matrix, 50 a page, as plain rows (``project_rows``): a count, one query
        for the page with its related lists aggregated, and ``ProjectRowWriter``'s JSON — what
        ``ProjectSerializer`` would write for each project."""
        projects = projects_filtered(request.user, **self._filters())
        page = self.paginate_queryset(project_rows(projects))
        writer = ProjectRowWriter(request=request, url_format=self.format_kwarg)
        return self.get_paginated_response(writer.rows(list(page)))

    def get_object(self) -> Project:
        project = get_project_for_user_or_404(self.request.user, int(self.kwargs["pk"]))
        return projects_with_details(Project.objects.filter(pk=project.pk)).get()

    def _editable_object(self) -> Project:
        project = self.get_object()
        if not can_edit_project(self.request.user, project):
            raise PermissionDenied(_("You cannot edit this project."))
        return project

    def _save(self, project: Project | None, data: dict[str, Any]) -> Project:
        form = ProjectWriteSerializer(project, data=data, partial=project is not None)
        form.is_valid(raise_exception=True)
        saved = self._service(
            lambda: project_save(project=project, actor=self.request.user, **form.service_arguments())
        )
        return projects_with_details(Project.objects.filter(pk=saved.pk)).get()

    def _service(self, call: Callable[[], Any]) -> Any:
        """Run one service: its field errors become a 400, its refusal a 403 (the caller reads
        the project)."""
        return service_call(call, refusal=403)

    def _detail(self, project: Project, code: int = status.HTTP_200_OK) -> Response:
        return Response(ProjectDetailSerializer(project, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=ProjectWriteSerializer,
        responses={
            201: ProjectDetailSerializer,
            400: OpenApiResponse(description="Field errors: unknown codes, an end before the start …"),
            403: OpenApiResponse(description="Not OCT, and the lead is not the caller's entity."),
        },
    )
    def create(self, request: Request) -> Response:
        """Add a project: OCT any, a focal point one their own entity leads."""
        return self._detail(self._save(None, request.data), status.HTTP_201_CREATED)

    @extend_schema(
        request=ProjectWriteSerializer,
        responses={
            200: ProjectDetailSerializer,
            400: OpenApiResponse(description="Field errors."),
            403: NOT_EDITABLE,
            404: NOT_READABLE,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the fields sent (lists replace the project's: partners, themes, places)."""
        return self._detail(self._save(self._editable_object(), request.data))

    @extend_schema(responses={204: None, 403: NOT_EDITABLE, 404: NOT_READABLE})
    def destroy(self, request: Request, pk: str) -> Response:
        """Delete a project (recorded in the audit log with what it was)."""
        project = self._editable_object()
        self._service(lambda: project_delete(project=project, actor=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Pivots (same filters as the list) ---

    @extend_schema(
        request=LifecycleMoveSerializer,
        responses={
            200: ProjectDetailSerializer,
            400: OpenApiResponse(
                description="Field errors: a future date, a step back without a reason, implementation "
                "without an HRDDP assessment that allows the support …"
            ),
            403: NOT_EDITABLE,
            404: NOT_READABLE,
            409: OpenApiResponse(description="The table does not allow this move from the project's stage now."),
        },
    )
    @action(detail=True, methods=["post"])
    def lifecycle(self, request: Request, pk: str) -> Response:
        """Move the project one step of its lifecycle (``lifecycle_moves`` lists the moves allowed now)."""
        project = self._editable_object()
        form = LifecycleMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            self._service(lambda: project_stage_move(project=project, actor=request.user, **form.validated_data))
        except (TransitionNotAllowedError, StaleStateError):
            body = {"detail": _("This move is not possible from the project's stage now."), "stage": project.stage}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return self._detail(self.get_object())

    @extend_schema(
        request=HrddpRecordSerializer,
        responses={
            # Only ``{"supports_security_forces": false}``: nothing is recorded, the project is answered.
            200: ProjectDetailSerializer,
            201: ProjectDetailSerializer,
            400: OpenApiResponse(description="Field errors."),
            403: NOT_EDITABLE,
            404: NOT_READABLE,
        },
    )
    @action(detail=True, methods=["post"])
    def hrddp(self, request: Request, pk: str) -> Response:
        """Record a human rights due diligence assessment (which says the project supports non-UN
        security forces), or send only ``{"supports_security_forces": false}`` to say it does not."""
        project = self._editable_object()
        form = HrddpRecordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        supports = data.pop("supports_security_forces", None)
        if supports is False and not {"assessed_on", "outcome"} & set(data):
            self._service(lambda: project_security_forces_set(project=project, actor=request.user, supports=False))
            return self._detail(self.get_object())
        assessment = {"assessed_on": data.pop("assessed_on", None), "outcome": data.pop("outcome", ""), **data}
        self._service(lambda: project_hrddp_record(project=project, actor=request.user, **assessment))
        return self._detail(self.get_object(), status.HTTP_201_CREATED)

    @extend_schema(parameters=[ProjectQuerySerializer], responses=CountryPillarPivotSerializer)
    @action(detail=False, methods=["get"], url_path="pivots/country-pillar", pagination_class=None)
    def country_pillar(self, request: Request) -> Response:
        """Projects per country and pillar, most projects first."""
        projects = projects_filtered(request.user, **self._filters())
        table = pivot_country_pillar(projects)
        rows = [
            {
                "country": code,
                "name": countries.name(code) or code,
                "pillars": {pillar: table.get(code, {}).get(pillar, 0) for pillar in Pillar.values},
                "total": total,
            }
            for code, total in projects_per_country(projects)
        ]
        return Response(CountryPillarPivotSerializer({"total": projects.count(), "rows": rows}).data)

    @extend_schema(parameters=[ProjectQuerySerializer], responses=ThemeEntityPivotSerializer)
    @action(detail=False, methods=["get"], url_path="pivots/theme-entity", pagination_class=None)
    def theme_entity(self, request: Request) -> Response:
        """Projects per working group and lead entity, by group number."""
        projects = projects_filtered(request.user, **self._filters())
        table = pivot_theme_entity(projects)
        rows = [
            {"number": number, "short_name": name, "entities": counts, "total": sum(counts.values())}
            for (number, name), counts in sorted(table.items())
        ]
        entities = sorted({acronym for counts in table.values() for acronym in counts})
        body = {"total": projects.count(), "entities": entities, "rows": rows}
        return Response(ThemeEntityPivotSerializer(body).data)

    @extend_schema(parameters=[ProjectQuerySerializer], responses=PerCountryPivotSerializer)
    @action(detail=False, methods=["get"], url_path="pivots/per-country", pagination_class=None)
    def per_country(self, request: Request) -> Response:
        """Projects per country, most first (for a map or a chart)."""
        projects = projects_filtered(request.user, **self._filters())
        rows = [
            {"country": code, "name": countries.name(code) or code, "projects": n}
            for code, n in projects_per_country(projects)
        ]
        return Response(PerCountryPivotSerializer({"total": projects.count(), "countries": rows}).data)

    # --- The IATI activity file (same filters as the list) ---

    @extend_schema(
        parameters=[ProjectQuerySerializer],
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR,
                description="An IATI 2.03 iati-activities file of the unclassified projects of the filter, "
                "validated against the official schema (docs/iati.md).",
            ),
            400: OpenApiResponse(description="A filter is not valid."),
            409: OpenApiResponse(
                IatiRefusalSerializer,
                description="No project of the filter can be published to IATI (the reasons are counted), "
                "or the site has no IATI organisation identifier.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[renderers.JSONRenderer],
        content_negotiation_class=AnswersInJson,
    )
    def iati(self, request: Request) -> HttpResponse | Response:
        """The filter as an IATI activity file: only unclassified projects, whoever asks."""
        plan = iati_plan(projects_filtered(request.user, **self._filters()))
        left_out = dict(plan.left_out)
        if not plan.count:
            detail = _("No project of this selection can be published to IATI.")
            return Response({"detail": detail, "left_out": left_out}, status=status.HTTP_409_CONFLICT)
        try:
            document = iati_document(plan)
        except IatiNotConfiguredError:
            detail = _("IATI publishing is not set up on this site (IATI_REPORTING_ORG_REF).")
            return Response({"detail": detail, "left_out": left_out}, status=status.HTTP_409_CONFLICT)
        return iati_response(document, file_name="projects-iati.xml")

    # --- Overlaps (OCT) ---

    @extend_schema(parameters=[OverlapQuerySerializer], responses={200: OverlapSerializer(many=True), 404: OCT_ONLY})
    @action(detail=False, methods=["get"])
    def overlaps(self, request: Request) -> Response:
        """Candidates for joint programming: projects led by different entities, in a same
        country, serving a same working group (or, without one, a same pillar), with
        overlapping years. OCT only."""
        if not can_manage_matrix(request.user):
            raise Http404
        query = OverlapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        candidates = project_overlaps(request.user, country=query.validated_data.get("country", ""))
        reviewed = query.validated_data["reviewed"]
        if reviewed is not None:
            candidates = [c for c in candidates if (c.review is not None) == reviewed]
        page = self.paginate_queryset(candidates)
        return self.get_paginated_response(OverlapSerializer([_overlap(c) for c in page], many=True).data)

    @extend_schema(
        request=OverlapReviewRequestSerializer,
        responses={
            200: OverlapReviewSerializer,
            400: OpenApiResponse(description="The same project twice."),
            404: OpenApiResponse(description="A project the caller cannot read, or the caller is not OCT."),
        },
    )
    @action(detail=False, methods=["post"], url_path="overlaps/review")
    def overlap_review(self, request: Request) -> Response:
        """Mark a pair as reviewed, with a note (again: the note is replaced). OCT only."""
        if not can_manage_matrix(request.user):
            raise Http404
        form = OverlapReviewRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        first = get_project_for_user_or_404(request.user, form.validated_data["first"])
        second = get_project_for_user_or_404(request.user, form.validated_data["second"])
        try:
            review = overlap_review_record(
                first=first, second=second, actor=request.user, note=form.validated_data["note"]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(service_error_detail(error)) from error
        return Response(OverlapReviewSerializer(review).data)


def _overlap(candidate: OverlapCandidate) -> dict[str, Any]:
    return {
        "first": candidate.first,
        "second": candidate.second,
        "countries": list(candidate.countries),
        "shared": candidate.shared,
        "review": candidate.review,
    }
