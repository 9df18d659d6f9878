"""DRF permission classes of the reporting API; each delegates to
``reporting.submissions.permissions``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compact.registry.api_permissions import CanReadRegistry
from reporting.submissions.permissions import can_manage_periods

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class CanManagePeriods(CanReadRegistry):
    """The OCT secretariat schedules, opens and closes reporting periods."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and can_manage_periods(request.user)
