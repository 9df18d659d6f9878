"""The compact app's API: the registry, sign-on requests, the project matrix and its imports."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.funding.api import ContributionViewSet, DonorViewSet, EarmarkViewSet
from compact.matrix.api import ProjectViewSet
from compact.matrix.imports.api import MatrixImportViewSet
from compact.registry.api import EntityViewSet
from compact.signon.api import SignOnRequestViewSet

router = SimpleRouter()
router.register("entities", EntityViewSet, basename="api-entity")
router.register("sign-on-requests", SignOnRequestViewSet, basename="api-signon-request")
router.register("projects", ProjectViewSet, basename="api-project")
router.register("matrix-imports", MatrixImportViewSet, basename="api-matrix-import")
router.register("trust-fund/contributions", ContributionViewSet, basename="api-trust-fund-contribution")
router.register("trust-fund/donors", DonorViewSet, basename="api-trust-fund-donor")
router.register("trust-fund/earmarks", EarmarkViewSet, basename="api-trust-fund-earmark")

urlpatterns = [
    path("", include(router.urls)),
]
