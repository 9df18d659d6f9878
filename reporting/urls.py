"""The reporting app's pages, one include per domain (each domain's ``urls.py``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("reporting.submissions.urls")),
    path("", include("reporting.calendar.urls")),
    path("compiled/", include("reporting.compiled.urls")),
    path("committee/", include("reporting.committee.urls")),
    path("programme/", include("reporting.programme.urls")),
    path("consultations/", include("reporting.consultation.urls")),
    path("monitoring/", include("reporting.monitoring.urls")),
    path("resources/", include("reporting.resources.urls")),
    path("dashboard/", include("reporting.dashboard.urls")),
]
