"""Pages of the registry: entities, their profiles and focal points."""

from django.urls import path

from compact.registry import views

urlpatterns = [
    path("entities/", views.entity_list, name="entity-list"),
    path("entities/<str:acronym>/", views.entity_detail, name="entity-detail"),
    path("entities/<str:acronym>/edit/", views.entity_edit, name="entity-edit"),
    path(
        "entities/<str:acronym>/focal-points/invite/",
        views.entity_focal_point_invite,
        name="entity-focal-point-invite",
    ),
    path(
        "entities/<str:acronym>/focal-points/remove/",
        views.entity_focal_point_dismiss,
        name="entity-focal-point-dismiss",
    ),
]
