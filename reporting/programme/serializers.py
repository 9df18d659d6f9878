"""The programme-of-work API's serializers (what goes in and out), apart from its views
(``reporting.programme.api``): the working copy with its priorities, results and linked
outputs, adopted versions, and the shapes of the writes and of a conflict."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema_field,
)
from rest_framework import serializers

from compact.core.api.fields import IntegerField, ModelSerializer
from compact.lib.integers import column_type
from compact.registry.models import Pillar
from compact.registry.serializers import WorkingGroupRefSerializer, person_name
from reporting.programme import services
from reporting.programme.content import programme_snapshot, programme_version_diff
from reporting.programme.models import ExpectedResult, Priority, ProgrammeOfWork, ProgrammeVersion
from workinggroups.models import WorkPlanOutput

# Where the working copy stands (the schema's ``ProgrammeStatusEnum``).
PROGRAMME_STATES = [
    ("not-adopted", "Not yet adopted"),
    ("adopted", "As adopted in the current version"),
    ("changed", "Changed since the current version"),
]
MOVE_DIRECTIONS = [("up", "Up"), ("down", "Down")]
# The columns a revision and a version number are compared with (kept to their range).
REVISION = column_type(ProgrammeOfWork, "revision")
VERSION_NUMBER = column_type(ProgrammeVersion, "number")

NOT_READABLE = OpenApiResponse(description="No such thing, or the caller may not read the programme of work.")
NOT_OCT = OpenApiResponse(description="The caller reads the programme but is not the OCT secretariat.")
STALE = OpenApiResponse(description="Someone saved the programme since ``base_revision``: nothing was written.")


# --- Serializers: reading ----------------------------------------------------------------------------


class ProgrammeOutputRefSerializer(ModelSerializer):
    working_group = WorkingGroupRefSerializer(source="work_plan.working_group", read_only=True)

    class Meta:
        model = WorkPlanOutput
        fields = ["id", "title", "working_group"]
        read_only_fields = fields


class ProgrammeResultSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-programme-result-detail")
    outputs = ProgrammeOutputRefSerializer(many=True, read_only=True)

    class Meta:
        model = ExpectedResult
        fields = ["id", "url", "priority", "position", "text", "outputs"]
        read_only_fields = fields


class ProgrammePrioritySerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-programme-priority-detail")
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), read_only=True)
    working_groups = WorkingGroupRefSerializer(many=True, read_only=True)
    results = ProgrammeResultSerializer(many=True, read_only=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "url",
            "programme",
            "position",
            "code",
            "resources_needed_usd",
            "title",
            "description",
            "pillars",
            "working_groups",
            "results",
        ]
        read_only_fields = fields


class ProgrammeMeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    state = serializers.CharField()


class ProgrammeDecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    meeting = ProgrammeMeetingRefSerializer()


class ProgrammeVersionSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-programme-version-detail")
    decision = ProgrammeDecisionRefSerializer(read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeVersion
        fields = [
            "id",
            "url",
            "programme",
            "number",
            "adopted_on",
            "decision",
            "change_note",
            "recorded_at",
            "recorded_by",
        ]
        read_only_fields = fields

    def get_recorded_by(self, version: ProgrammeVersion) -> str | None:
        """The OCT officer who recorded the adoption."""
        return person_name(version.recorded_by)


class ProgrammeVersionDetailSerializer(ProgrammeVersionSerializer):
    content = serializers.JSONField(
        read_only=True,
        help_text="The programme as adopted: programme, priorities (with results and their outputs), indicators.",
    )

    class Meta(ProgrammeVersionSerializer.Meta):
        fields = [*ProgrammeVersionSerializer.Meta.fields, "content"]
        read_only_fields = fields


class ProgrammeFieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class ProgrammePartDiffSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.DictField(), help_text="Summaries of what is new.")
    removed = serializers.ListField(child=serializers.DictField(), help_text="Summaries of what is gone.")
    changed = serializers.ListField(
        child=serializers.DictField(), help_text="Each with its ``changes``: field, old and new value."
    )
    reordered = serializers.BooleanField(required=False, help_text="Priorities and results only.")


class ProgrammeDiffSerializer(serializers.Serializer):
    changed = serializers.BooleanField(help_text="Whether anything differs.")
    programme = ProgrammeFieldChangeSerializer(many=True)
    priorities = ProgrammePartDiffSerializer()
    results = ProgrammePartDiffSerializer()
    outputs = ProgrammePartDiffSerializer(
        help_text="Outputs linked to or unlinked from a result, or renamed by their group."
    )
    indicators = ProgrammePartDiffSerializer()


class ProgrammeSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-programme-detail")
    biennium_label = serializers.CharField(read_only=True)
    current_version = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeOfWork
        fields = [
            "id",
            "url",
            "biennium_start",
            "biennium_label",
            "title",
            "strategy_review_resolution",
            "revision",
            "updated_at",
            "updated_by",
            "current_version",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgrammeVersionSerializer(allow_null=True))
    def get_current_version(self, programme: ProgrammeOfWork) -> dict[str, Any] | None:
        """The last version the Committee adopted, if any."""
        version = services.programme_latest_version(programme)
        return ProgrammeVersionSerializer(version, context=self.context).data if version else None

    def get_updated_by(self, programme: ProgrammeOfWork) -> str | None:
        return person_name(programme.updated_by)


class ProgrammeDetailSerializer(ProgrammeSerializer):
    priorities = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    changes_since_version = serializers.SerializerMethodField()

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "introduction", "status", "changes_since_version", "priorities"]
        read_only_fields = fields

    @extend_schema_field(ProgrammePrioritySerializer(many=True))
    def get_priorities(self, programme: ProgrammeOfWork) -> list[dict[str, Any]]:
        rows = programme.priorities.order_by("position", "pk").prefetch_related(
            "working_groups", "results__outputs__work_plan__working_group"
        )
        return ProgrammePrioritySerializer(rows, many=True, context=self.context).data

    def _diff(self, programme: ProgrammeOfWork) -> dict[str, Any] | None:
        cache = self.context.setdefault("_programme_diffs", {})
        if programme.pk not in cache:
            version = services.programme_latest_version(programme)
            cache[programme.pk] = (
                programme_version_diff(version.content, programme_snapshot(programme)) if version else None
            )
        return cache[programme.pk]

    @extend_schema_field(serializers.ChoiceField(choices=PROGRAMME_STATES))
    def get_status(self, programme: ProgrammeOfWork) -> str:
        """Never adopted, the working copy as adopted, or changed since the current version."""
        diff = self._diff(programme)
        if diff is None:
            return "not-adopted"
        return "changed" if diff["changed"] else "adopted"

    @extend_schema_field(ProgrammeDiffSerializer(allow_null=True))
    def get_changes_since_version(self, programme: ProgrammeOfWork) -> dict[str, Any] | None:
        """The working copy against the current version (none before the first adoption)."""
        return self._diff(programme)


# --- Serializers: writing -----------------------------------------------------------------------------


class ProgrammeCreateSerializer(serializers.Serializer):
    biennium_start = IntegerField(
        db_type=column_type(ProgrammeOfWork, "biennium_start"),
        help_text="2027 for the 2027–2028 programme; one per biennium.",
    )
    title = serializers.CharField(max_length=300)
    strategy_review_resolution = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    introduction = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")


class ProgrammeChangeSerializer(serializers.Serializer):
    base_revision = IntegerField(db_type=REVISION, help_text="The ``revision`` the change is based on.")
    title = serializers.CharField(max_length=300, required=False)
    strategy_review_resolution = serializers.CharField(max_length=40, required=False, allow_blank=True)
    introduction = serializers.CharField(max_length=50000, required=False, allow_blank=True)


class ProgrammePriorityWriteSerializer(serializers.Serializer):
    programme = IntegerField(required=False, help_text="The programme's id (when creating only).")
    code = serializers.CharField(max_length=12, required=False, help_text="How the programme numbers it: 1, 2.a …")
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(max_length=50000, required=False, allow_blank=True)
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), required=False)
    working_groups = serializers.ListField(child=IntegerField(), required=False, help_text="Working groups' ids.")
    resources_needed_usd = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="What the priority needs each year of the biennium (USD), for the resource-mobilisation view.",
    )
    base_revision = IntegerField(
        db_type=REVISION, required=False, help_text="If given, refused (409) when the programme was saved since."
    )


class ProgrammeResultWriteSerializer(serializers.Serializer):
    priority = IntegerField(required=False, help_text="The priority's id (when creating only).")
    text = serializers.CharField(max_length=50000, required=False)
    outputs = serializers.ListField(
        child=IntegerField(),
        required=False,
        help_text="Ids of work-plan outputs of the groups' work plans for the programme's biennium.",
    )
    base_revision = IntegerField(
        db_type=REVISION, required=False, help_text="If given, refused (409) when the programme was saved since."
    )


class ProgrammeMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=MOVE_DIRECTIONS)


class ProgrammeAdoptSerializer(serializers.Serializer):
    decision = IntegerField(help_text="A decision of a meeting that was held, not used for a version yet.")
    change_note = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    base_revision = IntegerField(
        db_type=REVISION,
        required=False,
        allow_null=True,
        default=None,
        help_text="The working copy's revision the caller reviewed: if it changed since, 409 and nothing is adopted.",
    )


class ProgrammeCompareQuerySerializer(serializers.Serializer):
    old = IntegerField(db_type=VERSION_NUMBER, min_value=1, help_text="A version number.")
    new = IntegerField(
        db_type=VERSION_NUMBER,
        min_value=1,
        required=False,
        help_text="Another version number; the working copy if left out.",
    )


class ProgrammeConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_revision = serializers.IntegerField()
    updated_by = serializers.CharField(allow_null=True, help_text="Who saved the programme last.")
    updated_at = serializers.DateTimeField()
