"""The reporting dashboard's page."""

from django.urls import path

from reporting.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="reporting-dashboard"),
]
