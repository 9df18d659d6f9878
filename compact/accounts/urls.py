"""Lifting a sign-in lockout (from the system status page)."""

from django.urls import path

from compact.accounts import views

urlpatterns = [
    path("system/lockouts/clear/", views.lockout_clear_view, name="lockout-clear"),
]
