from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.api.submissions import SubmissionViewSet
from reporting.api.views import ReportingPeriodViewSet, WorkPlanViewSet

router = SimpleRouter()
router.register("reporting-periods", ReportingPeriodViewSet, basename="api-reporting-period")
router.register("work-plans", WorkPlanViewSet, basename="api-work-plan")
router.register("submissions", SubmissionViewSet, basename="api-submission")

urlpatterns = [path("", include(router.urls))]
