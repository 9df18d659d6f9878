"""The resource-mobilisation API, under /api/v1/ (included from reporting.api_urls)."""

from django.urls import path

from reporting.resources.api import ResourceViewAPI

urlpatterns = [path("resources/", ResourceViewAPI.as_view(), name="api-resources")]
