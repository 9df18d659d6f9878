"""Routes of the briefings-to-Member-States API and its public summaries
(``compact.outreach.api``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.outreach.api import MemberStateBriefingViewSet, PublicSummaryViewSet

router = SimpleRouter()
router.register("member-state-briefings", MemberStateBriefingViewSet, basename="api-ms-briefing")
router.register("public/briefing-summaries", PublicSummaryViewSet, basename="api-public-summary")

urlpatterns = [path("", include(router.urls))]
