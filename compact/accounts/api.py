"""``/api/v1/notifications/``: the caller's own notifications, marking one or all read.

Only ever the caller's own (someone else's is a 404, as if it did not exist); a title marked
above the caller's clearance today is withheld (``title`` null, ``withheld`` true).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api.viewsets import GenericViewSet
from compact.core.categories import EmailCategory
from compact.core.models import Notification
from compact.core.notifications import (
    notification_get_for_user_or_404,
    notification_mark_read,
    notification_readable,
    notifications_mark_all_read,
    notifications_of,
)


class NotificationSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=EmailCategory.choices, help_text="What the notification is about.")
    title = serializers.SerializerMethodField(
        help_text="The e-mail's subject in the caller's language; null when marked above the caller's clearance."
    )
    url = serializers.SerializerMethodField(help_text="The page it is about, if any (null when withheld).")
    unread = serializers.SerializerMethodField()
    withheld = serializers.SerializerMethodField(help_text="True when marked above the caller's clearance today.")

    class Meta:
        model = Notification
        fields = ["id", "category", "title", "url", "created_at", "read_at", "unread", "withheld"]
        read_only_fields = fields

    def _readable(self, notification: Notification) -> bool:
        return notification_readable(notification, self.context["request"].user)

    def get_title(self, notification: Notification) -> str | None:
        return notification.title if self._readable(notification) else None

    def get_url(self, notification: Notification) -> str | None:
        if not notification.link or not self._readable(notification):
            return None
        return self.context["request"].build_absolute_uri(notification.link)

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None

    def get_withheld(self, notification: Notification) -> bool:
        return not self._readable(notification)


READ_ALL_RESPONSE = inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()})


class NotificationViewSet(ListModelMixin, GenericViewSet):
    """The caller's notifications, newest first; ``?unread=true`` for the unread ones only."""

    serializer_class = NotificationSerializer
    # Digits only, so that the base view checks the id's range (a 400, never a 500).
    lookup_value_regex = "[0-9]+"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Notification]:
        notifications = notifications_of(self.request.user)
        if self.request.query_params.get("unread") in ("true", "1"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the unread ones.")],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one of the caller's notifications read (again is harmless)."""
        notification = notification_get_for_user_or_404(request.user, int(pk or 0))
        notification_mark_read(notification=notification, user=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: READ_ALL_RESPONSE})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every one of the caller's notifications read; says how many were unread."""
        return Response({"marked": notifications_mark_all_read(user=request.user)})
