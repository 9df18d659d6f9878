from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.api.matrix import ProjectViewSet
from compact.api.matrix_import import MatrixImportViewSet
from compact.api.signon import SignOnRequestViewSet
from compact.api.views import CommitteeView, EntityViewSet

router = SimpleRouter()
router.register("entities", EntityViewSet, basename="api-entity")
router.register("sign-on-requests", SignOnRequestViewSet, basename="api-signon-request")
router.register("projects", ProjectViewSet, basename="api-project")
router.register("matrix-imports", MatrixImportViewSet, basename="api-matrix-import")

urlpatterns = [
    path("", include(router.urls)),
    path("committee/", CommitteeView.as_view(), name="api-committee"),
]
