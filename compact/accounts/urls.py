"""Lifting a sign-in lockout (from the system status page), a person's account page and the
language menu."""

from django.urls import path

from compact.accounts import views

urlpatterns = [
    path("system/lockouts/clear/", views.lockout_clear_view, name="lockout-clear"),
    path("account/", views.account_view, name="account"),
    path("i18n/setlang/", views.language_set_view, name="set_language"),
]
