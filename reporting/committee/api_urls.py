"""Routes of the Coordination Committee's meetings API (``reporting.committee.api``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.committee.api import ActionPointViewSet, AgendaItemViewSet, CascadeBriefingViewSet, MeetingViewSet

router = SimpleRouter()
router.register("committee-meetings", MeetingViewSet, basename="api-committee-meeting")
router.register("committee-agenda-items", AgendaItemViewSet, basename="api-committee-agenda-item")
router.register("committee-action-points", ActionPointViewSet, basename="api-committee-action-point")
router.register("committee-cascade-briefings", CascadeBriefingViewSet, basename="api-committee-cascade-briefing")

urlpatterns = [path("", include(router.urls))]
