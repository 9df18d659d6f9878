"""The compact app's pages, one include per domain (each domain's ``urls.py``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("compact.registry.urls")),
    path("", include("compact.core.urls")),
    path("", include("compact.accounts.urls")),
    path("", include("compact.signon.urls")),
    path("", include("compact.matrix.urls")),
    path("", include("compact.outreach.urls")),
    path("", include("compact.funding.urls")),
    path("", include("compact.visits.urls")),
]
