"""The biennial review of the Compact in the API (included under /api/v1/ from config.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.review.api import BiennialReviewViewSet, ReviewCommentViewSet

router = SimpleRouter()
router.register("biennial-reviews", BiennialReviewViewSet, basename="api-biennial-review")
router.register("review-comments", ReviewCommentViewSet, basename="api-review-comment")

urlpatterns = [path("", include(router.urls))]
