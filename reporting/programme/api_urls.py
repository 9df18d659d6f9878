"""The programme-of-work API routes, under /api/v1/ (included from config.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.programme.api import PriorityViewSet, ProgrammeVersionViewSet, ProgrammeViewSet, ResultViewSet

router = SimpleRouter()
router.register("programmes", ProgrammeViewSet, basename="api-programme")
router.register("programme-versions", ProgrammeVersionViewSet, basename="api-programme-version")
router.register("programme-priorities", PriorityViewSet, basename="api-programme-priority")
router.register("programme-results", ResultViewSet, basename="api-programme-result")

urlpatterns = [path("", include(router.urls))]
