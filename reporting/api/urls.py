from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.api.calendar import (
    CalendarRuleViewSet,
    CalendarScheduleViewSet,
    ExtensionRequestViewSet,
    SchedulerEventViewSet,
)
from reporting.api.submissions import SubmissionViewSet
from reporting.api.views import ReportingPeriodViewSet, WorkPlanViewSet

router = SimpleRouter()
router.register("reporting-periods", ReportingPeriodViewSet, basename="api-reporting-period")
router.register("work-plans", WorkPlanViewSet, basename="api-work-plan")
router.register("submissions", SubmissionViewSet, basename="api-submission")
router.register("calendar-rules", CalendarRuleViewSet, basename="api-calendar-rule")
router.register("calendar-schedule", CalendarScheduleViewSet, basename="api-calendar-schedule")
router.register("extension-requests", ExtensionRequestViewSet, basename="api-extension-request")
router.register("scheduler-events", SchedulerEventViewSet, basename="api-scheduler-event")

urlpatterns = [path("", include(router.urls))]
