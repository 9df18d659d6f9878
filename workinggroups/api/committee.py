"""The Coordination Committee's composition on a day, read through the API."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api.viewsets import APIView
from compact.registry.serializers import CommitteeSerializer, OnDateQuerySerializer
from workinggroups.composition import committee_on


class CommitteeView(APIView):
    """The Coordination Committee on a day: the USG's chair, CTED's seat, and the chairs and
    vice-chairs of the working groups active that day."""

    @extend_schema(parameters=[OnDateQuerySerializer], responses=CommitteeSerializer)
    def get(self, request: Request) -> Response:
        query = OnDateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        committee = committee_on(query.validated_data.get("on") or timezone.localdate())
        data = {"on": committee.on, "seats": committee.seats, "entities": committee.entities}
        return Response(CommitteeSerializer(data).data)
