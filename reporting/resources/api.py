"""The resource-mobilisation view as JSON (OCT and the USG; 404 for anyone else)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.models import Classification
from reporting.resources.permissions import can_read_resources
from reporting.resources.selectors import resource_view

MONEY = {"max_digits": 16, "decimal_places": 2}


class ResourceQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="The year (default: this year)."
    )


class ResourceLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("priority", "priority"), ("project", "project")])
    object_id = serializers.IntegerField(help_text="The priority's or the project's id.")
    label = serializers.CharField()
    classification = serializers.ChoiceField(choices=Classification.choices)
    needed = serializers.DecimalField(**MONEY, allow_null=True, help_text="Null where no need is recorded.")
    earmarked = serializers.DecimalField(**MONEY)
    gap = serializers.DecimalField(**MONEY, allow_null=True, help_text="Needed less earmarked (negative: surplus).")


class ResourceViewSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme.pk", allow_null=True, default=None)
    lines = ResourceLineSerializer(many=True)
    needed = serializers.DecimalField(**MONEY)
    pledged = serializers.DecimalField(**MONEY)
    received = serializers.DecimalField(**MONEY)
    earmarked = serializers.DecimalField(**MONEY)
    unearmarked = serializers.DecimalField(
        **MONEY,
        allow_null=True,
        help_text="Pledged less earmarked; null unless the caller is cleared for every classification "
        "(net of earmarks they cannot read, it would be wrong).",
    )
    gap = serializers.DecimalField(**MONEY, help_text="Needed less pledged.")


class ResourceViewAPI(viewsets.APIView):
    @extend_schema(
        parameters=[ResourceQuerySerializer],
        responses={200: ResourceViewSerializer, 404: OpenApiResponse(description="The caller is not OCT or the USG.")},
        description="Needs of a year (the programme's priorities, projects in the Financing step) against the "
        "year's pledges and earmarks. Lines and totals count only what the caller's clearance lets them read.",
    )
    def get(self, request: Request) -> Response:
        if not can_read_resources(request.user):
            raise Http404
        query = ResourceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        view = resource_view(request.user, query.validated_data.get("year") or timezone.localdate().year)
        return Response(ResourceViewSerializer(view).data)
