"""The reporting app's API, one include per domain (each domain's ``api_urls.py``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("reporting.submissions.api_urls")),
    path("", include("reporting.calendar.api_urls")),
    path("", include("reporting.committee.api_urls")),
    path("", include("reporting.programme.api_urls")),
    path("", include("reporting.consultation.api_urls")),
    path("", include("reporting.monitoring.api_urls")),
    path("", include("reporting.reorganisation.api_urls")),
    path("", include("reporting.resources.api_urls")),
]
