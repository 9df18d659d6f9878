"""Calendar feeds, under /calendar/: the settings page and the private .ics address."""

from django.urls import path

from reporting.calendar import feeds

urlpatterns = [
    path("", feeds.feed_settings, name="reporting-feed-settings"),
    path("<str:token>.ics", feeds.feed, name="reporting-feed"),
]
