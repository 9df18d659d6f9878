"""DRF permission classes; each delegates to the rules in ``<app>/permissions.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

from compact.registry.permissions import can_read_registry

if TYPE_CHECKING:  # DRF's views import the default permission classes: avoid the cycle.
    from rest_framework.request import Request
    from rest_framework.views import APIView


class CanReadRegistry(BasePermission):
    """Signed in with an active account (the registry is internal but unclassified)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_read_registry(request.user)
