"""The home page, the Committee's composition, the system status page and the search."""

from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("committee/", views.committee, name="committee"),
    path("system/", views.system_status, name="system-status"),
    path("search/", views.search, name="search"),
]
