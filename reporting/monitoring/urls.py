"""The M&E framework's pages, under /reporting/monitoring/."""

from django.urls import path

from reporting.monitoring import views

urlpatterns = [
    path("", views.monitoring_home, name="monitoring-home"),
    path("programmes/<int64:pk>/", views.framework_view, name="monitoring-framework"),
    path("programmes/<int64:pk>/indicators/new/", views.indicator_create_view, name="monitoring-indicator-create"),
    path("indicators/<int64:pk>/", views.indicator_view, name="monitoring-indicator"),
    path("indicators/<int64:pk>/edit/", views.indicator_edit_view, name="monitoring-indicator-edit"),
    path("indicators/<int64:pk>/remove/", views.indicator_remove_view, name="monitoring-indicator-remove"),
    path("indicators/<int64:pk>/move/", views.indicator_move_view, name="monitoring-indicator-move"),
]
