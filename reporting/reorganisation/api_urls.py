"""Reorganisations of the working groups in the API (included under /api/v1/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.reorganisation.api import ReorganisationViewSet

router = SimpleRouter()
router.register("reorganisations", ReorganisationViewSet, basename="api-reorganisation")

urlpatterns = [path("", include(router.urls))]
