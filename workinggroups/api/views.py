from __future__ import annotations

from django.db.models import QuerySet

from compact.core.api import viewsets
from workinggroups.api.serializers import WorkingGroupSerializer
from workinggroups.models import WorkingGroup
from workinggroups.selectors import workinggroups_with_current_roster


class WorkingGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Working groups (live and retired) with the roles held in them today."""

    serializer_class = WorkingGroupSerializer
    lookup_value_regex = r"[0-9]+"
    filterset_fields = ["number", "evidence"]
    search_fields = ["name", "short_name", "mandate"]
    ordering_fields = ["number", "name"]

    def get_queryset(self) -> QuerySet[WorkingGroup]:
        return workinggroups_with_current_roster(self.request.user)
