"""Lifting a sign-in lockout (from the system status page), a person's account page, their
notifications and the language menu."""

from django.urls import path

from compact.accounts import notification_views, views

urlpatterns = [
    path("system/lockouts/clear/", views.lockout_clear_view, name="lockout-clear"),
    path("account/", views.account_view, name="account"),
    path("i18n/setlang/", views.language_set_view, name="set_language"),
    path("notifications/", notification_views.notification_list_view, name="notifications"),
    path("notifications/<int64:pk>/open/", notification_views.notification_open_view, name="notification-open"),
    path("notifications/read-all/", notification_views.notifications_read_all_view, name="notifications-read-all"),
]
