from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.api import viewsets
from compact.api.filters import FilterSet
from compact.api.serializers import (
    CommitteeSerializer,
    EntityDetailSerializer,
    EntitySerializer,
    OnDateQuerySerializer,
)
from compact.api.viewsets import APIView
from compact.committee import committee_on
from compact.models import Entity, Membership
from compact.selectors import entities_visible_to, entity_resolve


class EntityFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Entity.Kind.choices)

    class Meta:
        model = Entity
        fields = ["status", "kind", "is_active", "evidence"]


class EntityViewSet(viewsets.ReadOnlyModelViewSet):
    """Entities party to the Compact, with today's membership status and their aliases.

    Look one up by acronym in any case (``/entities/unoct/``)."""

    lookup_field = "acronym"
    lookup_value_regex = r"[^/]+"
    filterset_class = EntityFilter
    search_fields = ["acronym", "name", "aliases__name"]
    ordering_fields = ["acronym", "name", "kind"]

    def get_queryset(self) -> QuerySet[Entity]:
        return entities_visible_to(self.request.user).prefetch_related("aliases")

    def get_serializer_class(self) -> type[EntitySerializer]:
        return EntityDetailSerializer if self.action == "retrieve" else EntitySerializer

    @extend_schema(
        parameters=[OpenApiParameter("name", str, required=True, description="Acronym, alias, former or full name.")],
        responses={
            200: EntityDetailSerializer,
            404: OpenApiResponse(description="No entity the caller may see has this name."),
        },
    )
    @action(detail=False, methods=["get"])
    def resolve(self, request: Request) -> Response:
        """The entity a name refers to (``?name=DPKO`` gives DPO); 404 if no entity has that name."""
        entity = entity_resolve(request.query_params.get("name", ""))
        if entity is None or not self.get_queryset().filter(pk=entity.pk).exists():
            raise Http404
        entity = self.get_queryset().get(pk=entity.pk)
        return Response(EntityDetailSerializer(entity, context=self.get_serializer_context()).data)

    def get_object(self) -> Entity:
        entity = self.get_queryset().filter(acronym__iexact=self.kwargs["acronym"]).first()
        if entity is None:
            raise Http404
        return entity


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
