"""Routes of the reporting calendar's API: rules, the schedule, extensions, the scheduler's log."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.calendar.api import (
    CalendarRuleViewSet,
    CalendarScheduleViewSet,
    ExtensionRequestViewSet,
    SchedulerEventViewSet,
)

router = SimpleRouter()
router.register("calendar-rules", CalendarRuleViewSet, basename="api-calendar-rule")
router.register("calendar-schedule", CalendarScheduleViewSet, basename="api-calendar-schedule")
router.register("extension-requests", ExtensionRequestViewSet, basename="api-extension-request")
router.register("scheduler-events", SchedulerEventViewSet, basename="api-scheduler-event")

urlpatterns = [path("", include(router.urls))]
