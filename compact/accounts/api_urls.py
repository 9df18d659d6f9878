"""The accounts app's API: the caller's own notifications."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from compact.accounts.api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="api-notification")

urlpatterns = [
    path("", include(router.urls)),
]
