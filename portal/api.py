"""``GET /api/v1/tasks/``: what waits on the caller, as the home page lists it (portal/inbox.py)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api.viewsets import APIView
from portal.inbox import tasks_for


class TaskSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="approval, meeting, draft, returned, extension, comment, action-point, review, signon, "
        "extension-request, edition, briefing, visit or consultation."
    )
    title = serializers.CharField(help_text="What to do, in the caller's language.")
    url = serializers.SerializerMethodField(help_text="The page where it is done.")
    due_on = serializers.DateField(allow_null=True, help_text="By when, if there is a date.")
    overdue = serializers.SerializerMethodField()
    detail = serializers.CharField(allow_blank=True)

    def get_url(self, task: object) -> str:
        return self.context["request"].build_absolute_uri(task.url)

    def get_overdue(self, task: object) -> bool:
        return task.is_overdue(self.context["today"])


class TasksView(APIView):
    """What waits on the caller, soonest due first (undated ones last)."""

    @extend_schema(responses={200: TaskSerializer(many=True)})
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        tasks = tasks_for(request.user, today=today)
        return Response(TaskSerializer(tasks, many=True, context={"request": request, "today": today}).data)
