"""The Trust Fund's pages."""

from django.urls import path

from compact.funding import views

urlpatterns = [
    path("trust-fund/", views.trust_fund, name="trust-fund"),
    path("trust-fund/donors/<str:code>/", views.donor_detail, name="trust-fund-donor"),
    path("trust-fund/contributions/new/", views.contribution_new, name="trust-fund-contribution-new"),
    path("trust-fund/contributions/<int64:pk>/", views.contribution_detail, name="trust-fund-contribution"),
    path("trust-fund/contributions/<int64:pk>/edit/", views.contribution_edit, name="trust-fund-contribution-edit"),
    path("trust-fund/contributions/<int64:pk>/earmarks/", views.earmark_new, name="trust-fund-earmark-new"),
    path("trust-fund/earmarks/<int64:pk>/remove/", views.earmark_delete, name="trust-fund-earmark-remove"),
]
