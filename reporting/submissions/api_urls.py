"""Routes of the reporting periods', work plans' and submissions' API."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.submissions.api import SubmissionViewSet
from reporting.submissions.periods.api import ReportingPeriodViewSet, WorkPlanViewSet

router = SimpleRouter()
router.register("reporting-periods", ReportingPeriodViewSet, basename="api-reporting-period")
router.register("work-plans", WorkPlanViewSet, basename="api-work-plan")
router.register("submissions", SubmissionViewSet, basename="api-submission")

urlpatterns = [path("", include(router.urls))]
