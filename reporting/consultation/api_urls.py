"""Consultation rounds in the API (included under /api/v1/ from reporting.api_urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.consultation.api import ConsultationCommentViewSet, ConsultationRoundViewSet

router = SimpleRouter()
router.register("consultation-rounds", ConsultationRoundViewSet, basename="api-consultation-round")
router.register("consultation-comments", ConsultationCommentViewSet, basename="api-consultation-comment")

urlpatterns = [path("", include(router.urls))]
