"""API routes of the M&E framework (included under /api/v1/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.monitoring.api import IndicatorViewSet, SubmissionIndicatorValuesView

router = SimpleRouter()
router.register("indicators", IndicatorViewSet, basename="api-indicator")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "submissions/<int:pk>/indicator-values/",
        SubmissionIndicatorValuesView.as_view(),
        name="api-submission-indicator-values",
    ),
]
