"""Routes of the briefings-to-Member-States API and its public summaries (``compact.api.outreach``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.api.outreach import MemberStateBriefingViewSet, PublicSummaryViewSet

router = SimpleRouter()
router.register("member-state-briefings", MemberStateBriefingViewSet, basename="api-ms-briefing")
router.register("public/briefing-summaries", PublicSummaryViewSet, basename="api-public-summary")

urlpatterns = [path("", include(router.urls))]
