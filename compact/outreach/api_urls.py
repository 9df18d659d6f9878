"""Routes of the briefings-to-Member-States API and its public summaries
(``compact.outreach.api``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.outreach.api import BriefingCadenceView, MemberStateBriefingViewSet, PublicSummaryViewSet

router = SimpleRouter()
router.register("member-state-briefings", MemberStateBriefingViewSet, basename="api-ms-briefing")
router.register("public/briefing-summaries", PublicSummaryViewSet, basename="api-public-summary")

urlpatterns = [
    path("briefing-cadence/", BriefingCadenceView.as_view(), name="api-briefing-cadence"),
    path("", include(router.urls)),
]
