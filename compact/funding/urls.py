"""The Trust Fund's pages."""

from django.urls import path

from compact.funding import views

urlpatterns = [
    path("trust-fund/", views.trust_fund, name="trust-fund"),
]
