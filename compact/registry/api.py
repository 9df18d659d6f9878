"""The registry's API: entities, their aliases and membership history."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compact.core.api import viewsets
from compact.core.api.filters import FilterSet
from compact.registry.models import Entity, Membership
from compact.registry.selectors import entities_visible_to, entity_resolve
from compact.registry.serializers import EntityDetailSerializer, EntitySerializer


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
