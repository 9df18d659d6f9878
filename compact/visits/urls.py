"""CTED's country visits (Annex IV, C.2)."""

from django.urls import path

from compact.visits import views

urlpatterns = [
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/new/", views.visit_new, name="visit-new"),
    path("visits/<int64:pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int64:pk>/edit/", views.visit_edit, name="visit-edit"),
    path("visits/<int64:pk>/act/", views.visit_act_view, name="visit-act"),
]
