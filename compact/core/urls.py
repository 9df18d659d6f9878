"""OCT's audit log and the system status page."""

from django.urls import path

from compact.core import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
]
