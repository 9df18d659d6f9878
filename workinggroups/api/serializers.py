from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compact.core.api.fields import ModelSerializer
from compact.registry.serializers import person_name
from workinggroups.models import RoleAssignment, WorkingGroup


class AssignmentSerializer(ModelSerializer):
    entity = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    person = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = ["role", "entity", "person", "starts_on", "ends_on", "evidence"]

    def get_person(self, assignment: RoleAssignment) -> str | None:
        return person_name(assignment.person)


class WorkingGroupSerializer(ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)
    current_roles = serializers.SerializerMethodField(help_text="Chairs, vice-chairs and members today.")
    url = serializers.HyperlinkedIdentityField(view_name="api-workinggroup-detail")

    class Meta:
        model = WorkingGroup
        fields = [
            "url",
            "id",
            "number",
            "name",
            "short_name",
            "mandate",
            "established_on",
            "retired_on",
            "merged_into",
            "is_active",
            "evidence",
            "current_roles",
        ]

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_current_roles(self, group: WorkingGroup) -> list[dict[str, Any]]:
        return AssignmentSerializer(getattr(group, "current_assignments", []), many=True).data
