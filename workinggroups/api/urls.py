from django.urls import include, path
from rest_framework.routers import SimpleRouter

from workinggroups.api.committee import CommitteeView
from workinggroups.api.views import WorkingGroupViewSet

router = SimpleRouter()
router.register("working-groups", WorkingGroupViewSet, basename="api-workinggroup")

urlpatterns = [
    path("", include(router.urls)),
    path("committee/", CommitteeView.as_view(), name="api-committee"),
]
