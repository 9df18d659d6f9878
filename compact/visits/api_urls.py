"""Routes of CTED's country visits' API (``compact.visits.api``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.visits.api import CountryVisitViewSet

router = SimpleRouter()
router.register("country-visits", CountryVisitViewSet, basename="api-country-visit")

urlpatterns = [path("", include(router.urls))]
