"""OCT's audit log (the system status page, which gathers several domains, is the portal's)."""

from django.urls import path

from compact.core import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
]
