"""The resource-mobilisation view, under /reporting/resources/ (included from reporting.urls)."""

from django.urls import path

from reporting.resources import views

urlpatterns = [
    path("", views.resources_page, name="resources"),
    path("export.csv", views.resources_csv, name="resources-csv"),
]
